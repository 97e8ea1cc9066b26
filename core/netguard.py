"""Server-side request forgery guard for webhook targets.

A chamber registers the URL we POST to; without a check it could point us at the database, the
cloud metadata service (169.254.169.254) or anything else on the school authority's network.
The host is resolved and every address it resolves to must be public. Checked when the URL is
registered and again right before each delivery (DNS may have changed in between). Off when
settings.WEBHOOK_ALLOW_PRIVATE_TARGETS is true (development and tests deliver to 127.0.0.1)."""

import http.client
import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings


class UnsafeTarget(ValueError):
    """The URL's host is not a public internet address (or does not resolve)."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def resolve(host: str, port: int | None) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(f"host {host!r} does not resolve") from exc
    return sorted({info[4][0] for info in infos})


def check_url(url: str) -> None:
    """Raise UnsafeTarget unless private targets are allowed or every address of the host is
    public. An IP literal is checked as is (no DNS)."""
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False):
        return
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise UnsafeTarget("no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget("invalid port") from exc
    for address in resolve(host, port):
        if not _is_public(address):
            raise UnsafeTarget(f"host {host!r} resolves to non-public address {address}")


def _guarded_create_connection(address, *args, **kwargs):
    """socket.create_connection that refuses a non-public peer. Checks the address actually
    connected to, so a name that resolved publicly for check_url and privately a moment later
    (DNS rebinding) is still refused, before any byte (TLS hello included) is sent."""
    sock = socket.create_connection(address, *args, **kwargs)
    peer = sock.getpeername()[0]
    if not getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False) and not _is_public(peer):
        sock.close()
        raise UnsafeTarget(f"host {address[0]!r} connected to non-public address {peer}")
    return sock


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_create_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_create_connection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        kwargs = {"context": self._context}
        if getattr(self, "_check_hostname", None) is not None:  # gone in Python 3.12
            kwargs["check_hostname"] = self._check_hostname
        return self.do_open(_GuardedHTTPSConnection, req, **kwargs)


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a new target: it must pass the same check as the registered URL."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def build_opener() -> urllib.request.OpenerDirector:
    """A urllib opener whose connections and redirects only reach public addresses (unless
    WEBHOOK_ALLOW_PRIVATE_TARGETS)."""
    return urllib.request.build_opener(_GuardedHTTPHandler, _GuardedHTTPSHandler, _GuardedRedirects)
