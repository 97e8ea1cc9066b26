"""Writes about people: profiles, employment links, invitations, chamber records."""

from django.db import transaction

from core.audit import audit

from ..models import TraineeProfile, User
from .employment import (
    employment_confirm,
    employment_end,
    employment_from_chamber,
    employment_refuse,
    employment_request,
)
from .invitations import invitation_accept, invitation_create, invitation_revoke
from .links import chamber_link_confirm, chamber_link_decline, chamber_link_request

__all__ = [
    "chamber_link_confirm",
    "chamber_link_decline",
    "chamber_link_request",
    "create_trainee_profile",
    "employment_confirm",
    "employment_end",
    "employment_from_chamber",
    "employment_refuse",
    "employment_request",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
]


@transaction.atomic
def create_trainee_profile(*, user: User, kind: str, occupation: str = "") -> TraineeProfile:
    """The profile a person gives themself at sign-up. No employer: that is a link the business
    confirms (employment_request, invitation_accept)."""
    profile, _ = TraineeProfile.objects.update_or_create(
        user=user, defaults={"kind": kind, "occupation": occupation}
    )
    audit(actor=user, action="trainee_profile.saved", obj=profile)
    return profile
