from django.utils.translation import gettext as _
from rest_framework import permissions


class HasScope(permissions.BasePermission):
    """The key must hold one of the scopes the view names for this method (`required_scopes`:
    {"GET": ("courses:read",), "POST": ("enrolments:write",)}; "*" for any method)."""

    def has_permission(self, request, view):
        key = getattr(request, "auth", None)
        if key is None or not hasattr(key, "scopes"):
            return False
        needed = view.scopes_for(request)
        if not needed:
            return True
        if set(needed) & set(key.scopes):
            return True
        self.message = _("Dem API-Schlüssel fehlt die Berechtigung %s.") % " oder ".join(needed)
        return False
