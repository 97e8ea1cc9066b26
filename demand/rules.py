"""Who may do what with interest, course requests, the demand board, feedback and statistics
(django-rules, on the shared people predicates). Domain rules (expiry, one answer per person,
the anonymity threshold) stay in the services and selectors."""

import rules

from people.roles import roles_of
from people.rules import (
    is_business_contact,
    is_contact_for_business_of,
    is_coordinator,
    is_district_admin,
    is_participant,
    manages_school_of,
)


@rules.predicate
def holds_interest(user, interest):
    return interest is not None and user.is_authenticated and interest.user_id == user.pk


@rules.predicate
def request_for_any_school(user, course_request):
    """A request that names no school is open to every coordinator (and the district admin)."""
    roles = roles_of(user)
    return (
        course_request is not None
        and course_request.school_id is None
        and (roles.is_coordinator or roles.is_district_admin)
    )


staff_of_request = manages_school_of | request_for_any_school

rules.add_perm("demand.register_interest", rules.is_authenticated)
rules.add_perm("demand.manage_interest", holds_interest)
rules.add_perm("demand.request_course", is_business_contact)
rules.add_perm("demand.view_request", is_contact_for_business_of | staff_of_request)
rules.add_perm("demand.answer_request", staff_of_request)
rules.add_perm("demand.view_board", is_coordinator)
rules.add_perm("demand.plan_run", manages_school_of)
rules.add_perm("demand.give_feedback", is_participant)
rules.add_perm("demand.view_feedback", manages_school_of)
rules.add_perm("demand.manage_feedback_questions", manages_school_of)
rules.add_perm("demand.view_statistics", is_district_admin)
