"""What demand holds about one person, for their data export (courses.services.privacy)."""

from django.utils import timezone

from core.formatting import iso
from people.models import User

from ..models import CourseRequest, FeedbackReceipt, Interest


def personal_data(user: User) -> dict:
    """Interests, course requests the person wrote, and the runs they gave feedback on. The answers
    themselves are not linked to anyone (demand.models.feedback), so none can be exported."""
    now = timezone.now()
    interests = Interest.objects.filter(user=user).select_related("course", "business")
    requests = CourseRequest.objects.filter(requested_by=user).select_related(
        "business", "topic", "course", "school"
    )
    receipts = FeedbackReceipt.objects.filter(enrolment__participant=user).select_related(
        "enrolment__run__course"
    )
    return {
        "interests": [
            {
                "course": i.course.title,
                "business": i.business.name if i.business else None,
                "participants": i.participants,
                "preferred_start": iso(i.preferred_start),
                "preferred_end": iso(i.preferred_end),
                "registered_at": iso(i.created_at),
                "expires_at": iso(i.expires_at),
                "withdrawn_at": iso(i.withdrawn_at),
                "status": i.status(now),
            }
            for i in interests.order_by("created_at", "id")
        ],
        "course_requests": [
            {
                "title": r.title,
                "message": r.message,
                "business": r.business.name,
                "topic": r.topic.name,
                "course": r.course.title if r.course else None,
                "school": r.school.name if r.school else None,
                "participants": r.participants,
                "preferred_months": r.preferred_months,
                "status": r.status,
                "answer": r.answer,
                "requested_at": iso(r.created_at),
                "answered_at": iso(r.answered_at),
            }
            for r in requests.order_by("created_at", "id")
        ],
        "feedback_given_for": [
            {"course": rc.enrolment.run.course.title, "run": rc.enrolment.run_id}
            for rc in receipts.order_by("enrolment_id")
        ],
    }
