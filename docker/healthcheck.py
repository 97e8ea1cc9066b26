"""Container health check for the web service: GET a health URL of the local gunicorn.

Usage: python docker/healthcheck.py /readyz   (exit 0 when it answers 200, else 1)

It sends the first ALLOWED_HOSTS entry as Host (Django answers 400 to an unknown host) and
X-Forwarded-Proto: https (as the TLS proxy would, so SECURE_SSL_REDIRECT does not answer 301).
Standard library only: the slim image has no curl."""

import os
import sys
import urllib.error
import urllib.request


def main(path: str) -> int:
    base = os.environ.get("HEALTHCHECK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    hosts = [
        h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost").split(",") if h.strip()
    ]
    host = next((h for h in hosts if "*" not in h), "localhost").lstrip(".")
    request = urllib.request.Request(  # noqa: S310 - the URL is the local server, never user input
        base + path, headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310
            ok = response.status == 200
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    print("healthy" if ok else "unhealthy")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/readyz"))
