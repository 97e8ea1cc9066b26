"""Celery tasks for booking (thin wrappers over courses.services.booking)."""
