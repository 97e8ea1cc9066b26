"""Extension points of courses for the apps above it. They listen here; courses never imports them.

- `outcome_change_requested` is sent by courses.services.completion.set_completion_status inside
  its transaction, with the enrolment locked, before the outcome of an enrolment of a completed run
  changes (sender=Enrolment, enrolment, status). A receiver vetoes the change by raising a
  DomainError (CompletionNotAllowed fits); nothing is saved and the caller gets the error.
- `run_published` is sent inside the transaction that publishes a run, with the run locked
  (sender=CourseRun, run=<CourseRun>, now). A receiver writes what the publication implies in
  that transaction (e-mails into the outbox, core.services.outbox), so nothing is lost when the
  process dies after the commit or the broker is down; an error in it rolls the publication
  back, so a receiver does only what it must.
- `run_withdrawn` is sent inside the transaction that takes a published run out of public view
  (unpublished back to draft) (sender=CourseRun, run=<CourseRun>): a syncing client that listed
  it must learn that it is gone (the API records a tombstone).
- `early_booking` is asked by the booking service, under the participant's and the run's locks,
  when someone books a published run before its public booking opens (sender=CourseRun, run,
  participant, booked_by, now). A receiver returns True to let this one booking through (e.g. a
  priority window for people who asked to be told about the course); anything else says nothing.
  Receivers only read. Without a receiver, booking before the opening is refused as before.
- `personal_data_requested` is sent by courses.services.privacy.export_person_data (sender=User,
  user). Each receiver returns a dict of further top-level sections of the person's export (e.g.
  {"interests": [...]}) with JSON-ready values; receivers only read.
- `demo_seeded` is sent by `manage.py seed_demo` inside its transaction once the courses' demo data
  exists (sender=None, rng=<callable giving a random.Random per key>, now). Apps above courses add
  their own demo data; like the seed itself, a receiver must be safe to run again.
"""

import datetime as dt

from django.dispatch import Signal

outcome_change_requested = Signal()
run_published = Signal()
run_withdrawn = Signal()
early_booking = Signal()
personal_data_requested = Signal()
demo_seeded = Signal()


def may_book_early(*, run, participants, booked_by, now: dt.datetime) -> bool:
    """True when, for every participant, a receiver of `early_booking` lets them book before the
    public opening (a business booking several people needs a yes for each)."""
    from .models import CourseRun

    participants = list(participants)
    return bool(participants) and all(
        any(
            answer is True
            for _receiver, answer in early_booking.send(
                sender=CourseRun, run=run, participant=person, booked_by=booked_by, now=now
            )
        )
        for person in participants
    )
