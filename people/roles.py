"""What a user is allowed to act for. Loaded once per request and cached on the user object."""

from dataclasses import dataclass, field

from django.db import router

from core.precompiled import Precompiled

from .models import Membership

# Asked on every signed-in request (the second-factor rule for staff): compiled once.
_memberships = Precompiled(
    lambda p, alias, _shape: (
        Membership.objects.using(alias)
        .filter(user_id=p.id("user"))
        .values_list("role", "district_id", "school_id", "business_id")
    ),
    prepared=True,
)


@dataclass(frozen=True)
class Roles:
    district_ids: frozenset[int] = field(default_factory=frozenset)
    coordinator_school_ids: frozenset[int] = field(default_factory=frozenset)
    instructor_school_ids: frozenset[int] = field(default_factory=frozenset)
    business_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_district_admin(self) -> bool:
        return bool(self.district_ids)

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_school_ids)

    @property
    def is_instructor(self) -> bool:
        return bool(self.instructor_school_ids)

    @property
    def is_business_contact(self) -> bool:
        return bool(self.business_ids)

    @property
    def is_staff_member(self) -> bool:
        return self.is_district_admin or self.is_coordinator or self.is_instructor


EMPTY = Roles()


def roles_of(user) -> Roles:
    if user is None or not user.is_authenticated:
        return EMPTY
    if not user.is_active:  # a deactivated account keeps its memberships but may act for nobody
        return EMPTY
    cached = getattr(user, "_roles_cache", None)
    if cached is not None:
        return cached
    by_role: dict[str, set[int]] = {r: set() for r in Membership.Role.values}
    rows = _memberships.rows(router.db_for_read(Membership), None, user=user.pk)
    for role, district_id, school_id, business_id in rows:
        by_role[role].add(district_id or school_id or business_id)
    roles = Roles(
        district_ids=frozenset(by_role[Membership.Role.DISTRICT_ADMIN]),
        coordinator_school_ids=frozenset(by_role[Membership.Role.COORDINATOR]),
        instructor_school_ids=frozenset(by_role[Membership.Role.INSTRUCTOR]),
        business_ids=frozenset(by_role[Membership.Role.BUSINESS_CONTACT]),
    )
    user._roles_cache = roles
    return roles


def managed_school_ids(user):
    """Schools whose objects the user may change: coordinators' own; district admins'
    whole district.
    Returns None for 'all schools of the admin's districts' resolved by the caller's query."""
    from .models import School

    roles = roles_of(user)
    ids = set(roles.coordinator_school_ids)
    if roles.district_ids:
        ids |= set(
            School.objects.filter(district_id__in=roles.district_ids).values_list("id", flat=True)
        )
    return ids


def start_page(user) -> str:
    """Where a person lands after signing in: the page of their main role (an explicit `next`
    still wins). Paths, not URL names: people sits below the apps that own these pages."""
    roles = roles_of(user)
    if roles.is_district_admin or roles.is_coordinator:
        return "/staff/"
    if roles.is_instructor:
        return "/staff/my-sessions/"
    if roles.is_business_contact:
        return "/business/"
    return "/my/"
