"""Who may do what with courses, runs, sessions and enrolments (django-rules, on the shared people
predicates). Domain rules (deadlines, seats) stay in the services."""

import rules

from people.roles import managed_school_ids
from people.rules import (
    instructs,
    is_business_contact,
    is_contact_for_business_of,
    is_participant,
    manages_school_of,
)

from .models import Course, CourseRun


@rules.predicate
def is_public_run(user, run) -> bool:
    """Published, completed and cancelled runs are public; drafts are not."""
    return isinstance(run, CourseRun) and run.status in CourseRun.Status.PUBLIC


@rules.predicate
def is_public_course(user, course) -> bool:
    """An active course is in the catalogue, with or without a run to book."""
    return isinstance(course, Course) and course.is_active


@rules.predicate
def manages_a_school(user) -> bool:
    """Coordinators, and district admins of a district with schools: they plan courses and runs."""
    return bool(managed_school_ids(user))


@rules.predicate
def teaches(user, obj) -> bool:
    """The user teaches the run (of a session): as the run's instructor or of one of its
    sessions."""
    if obj is None or not user.is_authenticated:
        return False
    run = obj if isinstance(obj, CourseRun) else getattr(obj, "run", None)
    if run is None:
        return False
    return run.instructor_id == user.pk or run.sessions.filter(instructor_id=user.pk).exists()


rules.add_perm("courses.view_run", is_public_run | manages_school_of)
rules.add_perm("courses.view_course", is_public_course | manages_school_of)
rules.add_perm("courses.plan_courses", manages_a_school)
rules.add_perm("courses.manage_course", manages_school_of)
rules.add_perm("courses.manage_run", manages_school_of)
rules.add_perm("courses.view_run_participants", manages_school_of | instructs)
# The instructor's read-only run page: who takes part and how often they were there.
rules.add_perm("courses.view_taught_run", manages_school_of | teaches)
rules.add_perm("courses.take_attendance", manages_school_of | instructs)
rules.add_perm("courses.manage_feed", manages_school_of | instructs)
rules.add_perm(
    "courses.view_enrolment",
    is_participant | is_contact_for_business_of | manages_school_of | instructs,
)
rules.add_perm(
    "courses.cancel_enrolment", is_participant | is_contact_for_business_of | manages_school_of
)
rules.add_perm("courses.cancel_after_deadline", manages_school_of)
# Booking by hand, moving, promoting, cancelling for someone and writing to the participants:
# the school's coordinators (and district admins); the instructor only sees the list.
rules.add_perm("courses.manage_participants", manages_school_of)
# A seat offered from the waiting list is the participant's own decision.
rules.add_perm("courses.answer_offer", is_participant)
rules.add_perm("courses.approve_enrolment", is_contact_for_business_of)
rules.add_perm("courses.access_business_area", is_business_contact)
