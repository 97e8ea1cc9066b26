"""The webhook receiver the journey registers, and the check of the signature it gets."""

import base64
import hashlib
import hmac
import http.server
import threading


class Receiver:
    """A real HTTP server on 127.0.0.1 that keeps every POST it gets."""

    def __init__(self, port: int, *, fail_first: int = 0) -> None:
        self.requests: list[dict] = []
        received = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                length = int(self.headers.get("Content-Length", "0"))
                received.append({"headers": dict(self.headers), "body": self.rfile.read(length)})
                self.send_response(503 if len(received) <= fail_first else 204)
                self.end_headers()

            def log_message(self, *args):  # keep the smoke output readable
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def signature_ok(secret: str, request: dict) -> bool:
    """Standard Webhooks: one of the `v1,<base64>` signatures is the HMAC-SHA256 of
    "webhook-id.webhook-timestamp.body", keyed with the base64 after `whsec_`."""
    headers = {k.lower(): v for k, v in request["headers"].items()}
    message = (
        f"{headers.get('webhook-id', '')}.{headers.get('webhook-timestamp', '')}.".encode()
        + request["body"]
    )
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    given = [part.split(",", 1)[-1] for part in headers.get("webhook-signature", "").split()]
    return any(hmac.compare_digest(expected, sig) for sig in given)
