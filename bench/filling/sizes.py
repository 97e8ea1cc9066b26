"""The size of the full data set (scale 1); courses and trainees shrink with the scale."""

SCHOOLS = 20
WORKSHOPS_PER_SCHOOL = 5
CHAMBERS = 2
BUSINESSES = 500
TOPICS = 10
COURSES = 2_000
RUNS_PER_COURSE = 5
SESSIONS_PER_RUN = 6
ENROLMENTS_PER_RUN = 30
TRAINEES = 30_000
