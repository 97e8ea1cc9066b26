"""The security headers every response carries, imported by config/settings.py."""

from csp.constants import NONE, SELF

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
