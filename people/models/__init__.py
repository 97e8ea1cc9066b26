"""Who: users, the organisations they belong to, the roles that scope what they may do, and the
employment links a business confirms."""

from .accounts import (
    Business,
    Chamber,
    District,
    Membership,
    School,
    TraineeProfile,
    User,
    UserManager,
)
from .employment import OPEN_STATUSES, ChamberLink, Employment, EmploymentInvitation

__all__ = [
    "OPEN_STATUSES",
    "Business",
    "Chamber",
    "ChamberLink",
    "District",
    "Employment",
    "EmploymentInvitation",
    "Membership",
    "School",
    "TraineeProfile",
    "User",
    "UserManager",
]
