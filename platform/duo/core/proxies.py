"""Forwarded headers are believed only when they come from a configured proxy.

gunicorn may be reachable by others than the proxy (a published port, a neighbour on the
network): anyone could then send ``X-Forwarded-For: <a new address>`` with every request
and escape the rate limits, or ``X-Forwarded-Host`` to choose a link's domain. The
middleware applies Werkzeug's ``ProxyFix`` only when the connection's own address is in
``DUO_TRUSTED_PROXIES`` (addresses or networks, comma-separated; default: this machine),
and removes the ``X-Forwarded-*`` headers of every other request.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

DEFAULT_TRUSTED = "127.0.0.1/32,::1/128"
_FORWARDED = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
    "HTTP_FORWARDED",
)


def parse_networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()
    ]


class TrustedProxyFix:
    """``ProxyFix`` for requests from ``trusted`` networks; forwarded headers dropped otherwise."""

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        trusted: str = DEFAULT_TRUSTED,
        hops: int = 1,
    ) -> None:
        self.app = app
        self.trusted = parse_networks(trusted)
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops)

    def is_trusted(self, address: str | None) -> bool:
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(ip in network for network in self.trusted)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self.is_trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        for key in _FORWARDED:
            environ.pop(key, None)
        return self.app(environ, start_response)
