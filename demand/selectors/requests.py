"""Course requests as the people who may see them see them; one query per list."""

from django.db.models import Q, QuerySet

from people.roles import managed_school_ids, roles_of

from ..models import CourseRequest

_RELATED = ("business", "topic", "course", "school", "run", "requested_by")


def requests_for_staff(user, *, status: str | None = None) -> QuerySet[CourseRequest]:
    """Requests for the schools the user manages, and those that name no school."""
    school_ids = managed_school_ids(user)
    if not school_ids:
        return CourseRequest.objects.none()
    qs = CourseRequest.objects.filter(Q(school_id__in=school_ids) | Q(school__isnull=True))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related(*_RELATED).order_by("-created_at", "-id")


def requests_of_my_businesses(user) -> QuerySet[CourseRequest]:
    return (
        CourseRequest.objects.filter(business_id__in=roles_of(user).business_ids)
        .select_related(*_RELATED)
        .order_by("-created_at", "-id")
    )
