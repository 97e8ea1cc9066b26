from django.db import transaction

from core.audit import audit

from .models import Business, TraineeProfile, User


@transaction.atomic
def create_trainee_profile(
    *, user: User, kind: str, business: Business | None = None, occupation: str = ""
) -> TraineeProfile:
    profile, _ = TraineeProfile.objects.update_or_create(
        user=user, defaults={"kind": kind, "business": business, "occupation": occupation}
    )
    audit(actor=user, action="trainee_profile.saved", obj=profile)
    return profile
