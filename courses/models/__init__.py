"""The catalogue (Topic, Course), its offerings (CourseRun, Session) and who takes part
(Enrolment, Attendance), one module each; everything is importable from courses.models."""

from .catalogue import Course, CourseEquipment, Topic
from .enrolments import Attendance, Enrolment, EnrolmentStatus
from .feeds import CalendarFeed
from .messages import RunMessage
from .resources import SessionMaterial
from .runs import BookingPhase, CourseRun, Session, SessionReservation

__all__ = [
    "Attendance",
    "BookingPhase",
    "CalendarFeed",
    "Course",
    "CourseEquipment",
    "CourseRun",
    "Enrolment",
    "EnrolmentStatus",
    "RunMessage",
    "Session",
    "SessionMaterial",
    "SessionReservation",
    "Topic",
]
