"""The booking service: book, cancel, waiting list and promotion, employer approval.

The public API is what this package re-exports below; callers write `booking.book(...)`.
Modules: `book` (book, book_many), `cancel` (can_cancel, cancel, cancel_run), `waitlist`
(promotion, or an offer after the cancellation deadline), `offers` (accept, decline, lapse),
`approvals` (approve, decline, expired holds), `holds` (when a seat is held for the
employer), `seats` (the run lock and the seat count; its docstring states the lock order) and
`notify` (outbox events and e-mails on commit), `staff` (the coordinator's hand: book by
hand, move, promote, cancel for someone)."""

from .approvals import approve, decline, release_expired_holds
from .book import book, book_many
from .cancel import can_cancel, cancel, cancel_run
from .notify import enrolment_payload
from .offers import accept_offer, decline_offer, expire_offers
from .seats import run_to_book
from .staff import book_by_hand, cancel_for, move, promote
from .waitlist import promote_all_waiting, promote_waiting

__all__ = [
    "accept_offer",
    "approve",
    "book",
    "book_by_hand",
    "book_many",
    "can_cancel",
    "cancel",
    "cancel_for",
    "cancel_run",
    "decline",
    "decline_offer",
    "enrolment_payload",
    "expire_offers",
    "move",
    "promote",
    "promote_all_waiting",
    "promote_waiting",
    "release_expired_holds",
    "run_to_book",
]
