"""Extension points of courses: apps above it (certificates, ...) react here, so that courses never
reads their models."""

from django.dispatch import Signal

# Sent by courses.services.completion.set_completion_status inside its transaction, with the
# enrolment locked, before the outcome of an enrolment of a completed run changes:
# sender=Enrolment, enrolment=<the locked Enrolment>, status=<the new status>.
# A receiver vetoes the change by raising a DomainError (CompletionNotAllowed fits); nothing is
# saved and the caller gets the error.
outcome_change_requested = Signal()
