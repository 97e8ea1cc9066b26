"""Reads of demand, one module per area; every list is one query, never one per row."""
