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
    lehrlingsrolle_number = serializers.CharField(allow_null=True)
    occupation = serializers.CharField()
    business = serializers.CharField(allow_null=True)
    member_number = serializers.CharField(allow_null=True)
    chamber = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    days = UeluDaySerializer(many=True)
    hours_attended = serializers.FloatField()


class UeluReportSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    course = serializers.CharField()
    school = serializers.CharField()
    course_hours = serializers.FloatField()
    days = serializers.ListField(child=serializers.DateField())
    participants = UeluParticipantSerializer(many=True)
