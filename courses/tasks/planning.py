"""Celery tasks for planning (thin wrappers over courses.services.planning)."""
