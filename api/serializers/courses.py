from rest_framework import serializers

from courses.models import Course


class SchoolRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    city = serializers.CharField()


class CourseSerializer(serializers.ModelSerializer):
    topic = serializers.CharField(source="topic.name")
    school = SchoolRefSerializer()
    learning_outcomes = serializers.ListField(
        child=serializers.CharField(), source="learning_outcome_list"
    )
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)

    class Meta:
        model = Course
        fields = [
            "id", "title", "summary", "description", "topic", "school", "level", "target_group",
            "hours", "learning_outcomes", "prerequisites", "instruction_plan",
            "attendance_threshold", "is_active", "created_at", "updated_at",
        ]  # fmt: skip
