"""Every write of demand: one module per area (interest, requests, planning, feedback)."""
