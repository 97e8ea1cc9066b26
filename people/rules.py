"""The shared predicates of object-level permissions (django-rules) and the people app's own
permissions. Each app declares its permissions in its own rules.py on top of these predicates, e.g.
courses/rules.py: `request.user.has_perm("courses.manage_run", run)`. Objects are mapped to the
school or business they belong to, so one predicate serves every model."""

import rules

from .roles import managed_school_ids, roles_of


def school_id_of(obj) -> int | None:
    """The school an object belongs to, for any object of the domain that has one."""
    if obj is None:
        return None
    from .models import School

    if isinstance(obj, School):
        return obj.pk
    for attr in ("school_id",):
        if getattr(obj, attr, None):
            return getattr(obj, attr)
    for path in ("run", "session", "enrolment", "workshop", "equipment"):
        related = getattr(obj, path, None)
        if related is not None and related is not obj:
            return school_id_of(related)
    return None


def business_id_of(obj) -> int | None:
    from .models import Business

    if obj is None:
        return None
    if isinstance(obj, Business):
        return obj.pk
    if getattr(obj, "business_id", None):
        return obj.business_id
    for path in ("enrolment", "trainee_profile"):
        related = getattr(obj, path, None)
        if related is not None:
            return business_id_of(related)
    return None


@rules.predicate
def is_district_admin(user):
    return roles_of(user).is_district_admin


@rules.predicate
def is_coordinator(user):
    return roles_of(user).is_coordinator or roles_of(user).is_district_admin


@rules.predicate
def is_instructor(user):
    return roles_of(user).is_instructor


@rules.predicate
def is_business_contact(user):
    return roles_of(user).is_business_contact


@rules.predicate
def manages_school_of(user, obj):
    school_id = school_id_of(obj)
    return school_id is not None and school_id in managed_school_ids(user)


@rules.predicate
def manages_a_school(user):
    """Coordinator of a school, or admin of a district that has schools: the staff pages that list
    "my schools' ..." open for them, each object on them is asked with manages_school_of."""
    return bool(managed_school_ids(user))


@rules.predicate
def instructs(user, obj):
    """The user is the instructor of the session, or of the run (or of an enrolment's run)."""
    if obj is None or not user.is_authenticated:
        return False
    for candidate in (obj, getattr(obj, "session", None), getattr(obj, "run", None)):
        if candidate is not None and getattr(candidate, "instructor_id", None) == user.pk:
            return True
    enrolment = getattr(obj, "enrolment", None)
    return enrolment is not None and enrolment.run.instructor_id == user.pk


@rules.predicate
def instructs_at_school_of(user, obj):
    """The user is an instructor at the school the object belongs to (an item of its equipment)."""
    school_id = school_id_of(obj)
    return school_id is not None and school_id in roles_of(user).instructor_school_ids


@rules.predicate
def is_contact_for_business_of(user, obj):
    business_id = business_id_of(obj)
    return business_id is not None and business_id in roles_of(user).business_ids


@rules.predicate
def is_participant(user, obj):
    if obj is None or not user.is_authenticated:
        return False
    enrolment = getattr(obj, "enrolment", obj)
    return getattr(enrolment, "participant_id", None) == user.pk


staff = is_coordinator | is_instructor

rules.add_perm("people.access_staff_area", staff)
rules.add_perm("people.manage_school", manages_school_of)
rules.add_perm("people.act_for_business", is_contact_for_business_of)
rules.add_perm("people.manage_employees", is_business_contact)


@rules.predicate
def is_the_person(user, obj):
    """The object is about the user themself (their employment link)."""
    return obj is not None and user.is_authenticated and getattr(obj, "user_id", None) == user.pk


rules.add_perm("people.end_employment", is_the_person | is_contact_for_business_of)
