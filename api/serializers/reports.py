"""The ÜLU report of a run (courses.reports.uelu_report), as the API prints it."""

from rest_framework import serializers


class UeluDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    hours_planned = serializers.FloatField()
    hours_attended = serializers.FloatField()
    absence_reasons = serializers.ListField(child=serializers.CharField())


class UeluParticipantSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    lehrlingsrolle_number = serializers.CharField(allow_null=True)
    occupation = serializers.CharField()
    occupation_code = serializers.CharField(help_text="The chamber's code of the occupation.")
    training_year = serializers.IntegerField(
        allow_null=True, help_text="Ausbildungsjahr on the first day of the run (apprentices)."
    )
    business = serializers.CharField(allow_null=True)
    member_number = serializers.CharField(allow_null=True)
    chamber = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    status_text = serializers.CharField(help_text="The status in words, in the request's language.")
    days = UeluDaySerializer(many=True)
    hours_attended = serializers.FloatField()


class UeluReportSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    course = serializers.CharField()
    course_number = serializers.CharField()
    instruction_plan = serializers.CharField(
        help_text="Number of the Unterweisungsplan the course follows; empty when none."
    )
    school = serializers.CharField()
    course_hours = serializers.FloatField(help_text="Teaching hours of the run (its sessions).")
    days = serializers.ListField(child=serializers.DateField())
    participants = UeluParticipantSerializer(many=True)
