import datetime as dt
import shutil
from decimal import Decimal

import pytest

from tests.pdftools import pdf_text  # noqa: F401 - the tests import it from here

# Models and factories are imported inside the fixtures: pytest loads this file before Django is set
# up when the folder is given on the command line.


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    # The verification rate limit counts in the cache; each test starts with a fresh count.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school(db):
    from tests.factories import DistrictFactory, SchoolFactory

    return SchoolFactory(
        district=DistrictFactory(name="Landkreis Lüneburg", code="lueneburg"),
        name="Berufsbildende Schulen I Lüneburg",
        code="BBSI",
        street="Schulstraße 3",
        postal_code="21335",
        city="Lüneburg",
    )


@pytest.fixture
def run(school):
    from django.utils import timezone

    from courses.models import CourseRun
    from tests.factories import CourseFactory, CourseRunFactory, SessionFactory, instructor

    teacher = instructor(school)
    teacher.first_name, teacher.last_name = "Özlem", "Yılmaz"
    teacher.save()
    course = CourseFactory(
        school=school,
        title="SPS-Programmierung für Einsteiger",
        hours=Decimal("16.0"),
        learning_outcomes="Aufbau einer SPS erklären\nAblaufsteuerungen in FUP programmieren",
    )
    run = CourseRunFactory(course=course, instructor=teacher, status=CourseRun.Status.COMPLETED)
    first = timezone.make_aware(dt.datetime(2026, 3, 2, 8, 0))
    for week in range(2):
        start = first + dt.timedelta(days=7 * week)
        SessionFactory(run=run, start=start, end=start + dt.timedelta(hours=8))
    return run


@pytest.fixture
def make_enrolment(run):
    from django.utils import timezone

    from courses.models import Attendance, Enrolment
    from tests.factories import EnrolmentFactory, UserFactory, trainee

    def make(
        *,
        first_name="Jürgen",
        last_name="Weiß-Großmann",
        status=Enrolment.Status.COMPLETED,
        attended=None,
        **kw,
    ):
        """`attended`: the sessions the person was present at (None: every session of the run,
        as for anyone who completed it; [] leaves the attendance to the test)."""
        target_run = kw.pop("run", run)
        participant = trainee(
            user=UserFactory(
                first_name=first_name,
                last_name=last_name,
                date_of_birth=dt.date(2005, 3, 14),
                language=kw.pop("language", "de"),
            )
        )
        enrolment = EnrolmentFactory(
            run=target_run,
            participant=participant,
            status=status,
            completed_at=timezone.now() if status == Enrolment.Status.COMPLETED else None,
            **kw,
        )
        if attended is None:
            attended = list(target_run.sessions.all()) if status in Enrolment.Status.SEATED else []
        Attendance.objects.bulk_create(
            [Attendance(enrolment=enrolment, session=s, status="present") for s in attended]
        )
        return enrolment

    return make


@pytest.fixture
def enrolment(make_enrolment):
    return make_enrolment()


def require_tool(name: str) -> str:
    """A poppler tool for the few checks only poppler does (pdfsig, pdfinfo -struct-text): skipped
    with the reason where it is missing (a fresh machine); CI installs poppler-utils."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is missing: apt-get install -y poppler-utils (.ci/run does it)")
    return path
