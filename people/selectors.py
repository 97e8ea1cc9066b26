"""Reads about who works for whom, already narrowed to confirmed links where that decides who
may see or pay (a request or an invitation gives a business nothing)."""

from django.db.models import QuerySet
from django.utils import timezone

from .models import (
    OPEN_STATUSES,
    Business,
    Chamber,
    ChamberLink,
    Employment,
    EmploymentInvitation,
    Membership,
    User,
)
from .signals import bookings_of_employment_requested

CONFIRMED = Employment.Status.CONFIRMED


def confirmed_employment(user: User | int) -> QuerySet[Employment]:
    """The person's confirmed link to a business: at most one (a database constraint)."""
    return Employment.objects.filter(user=user, status=CONFIRMED)


def confirmed_employer(user: User) -> Business | None:
    """The business that employs the person by a confirmed link, else None (a private person)."""
    employment = confirmed_employment(user).select_related("business").first()
    return employment.business if employment else None


def is_confirmed_employee(user: User, business: Business) -> bool:
    return Employment.objects.filter(user=user, business=business, status=CONFIRMED).exists()


def confirmed_people(business: Business) -> QuerySet[User]:
    """Active accounts the business employs by a confirmed link."""
    return User.objects.filter(
        employments__business=business, employments__status=CONFIRMED, is_active=True
    ).order_by("last_name", "first_name", "pk")


def employments_of_business(business: Business) -> QuerySet[Employment]:
    """Open links of the business (requests first, then the confirmed people by name)."""
    return (
        Employment.objects.filter(business=business, status__in=OPEN_STATUSES)
        .select_related("user", "user__trainee_profile")
        .order_by("-status", "user__last_name", "user__first_name", "pk")
    )


def open_invitations(business: Business) -> QuerySet[EmploymentInvitation]:
    return EmploymentInvitation.objects.filter(
        business=business, used_at__isnull=True, revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")  # fmt: skip


def employments_of_user(user: User) -> QuerySet[Employment]:
    """The person's open links and their last decisions, newest first."""
    return Employment.objects.filter(user=user).select_related("business")[:10]


def pending_chamber_links(user: User) -> QuerySet[ChamberLink]:
    return ChamberLink.objects.filter(user=user, status=ChamberLink.Status.PENDING).select_related(
        "chamber", "business"
    )


def business_by_member_number(chamber: Chamber, member_number: str) -> Business | None:
    return Business.objects.filter(
        chamber=chamber, member_number=member_number.strip(), is_active=True
    ).first()


def bookings_at_stake(employment: Employment) -> list[dict]:
    """The person's bookings through this business that still lie ahead, from the apps that keep
    bookings (people.signals), sorted by their start."""
    found = [
        booking
        for _receiver, answer in bookings_of_employment_requested.send(
            sender=Employment, employment=employment
        )
        for booking in answer or []
    ]
    return sorted(found, key=lambda b: (b["starts_at"] is None, b["starts_at"] or 0))


def coordinator_emails(school_id: int) -> list[str]:
    """Who hears about what happens at a school (a run short of its minimum, missing attendance,
    a defective machine, low stock, maintenance due): its active coordinators."""
    return sorted(
        set(
            Membership.objects.filter(
                school_id=school_id, role=Membership.Role.COORDINATOR, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
