"""The workshops of the data set: five per school, ten 3D printers in each."""

from workshops.models import Equipment, EquipmentType, Workshop

from .sizes import WORKSHOPS_PER_SCHOOL


def printer_type() -> EquipmentType:
    return EquipmentType.objects.create(
        name="3D-Drucker", slug="3d-drucker", participants_per_unit=2
    )


def workshops_with_printers(schools, printer: EquipmentType) -> list[Workshop]:
    workshops = []
    for s, school in enumerate(schools):
        for w in range(WORKSHOPS_PER_SCHOOL):
            workshops.append(
                Workshop(school=school, name=f"Lernwerkstatt {s}-{w}", seats=20 + (w % 3) * 2)
            )
    workshops = Workshop.objects.bulk_create(workshops)
    Equipment.objects.bulk_create(
        Equipment(
            school_id=ws.school_id,
            workshop=ws,
            type=printer,
            inventory_number=f"INV-{ws.pk}-{u}",
            status="available",
        )
        for ws in workshops
        for u in range(10)
    )
    return workshops
