"""The production smoke journey (scripts/prod_smoke.py), by part: the check report, the
processes and HTTP client, the webhook receiver, bringing the topology up, and the journey."""
