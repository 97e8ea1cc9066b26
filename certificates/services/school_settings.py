"""What a school's future certificates print: wording, signatory, logo and signature image."""

from __future__ import annotations

from django.db import transaction

from core.audit import audit
from people.models import School


def update_certificate_settings(
    *,
    school: School,
    actor,
    wording: str,
    signatory: str,
    logo=None,
    signature=None,
    remove_logo: bool = False,
    remove_signature: bool = False,
) -> School:
    """Change what the school's future certificates print. Old logo and signature files are kept:
    issued certificates name them in their frozen data."""
    with transaction.atomic():
        locked = School.objects.select_for_update().get(pk=school.pk)
        locked.certificate_wording = wording.strip()
        locked.certificate_signatory = signatory.strip()
        changed = ["certificate_wording", "certificate_signatory", "updated_at"]
        for field, upload, remove in (
            ("certificate_logo", logo, remove_logo),
            ("certificate_signature", signature, remove_signature),
        ):
            if upload is not None:
                getattr(locked, field).save(upload.name, upload, save=False)
                changed.append(field)
            elif remove:
                setattr(locked, field, "")
                changed.append(field)
        locked.save(update_fields=changed)
        audit(
            actor=actor,
            action="school.certificate_settings_changed",
            obj=locked,
            fields=[f for f in changed if f != "updated_at"],
        )
    return locked
