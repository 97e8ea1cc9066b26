"""The staff area (/staff/) of coordinators and instructors, one module per part: dashboard,
courses, runs, sessions and series, calendar, iCal feeds, attendance. Thin: each view declares
its access (core.access), parses a form, calls a service or selector and renders; domain errors
land on the form or become messages."""
