"""Reads of certificates, already filtered by what the user may see; a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from courses.models import CourseRun, Enrolment
from people.roles import managed_school_ids, roles_of

from .models import Certificate, IssueJob


def run_enrolments_with_certificates(run: CourseRun) -> QuerySet[Enrolment]:
    """Completed enrolments of a run, each with `certificate_list` (newest first): two queries."""
    return (
        Enrolment.objects.filter(run=run, status=Enrolment.Status.COMPLETED)
        .select_related("participant")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.order_by("-issued_at", "-id"),
                to_attr="certificate_list",
            )
        )
        .order_by("participant__last_name", "participant__first_name", "participant_name", "pk")
    )


def latest_job(run: CourseRun) -> IssueJob | None:
    return IssueJob.objects.filter(run=run).order_by("-created_at", "-id").first()


def runs_for_certificates(user) -> QuerySet[CourseRun]:
    """Runs of the schools the user manages that have completed enrolments, with counts."""
    school_ids = managed_school_ids(user)
    return (
        CourseRun.objects.filter(school_id__in=school_ids)
        .annotate(
            completed_count=Count(
                "enrolments", filter=Q(enrolments__status=Enrolment.Status.COMPLETED), distinct=True
            ),
            certificate_count=Count(
                "enrolments__certificates",
                filter=Q(enrolments__certificates__revoked_at__isnull=True),
                distinct=True,
            ),
        )
        .filter(completed_count__gt=0)
        .select_related("course", "school")
        .order_by("-starts_at", "-id")
    )


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """A participant's own certificates, a business contact's employees', a coordinator's
    school's."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    roles = roles_of(user)
    visible = Q(enrolment__participant=user)
    if roles.business_ids:
        visible |= Q(enrolment__business_id__in=roles.business_ids)
    school_ids = managed_school_ids(user)
    if school_ids:
        visible |= Q(enrolment__run__school_id__in=school_ids)
    return (
        Certificate.objects.filter(visible)
        .select_related(
            "enrolment__run__course", "enrolment__run__school", "enrolment__participant"
        )
        .order_by("-issued_at", "-id")
    )
