from rest_framework import serializers

from courses.models import Attendance


class AttendanceSerializer(serializers.ModelSerializer):
    run = serializers.IntegerField(source="session.run_id")
    session_start = serializers.DateTimeField(source="session.start")
    session_end = serializers.DateTimeField(source="session.end")

    class Meta:
        model = Attendance
        fields = [
            "id", "enrolment", "session", "run", "session_start", "session_end", "status",
            "reason", "minutes", "method", "created_at", "updated_at",
        ]  # fmt: skip
