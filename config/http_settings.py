"""The security headers every response carries and the limits on what a request may send,
imported by config/settings.py."""

import os

from csp.constants import NONE, SELF

__all__ = [
    "API_MAX_JSON_DEPTH",
    "CONTENT_SECURITY_POLICY",
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "DATA_UPLOAD_MAX_NUMBER_FIELDS",
    "FILE_UPLOAD_MAX_MEMORY_SIZE",
    "MAX_REQUEST_BODY_BYTES",
    "PERMISSIONS_POLICY",
]

# Request size: no body above MAX_REQUEST_BODY_BYTES is read (413, checked on Content-Length;
# a view may allow less, core.http.body_limit); form fields and JSON beyond
# DATA_UPLOAD_MAX_MEMORY_SIZE are refused; uploads above FILE_UPLOAD_MAX_MEMORY_SIZE go to a
# temporary file, not memory.
MAX_REQUEST_BODY_BYTES = int(os.environ.get("MAX_REQUEST_BODY_BYTES", str(12 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2560 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", str(2560 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# JSON deeper than this is refused (400) before it can exhaust the parser's recursion.
API_MAX_JSON_DEPTH = int(os.environ.get("API_MAX_JSON_DEPTH", "32"))

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from our own origin
# (htmx, Chart.js and axe-core are vendored under static/), no inline script or style, no eval,
# no plug-ins, no framing. Templates carry no <script> blocks, on* handlers or style="" (bars set
# their width from static/js/site.js). form-action is left open on purpose: a sign-in form may
# redirect to a district's identity provider, and browsers check form-action on redirects.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (config.middleware.PermissionsPolicyMiddleware): browser features no page of
# ours uses are off for us and anything embedded.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "fullscreen": ["self"],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
