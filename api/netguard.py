"""Server-side request forgery guard for webhook targets.

A chamber registers the URL we POST to; without a check it could point us at the database, the
cloud metadata service (169.254.169.254) or anything else on the school authority's network.
The host is resolved and every address it resolves to must be public. Checked when the URL is
registered and again right before each delivery (DNS may have changed in between). Off when
settings.WEBHOOK_ALLOW_PRIVATE_TARGETS is true (development and tests deliver to 127.0.0.1)."""

import ipaddress
import socket
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
