"""Start the test OpenID Connect provider: a fresh SQLite database, the users and the client the
test asks for (JSON in OIDC_PROVIDER_SETUP), then serve on a free port of 127.0.0.1 and print
"PORT <n>" once it listens. Run: python -m tests.signin.oidc_provider.serve"""

import json
import os
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.signin.oidc_provider.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

from .validator import VERIFIED  # noqa: E402


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        sys.stderr.write("idp: " + (format % args) + "\n")


def main() -> None:
    setup = json.loads(os.environ["OIDC_PROVIDER_SETUP"])
    call_command("migrate", verbosity=0)
    for person in setup["users"]:
        user = User.objects.create_user(
            username=person["email"],
            email=person["email"],
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
        VERIFIED[user.email] = person.get("email_verified", True)
    Application.objects.create(
        name="Lernwerkstatt",
        client_id=setup["client_id"],
        client_secret=setup["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=setup["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,  # no consent screen: the district's own application
    )
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_QuietHandler
    )
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
