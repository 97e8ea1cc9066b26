"""Booking: book, cancel, waiting list and promotion, employer approval."""
