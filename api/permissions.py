"""What an API key may do. Scopes: each view declares `required_scopes` and HasScope checks them
(403 when missing). Rows: each view's queryset comes from api.selectors, narrowed to the key's
chamber, so another chamber's object is a 404. Domain rules (deadlines, seats) stay in the
services, which ask the actor they are given."""

from django.utils.translation import gettext as _
from rest_framework import permissions


def scopes_for(view, request) -> tuple[str, ...]:
    """`required_scopes` by action, then by method, then "*" (any method)."""
    scopes = getattr(view, "required_scopes", {})
    return tuple(
        scopes.get(getattr(view, "action", None))
        or scopes.get(request.method)
        or scopes.get("*")
        or ()
    )


class HasScope(permissions.BasePermission):
    """The key must hold one of the scopes the view names for this request, e.g.
    `required_scopes = {"GET": ("courses:read",), "POST": ("enrolments:write",)}`."""

    def has_permission(self, request, view):
        key = getattr(request, "auth", None)
        if key is None or not hasattr(key, "scopes"):
            return False
        needed = scopes_for(view, request)
        if not needed:
            return True
        if set(needed) & set(key.scopes):
            return True
        self.message = _("Dem API-Schlüssel fehlt die Berechtigung %s.") % " oder ".join(needed)
        return False


class ChamberAsBusinessContact:
    """The actor the booking service sees when a chamber cancels an enrolment through the API:
    the chamber acts for its member businesses as their contact would, so the contact's rules
    apply (cancel until the deadline, leave the waiting list always) and nothing more."""

    is_authenticated = True
    is_anonymous = False
    pk = None  # audited without a user
    granted = frozenset({"courses.cancel_enrolment"})

    def __init__(self, chamber):
        self.chamber = chamber

    def has_perm(self, perm, obj=None) -> bool:
        business = getattr(obj, "business", None)
        return (
            perm in self.granted and business is not None and business.chamber_id == self.chamber.pk
        )

    def __str__(self):
        return f"API ({self.chamber.code})"
