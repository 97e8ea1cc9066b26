"""The catalogue of the data set: topics and courses (COPY), half of them needing a printer."""

from decimal import Decimal

from django.db import connection

from courses.models import Course, Topic

from .load import copy_rows
from .sizes import SCHOOLS, TOPICS


def topics() -> list[Topic]:
    return Topic.objects.bulk_create(
        Topic(name=f"Themenfeld {i}", slug=f"thema-{i}") for i in range(TOPICS)
    )


def courses(count: int, schools, topics, printer) -> None:
    copy_rows(
        Course,
        ["id", "school", "topic", "title", "summary", "description", "hours", "level"],
        (
            (
                c + 1,
                schools[c % SCHOOLS].pk,
                topics[c % TOPICS].pk,
                f"Kurs {c + 1}: {['SPS', '3D-Druck', 'CNC', 'Robotik', 'Laser'][c % 5]} kompakt",
                "Praxisnaher Einstieg in der Lernwerkstatt",
                "Beschreibung " * 20,
                Decimal(8 + (c % 5) * 8),
                ["beginner", "intermediate", "advanced"][c % 3],
            )
            for c in range(count)
        ),
    )
    with connection.cursor() as cursor:  # half of the courses need a 3D printer per 2 people
        cursor.execute(
            "INSERT INTO courses_courseequipment (course_id, equipment_type_id) "
            "SELECT id, %s FROM courses_course WHERE id %% 2 = 0",
            [printer.pk],
        )
