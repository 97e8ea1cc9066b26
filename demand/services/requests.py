"""Course requests: a business contact asks, a coordinator answers (or declines), and a run
planned from a request marks it planned (services/planning.py)."""

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput, PermissionDenied
from core.services.outbox import enqueue_email
from courses.models import Course, Topic
from people.models import Business, School
from people.roles import roles_of

from ..emails import request_answered_email
from ..models import CourseRequest

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_PARTICIPANTS = 200
ANSWER_STATUSES = (CourseRequest.Status.ANSWERED, CourseRequest.Status.DECLINED)


def _clean_months(months: list[str]) -> list[str]:
    cleaned = sorted(set(months))
    if any(not MONTH.match(month) for month in cleaned):
        raise InvalidInput(_("Bitte Monate im Format JJJJ-MM angeben."), field="preferred_months")
    return cleaned


@transaction.atomic
def request_create(
    *,
    actor,
    business: Business,
    topic: Topic,
    title: str,
    message: str = "",
    participants: int = 1,
    preferred_months: list[str] | None = None,
    course: Course | None = None,
    school: School | None = None,
) -> CourseRequest:
    """A business contact asks for a course or a run. Side effects: an audit row. Raises
    PermissionDenied for a business the actor is no contact of, InvalidInput for bad figures."""
    if business.pk not in roles_of(actor).business_ids:
        raise PermissionDenied(_("Sie können nur für Ihren eigenen Betrieb anfragen."))
    if not title.strip():
        raise InvalidInput(_("Bitte beschreiben Sie kurz, was gebraucht wird."), field="title")
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise InvalidInput(
            _("Bitte eine Anzahl zwischen 1 und %(max)s angeben.") % {"max": MAX_PARTICIPANTS},
            field="participants",
        )
    if course is not None and course.topic_id != topic.pk:
        raise InvalidInput(_("Der Kurs gehört zu einem anderen Themenfeld."), field="course")
    course_request = CourseRequest.objects.create(
        business=business,
        requested_by=actor,
        topic=topic,
        course=course,
        school=school,
        title=title.strip(),
        message=message.strip(),
        participants=participants,
        preferred_months=_clean_months(preferred_months or []),
    )
    audit(actor=actor, action="course_request.created", obj=course_request)
    return course_request


def _lock_for_staff(course_request: CourseRequest, actor) -> CourseRequest:
    locked = CourseRequest.objects.select_for_update().get(pk=course_request.pk)
    if not actor.has_perm("demand.answer_request", locked):
        raise PermissionDenied(_("Sie dürfen diese Anfrage nicht beantworten."))
    return locked


@transaction.atomic
def request_answer(
    *,
    course_request: CourseRequest,
    actor,
    answer: str,
    status: str = CourseRequest.Status.ANSWERED,
    now: dt.datetime | None = None,
) -> CourseRequest:
    """The coordinator answers (or declines) a request; the business contact who asked gets the
    answer by e-mail (into the outbox in this transaction). A planned request can still be
    answered again (its status stays planned). Side effects: audit row, outbox e-mail."""
    if status not in ANSWER_STATUSES:
        raise InvalidInput(_("Unbekannter Status."), field="status")
    if not answer.strip():
        raise InvalidInput(_("Bitte schreiben Sie eine Antwort."), field="answer")
    course_request = _lock_for_staff(course_request, actor)
    if course_request.status != CourseRequest.Status.PLANNED:
        course_request.status = status
    course_request.answer = answer.strip()
    course_request.answered_by = actor
    course_request.answered_at = now or timezone.now()
    course_request.save()
    audit(actor=actor, action="course_request.answered", obj=course_request, status=status)
    request_answer_send(request_id=course_request.pk)
    return course_request


def request_mark_planned(*, course_request: CourseRequest, run, actor) -> CourseRequest:
    """Inside the planning transaction: the request is planned as this run. Audit row."""
    course_request = _lock_for_staff(course_request, actor)
    course_request.status = CourseRequest.Status.PLANNED
    course_request.run = run
    course_request.save(update_fields=["status", "run", "updated_at"])
    audit(actor=actor, action="course_request.planned", obj=course_request, run=run.pk)
    return course_request


def request_answer_send(*, request_id: int) -> bool:
    """The answer e-mail to the contact who asked (if they still have an account)."""
    course_request = (
        CourseRequest.objects.select_related("requested_by").filter(pk=request_id).first()
    )
    if course_request is None or course_request.requested_by is None:
        return False
    user = course_request.requested_by
    if not user.is_active or not user.email:
        return False
    enqueue_email(request_answered_email(course_request))
    return True
