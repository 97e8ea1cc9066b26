from django.db import migrations, models


def fill_due_point(apps, schema_editor):
    """Notices written before carry their due date as the due point."""
    Notice = apps.get_model("workshops", "MaintenanceNotice")
    for notice in Notice.objects.all().only("pk", "due_on"):
        Notice.objects.filter(pk=notice.pk).update(due_point=f"{notice.due_on or ''}|")


class Migration(migrations.Migration):
    dependencies = [("workshops", "0003_reservation_exclusion")]

    operations = [
        migrations.RemoveConstraint(model_name="maintenancenotice", name="maintenance_notice_once"),
        migrations.AlterField(
            model_name="maintenancenotice",
            name="due_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="maintenancenotice",
            name="due_hours",
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=10, null=True),
        ),
        migrations.AddField(
            model_name="maintenancenotice",
            name="due_point",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.RunPython(fill_due_point, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="maintenancenotice",
            constraint=models.UniqueConstraint(
                fields=("equipment", "kind", "due_point"), name="maintenance_notice_once_per_point"
            ),
        ),
    ]
