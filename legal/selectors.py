"""Who reads the barrier reports: the district's administrators."""

from people.models import Membership, User


def district_admin_addresses() -> list[str]:
    users = User.objects.filter(
        is_active=True,
        memberships__role=Membership.Role.DISTRICT_ADMIN,
    ).distinct()
    return sorted(users.values_list("email", flat=True))
