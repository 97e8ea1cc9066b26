"""The runs of the data set with their sessions and enrolments (COPY). Each workshop takes its
runs' sessions back to back, two a day from `day0`: the runs that lie in the past are completed,
the rest bookable, cancelled or draft; every run has 30 enrolments in every status."""

import uuid
from datetime import timedelta

from courses.models import CourseRun, Enrolment, Session

from .load import copy_rows
from .sizes import (
    BUSINESSES,
    ENROLMENTS_PER_RUN,
    RUNS_PER_COURSE,
    SCHOOLS,
    SESSIONS_PER_RUN,
    WORKSHOPS_PER_SCHOOL,
)


def runs_sessions_enrolments(
    *, courses: int, schools, workshops, instructors, businesses, trainee_base, trainees, now, day0
) -> None:
    runs, sessions, enrolments = [], [], []
    slots = dict.fromkeys(range(len(workshops)), 0)
    run_id = session_id = enrolment_id = 0
    workshops_of_school = {
        s: [i for i, ws in enumerate(workshops) if ws.school_id == school.pk]
        for s, school in enumerate(schools)
    }
    for c in range(courses):
        school_index = c % SCHOOLS
        for r in range(RUNS_PER_COURSE):
            run_id += 1
            w = workshops_of_school[school_index][(c // SCHOOLS + r) % WORKSHOPS_PER_SCHOOL]
            ws = workshops[w]
            instructor = instructors[w].pk
            times = []
            for _ in range(SESSIONS_PER_RUN):
                slot = slots[w]
                slots[w] += 1
                start = day0 + timedelta(days=slot // 2, hours=8 if slot % 2 == 0 else 13)
                times.append((start, start + timedelta(hours=4)))
            starts_at, ends_at = times[0][0], times[-1][1]
            if ends_at < now:
                status = "completed"
            elif run_id % 20 == 0:
                status = "cancelled"
            elif run_id % 20 == 1:
                status = "draft"
            else:
                status = "published"
            capacity = 24
            runs.append(
                (
                    run_id,
                    c + 1,
                    schools[school_index].pk,
                    ws.pk,
                    instructor,
                    capacity,
                    starts_at - timedelta(days=90),
                    starts_at - timedelta(days=1),
                    starts_at - timedelta(days=3),
                    status,
                    starts_at,
                    ends_at,
                    starts_at - timedelta(days=90) if status != "draft" else None,
                )
            )
            for start, end in times:
                session_id += 1
                session_status = "cancelled" if status == "cancelled" else "scheduled"
                sessions.append(
                    (
                        session_id,
                        run_id,
                        start,
                        end,
                        ws.pk,
                        instructor,
                        session_status,
                        uuid.uuid4(),
                    )
                )
            for j in range(ENROLMENTS_PER_RUN):
                enrolment_id += 1
                participant = trainee_base + (run_id * 7 + j * 997) % trainees
                if status == "completed":
                    e_status = ["completed", "completed", "completed", "not_completed", "no_show"][
                        j % 5
                    ]
                    seq = None
                elif status == "cancelled" or j >= 28:
                    e_status, seq = "cancelled", None
                elif j < 20:
                    e_status, seq = "confirmed", None
                elif j < 22:
                    e_status, seq = "pending", None
                else:
                    e_status, seq = "waitlisted", j - 21
                enrolments.append(
                    (
                        enrolment_id,
                        run_id,
                        participant,
                        f"Azubi Nr. {participant - trainee_base}",
                        participant,
                        businesses[participant % BUSINESSES].pk,
                        e_status,
                        "api" if j % 3 == 0 else "web",
                        seq,
                        # A pending booking waits for the employer's approval link, seat held.
                        f"bench-approval-{enrolment_id}" if e_status == "pending" else "",
                        now + timedelta(days=5) if e_status == "pending" else None,
                    )
                )
    copy_rows(
        CourseRun,
        [
            "id",
            "course",
            "school",
            "workshop",
            "instructor",
            "capacity",
            "booking_opens_at",
            "booking_closes_at",
            "cancellation_deadline",
            "status",
            "starts_at",
            "ends_at",
            "published_at",
        ],
        iter(runs),
    )
    copy_rows(
        Session,
        ["id", "run", "start", "end", "workshop", "instructor", "status", "uid"],
        iter(sessions),
    )
    copy_rows(
        Enrolment,
        [
            "id",
            "run",
            "participant",
            "participant_name",
            "booked_by",
            "business",
            "status",
            "source",
            "waitlist_seq",
            "approval_token_hash",
            "hold_until",
        ],
        iter(enrolments),
    )
