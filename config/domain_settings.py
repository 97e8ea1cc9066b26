"""Domain settings: the rules a district may tune (deadlines, holds, opening hours), the signing
key of certificates and what the legal pages name. Read from the environment like the rest of
config/settings.py, which imports everything here."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

BOOKING_APPROVAL_HOLD_DAYS = int(os.environ.get("BOOKING_APPROVAL_HOLD_DAYS", "5"))
# After the cancellation deadline a freed seat is offered to the next waiting person for this long.
WAITLIST_OFFER_HOURS = int(os.environ.get("WAITLIST_OFFER_HOURS", "24"))
# Days the body of a sent e-mail stays in the outbox (core.OutboxEmail); 0 empties it at
# delivery. Its links (approval, password reset) are secrets in clear.
OUTBOX_BODY_RETENTION_DAYS = int(os.environ.get("OUTBOX_BODY_RETENTION_DAYS", "0"))
MIN_PARTICIPANTS_CHECK_DAYS = int(os.environ.get("MIN_PARTICIPANTS_CHECK_DAYS", "7"))
MAINTENANCE_NOTICE_DAYS = int(os.environ.get("MAINTENANCE_NOTICE_DAYS", "14"))
# Utilisation of equipment is a share of the hours a workshop is open in a week.
WORKSHOP_OPENING_HOURS_PER_WEEK = float(os.environ.get("WORKSHOP_OPENING_HOURS_PER_WEEK", "45"))
# A bulk certificate job silent this long (a killed worker) is enqueued again by beat's sweep.
CERTIFICATE_JOB_LEASE_SECONDS = int(os.environ.get("CERTIFICATE_JOB_LEASE_SECONDS", "30"))
CERTIFICATE_RETENTION_DAYS = int(os.environ.get("CERTIFICATE_RETENTION_DAYS", str(365 * 10)))
# Demand (demand/): how long an interest lasts until renewed, and how many days before the public
# booking opens the people who registered interest may book.
DEMAND_INTEREST_DAYS = int(os.environ.get("DEMAND_INTEREST_DAYS", "180"))
DEMAND_PRIORITY_DAYS = int(os.environ.get("DEMAND_PRIORITY_DAYS", "7"))
# The school's or district's key and X.509 certificate (PEM; the file may hold the chain after the
# certificate): they sign each certificate PDF (PAdES) and its Open Badge (VC-JWT). Without them a
# development CA and key are made on first use in CERTIFICATE_KEYS_DIR, which every web and worker
# process must share. CERTIFICATE_TSA_URL adds an RFC 3161 timestamp (PAdES B-T).
CERTIFICATE_SIGNING_KEY_FILE = os.environ.get("CERTIFICATE_SIGNING_KEY_FILE", "")
CERTIFICATE_SIGNING_KEY_PASSWORD = os.environ.get("CERTIFICATE_SIGNING_KEY_PASSWORD", "")
CERTIFICATE_SIGNING_CERT_FILE = os.environ.get("CERTIFICATE_SIGNING_CERT_FILE", "")
CERTIFICATE_KEYS_DIR = Path(os.environ.get("CERTIFICATE_KEYS_DIR", BASE_DIR / "var" / "keys"))
CERTIFICATE_TSA_URL = os.environ.get("CERTIFICATE_TSA_URL", "")

# What a German public body publishes (legal/): the provider named in the Impressum (§ 5 DDG),
# the privacy notice's controller and data protection officer (Art. 13 GDPR), the enforcement
# body of the accessibility statement (BITV 2.0). Multi-line values use " | " between lines.
LEGAL_PUBLISHER = os.environ.get("LEGAL_PUBLISHER", "Landkreis Heidestadt – Kreisverwaltung")
LEGAL_ADDRESS = os.environ.get("LEGAL_ADDRESS", "Kreishausplatz 1 | 12345 Heidestadt")
LEGAL_REPRESENTATIVE = os.environ.get("LEGAL_REPRESENTATIVE", "Landrätin Dr. Erika Beispiel")
LEGAL_CONTACT_EMAIL = os.environ.get("LEGAL_CONTACT_EMAIL", "lernwerkstatt@landkreis.example")
LEGAL_PHONE = os.environ.get("LEGAL_PHONE", "+49 1234 56789-0")
LEGAL_VAT_ID = os.environ.get("LEGAL_VAT_ID", "")
LEGAL_DPO_CONTACT = os.environ.get(
    "LEGAL_DPO_CONTACT", "Datenschutzbeauftragte des Landkreises | datenschutz@landkreis.example"
)
LEGAL_SUPERVISORY_AUTHORITY = os.environ.get(
    "LEGAL_SUPERVISORY_AUTHORITY", "Die oder der Landesbeauftragte für den Datenschutz des Landes"
)
LEGAL_ENFORCEMENT_BODY = os.environ.get(
    "LEGAL_ENFORCEMENT_BODY",
    "Die Schlichtungsstelle nach dem Behindertengleichstellungsgesetz des Landes",
)
LEGAL_ACCESSIBILITY_REVIEWED = os.environ.get("LEGAL_ACCESSIBILITY_REVIEWED", "2026-11-30")
# Telemetry (workshops.telemetry): the MQTT broker the machines publish to, e.g.
# mqtt://ingest:secret@mosquitto:1883 (mqtts:// for TLS); unset = no ingest process. Devices
# publish under MQTT_TOPIC_PREFIX/<inventory number>/state|counters|energy and OctoPrint under
# MQTT_OCTOPRINT_PREFIX/<inventory number>/... An error state reported for longer than
# TELEMETRY_ERROR_MINUTES marks the item defective; MQTT_CLIENT_ID keeps the broker's session
# (messages at QoS 1 wait while the ingest process restarts).
MQTT_URL = os.environ.get("MQTT_URL", "")
MQTT_TOPIC_PREFIX = os.environ.get("MQTT_TOPIC_PREFIX", "lernwerkstatt")
MQTT_OCTOPRINT_PREFIX = os.environ.get("MQTT_OCTOPRINT_PREFIX", "octoPrint")
MQTT_CLIENT_ID = os.environ.get("MQTT_CLIENT_ID", "lernwerkstatt-ingest")
TELEMETRY_ERROR_MINUTES = int(os.environ.get("TELEMETRY_ERROR_MINUTES", "15"))
