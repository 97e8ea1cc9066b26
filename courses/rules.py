"""Who may do what with courses, runs, sessions and enrolments (django-rules, on the shared people
predicates). Domain rules (deadlines, seats) stay in the services."""

import rules

from people.rules import instructs, is_contact_for_business_of, is_participant, manages_school_of

rules.add_perm("courses.manage_course", manages_school_of)
rules.add_perm("courses.manage_run", manages_school_of)
rules.add_perm("courses.view_run_participants", manages_school_of | instructs)
rules.add_perm("courses.take_attendance", manages_school_of | instructs)
rules.add_perm(
    "courses.view_enrolment",
    is_participant | is_contact_for_business_of | manages_school_of | instructs,
)
rules.add_perm(
    "courses.cancel_enrolment", is_participant | is_contact_for_business_of | manages_school_of
)
rules.add_perm("courses.cancel_after_deadline", manages_school_of)
rules.add_perm("courses.approve_enrolment", is_contact_for_business_of)
