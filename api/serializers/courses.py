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
    requires_confirmation = serializers.BooleanField(
        source="asks_requirements",
        read_only=True,
        help_text="A booking must confirm the target group and prerequisites "
        "(`requirements_confirmed` when enrolling).",
    )

    class Meta:
        model = Course
        fields = [
            "id", "title", "summary", "description", "topic", "school", "level", "target_group",
            "hours", "learning_outcomes", "prerequisites", "requires_confirmation",
            "instruction_plan", "attendance_threshold", "is_active", "created_at", "updated_at",
        ]  # fmt: skip
