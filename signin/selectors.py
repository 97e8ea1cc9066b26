"""Reads about sign-in links and second factors, already limited to what the asking user may see."""

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from people.models import Membership
from people.roles import roles_of

from .models import SignInLink

# A second factor is something the person has: an authenticator app or a security key. Recovery
# codes alone are a fallback, not a factor that is set up.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def holds_staff_role(user) -> bool:
    """District admins, coordinators and instructors, and the accounts that may open the admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    return roles_of(user).is_staff_member or user.is_staff or user.is_superuser


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def account_for_verified_email(addresses: list[str]):
    """The one active account whose login is one of the addresses (case does not matter), or
    None. Roles are never matched by anything but the address our account holds."""
    query = Q()
    for address in addresses:
        query |= Q(email__iexact=address)
    if not addresses:
        return None
    found = list(get_user_model().objects.filter(query, is_active=True)[:2])
    return found[0] if len(found) == 1 else None


def districts_of(user_id: int) -> set[int]:
    """The districts whose admins answer for this person: where they are a district admin and
    where the schools are at which they coordinate or teach."""
    ids = set()
    for district_id, school_district_id in Membership.objects.filter(user_id=user_id).values_list(
        "district_id", "school__district_id"
    ):
        ids.add(district_id or school_district_id)
    ids.discard(None)
    return ids


def admins_answering_for(user_id: int):
    """The active district admins who may confirm this person's link (never the person)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Membership.Role.DISTRICT_ADMIN,
            memberships__district_id__in=districts_of(user_id),
        )
        .exclude(pk=user_id)
        .distinct()
        .order_by("pk")
    )


def links_to_decide(user) -> QuerySet[SignInLink]:
    """Pending links the user may confirm or refuse: a superuser all of them, a district admin
    those of people at the schools of their districts. Never the user's own."""
    links = (
        SignInLink.objects.filter(status=SignInLink.Status.PENDING)
        .exclude(user=user)
        .select_related("user")
        .order_by("requested_at")
    )
    if user.is_superuser:
        return links
    districts = roles_of(user).district_ids
    return links.filter(
        Q(user__memberships__district_id__in=districts)
        | Q(user__memberships__school__district_id__in=districts)
    ).distinct()
