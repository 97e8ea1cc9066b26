"""The load clients' HTTP: one request on a connection of its own, through the standard library's
http.client, as a browser that paused sends it.

The load client shares the machine's two cores with the servers it measures. `requests` spent
about 3 ms of CPU per booking (its session, cookie jar, adapters and urllib3 pool), a quarter of
all the CPU a booking cost here, server and PostgreSQL included, and that CPU was missing from
whichever server was measured. Both sides of a comparison use this same client."""

import http.client
import urllib.parse

ERRORS = (OSError, http.client.HTTPException)  # what a failed request raises


def post(url: str, body: bytes, headers: dict, *, timeout: float) -> tuple[int, dict, bytes]:
    """(status, headers with lower-case names, body) of a POST to `url`."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()


def post_form(url: str, fields: dict, session, referer: str, *, timeout: float):
    """A form posted as a browser posts it, with the cookies of a `requests` session (one that
    opened the page of the form): what `post` returns."""
    cookies = "; ".join(f"{name}={value}" for name, value in session.cookies.get_dict().items())
    headers = {
        "Cookie": cookies,
        "Referer": referer,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return post(url, urllib.parse.urlencode(fields).encode(), headers, timeout=timeout)
