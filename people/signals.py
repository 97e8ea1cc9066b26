"""Extension points of people for the apps above it. They listen here; people never imports them.

- `bookings_of_employment_requested` is sent by people.selectors.bookings_at_stake before a
  contact removes a person from the business (sender=Employment, employment). Each receiver
  returns a list of the person's bookings that the business made or pays for and that still lie
  ahead, as dicts {"title": str, "starts_at": datetime | None, "status": str (words)}, so the
  contact sees what stays booked; receivers only read.
"""

from django.dispatch import Signal

bookings_of_employment_requested = Signal()
