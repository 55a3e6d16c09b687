"""Security headers on every response: what a browser may load, frame, send and sniff.

- ``Content-Security-Policy``: scripts, styles, fonts and images from this site only, no
  inline script or style (the pages have none: behaviour lives in ``static/duo.js``), no
  plugins, forms post only here, and ``frame-ancestors 'none'`` so that no other site
  can frame a page with POST buttons (clickjacking);
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``;
- ``X-Content-Type-Options: nosniff``;
- ``Referrer-Policy: same-origin``, and ``no-referrer`` on personal-link pages, so that
  the token in their URL never leaves in a ``Referer``;
- ``Strict-Transport-Security`` when the request came over HTTPS (behind the proxy, the
  trusted ``X-Forwarded-Proto`` says so);
- ``Cache-Control: no-store`` on pages for staff and personal links: personal data stays
  out of shared and back-button caches.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from duo.core.auth.access import COORDINATOR, HQ, PERSONAL_LINK, SIGNED_IN, access_of

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"
_PRIVATE = {PERSONAL_LINK, SIGNED_IN, COORDINATOR, HQ}


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        kind = access_of(current_app.view_functions.get(request.endpoint or ""))
        headers["Referrer-Policy"] = "no-referrer" if kind == PERSONAL_LINK else "same-origin"
        if kind in _PRIVATE:
            headers["Cache-Control"] = "no-store"
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
