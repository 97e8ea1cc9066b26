"""Demo certificates, added when `manage.py seed_demo` has built the district (the
`demo_seeded` signal): every completed enrolment of a completed run gets its certificate through
the same service the staff page uses. Safe to run again: issuing is idempotent."""

from courses.models import CourseRun, Enrolment

from .services import issue_certificate


def seed(**kwargs) -> None:
    completed = Enrolment.objects.filter(
        status=Enrolment.Status.COMPLETED, run__status=CourseRun.Status.COMPLETED
    ).order_by("pk")
    for enrolment in completed:
        issue_certificate(enrolment=enrolment)
