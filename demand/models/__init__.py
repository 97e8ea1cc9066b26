"""Demand and participation: interest in courses, course requests from businesses, and feedback
that cannot be linked to the person who gave it."""

from .feedback import (
    ELIGIBLE_STATUSES,
    FIXED_QUESTIONS,
    MIN_ANSWERS,
    FeedbackExtraScore,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackReceipt,
    FeedbackResponse,
)
from .interest import Interest, InterestNotification
from .requests import CourseRequest

__all__ = [
    "ELIGIBLE_STATUSES",
    "FIXED_QUESTIONS",
    "MIN_ANSWERS",
    "CourseRequest",
    "FeedbackExtraScore",
    "FeedbackInvitation",
    "FeedbackQuestion",
    "FeedbackReceipt",
    "FeedbackResponse",
    "Interest",
    "InterestNotification",
]
