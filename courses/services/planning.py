"""Planning: courses, runs, sessions and series, conflicts, equipment reservations for sessions."""
