"""Security headers on every response, no inline script or style, proxies, masked logs."""

from __future__ import annotations

import importlib
import logging
import re
from pathlib import Path

import pytest

import duo
from duo.core.headers import CSP
from duo.core.logmask import MaskSecrets, mask
from duo.core.proxies import TrustedProxyFix

PAGES = ["/", "/login", "/healthz", "/brussels/join", "/api/v1/brussels/sessions", "/nowhere"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_headers(client, path) -> None:
    response = client.get(path)
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "'unsafe-inline'" not in CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


def test_hsts_over_https(client) -> None:
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_personal_link_pages_send_no_referrer(client) -> None:
    response = client.get("/brussels/join/registration/not-a-real-token")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_staff_pages_are_not_cached(coordinator) -> None:
    response = coordinator("brussels").get("/brussels/people/")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"] == CSP


#: Templates WeasyPrint turns into PDF documents (print styles live in the document).
PDF_TEMPLATES = {"annual.html", "agreement_pdf.html"}


def test_no_page_template_has_inline_script_or_style() -> None:
    """The CSP forbids them; a template that adds one would break silently in browsers."""
    root = Path(duo.__file__).parent
    offenders = []
    for path in root.rglob("*.html"):
        if "/mail/" in path.as_posix():
            continue  # e-mails are read by mail clients, which need inline styles
        if path.name in PDF_TEMPLATES:
            continue  # rendered to PDF by WeasyPrint on the server, never served as a page
        text = path.read_text()
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"\sstyle\s*=", text):
            offenders.append(str(path.relative_to(root)))
        if re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text) or "<style" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def _seen_by(fix: TrustedProxyFix, remote: str, headers: dict[str, str]) -> dict[str, str]:
    seen: dict[str, str] = {}

    def inner(environ, start_response):
        seen.update(
            addr=environ["REMOTE_ADDR"],
            host=environ.get("HTTP_HOST", ""),
            forwarded=environ.get("HTTP_X_FORWARDED_FOR", ""),
        )
        start_response("200 OK", [])
        return [b""]

    fix.app = inner
    fix.fixed.app = inner
    environ = {"REMOTE_ADDR": remote, "HTTP_HOST": "duo.example.org", "wsgi.url_scheme": "http"}
    environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()})
    fix(environ, lambda *a: None)
    return seen


def test_forwarded_headers_count_only_from_a_configured_proxy() -> None:
    fix = TrustedProxyFix(lambda e, s: [], trusted="10.0.0.5/32", hops=1)
    forged = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "evil.example"}
    direct = _seen_by(fix, "198.51.100.7", forged)
    assert direct["addr"] == "198.51.100.7" and direct["forwarded"] == ""
    assert direct["host"] == "duo.example.org"
    proxied = _seen_by(fix, "10.0.0.5", {"X-Forwarded-For": "203.0.113.9"})
    assert proxied["addr"] == "203.0.113.9"


def test_production_refuses_to_start_without_a_public_url(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DUO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DUO_PUBLIC_URL", raising=False)
    import sys

    with pytest.raises(RuntimeError, match="DUO_PUBLIC_URL"):
        if "duo.wsgi" in sys.modules:
            importlib.reload(sys.modules["duo.wsgi"])
        else:
            importlib.import_module("duo.wsgi")
    sys.modules.pop("duo.wsgi", None)
    monkeypatch.setenv("DUO_PUBLIC_URL", "https://duo.example.org")
    module = importlib.import_module("duo.wsgi")
    assert isinstance(module.app.wsgi_app, TrustedProxyFix)


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("GET /brussels/join/registration/AbC123secretTOKEN HTTP/1.1", "AbC123secretTOKEN"),
        (
            "GET /brussels/training/calendar/Zx9_secretFeedToken1.ics HTTP/1.1",
            "Zx9_secretFeedToken1",
        ),
        ("GET /password/reset/resetTOKENvalue HTTP/1.1", "resetTOKENvalue"),
        ("GET /brussels/people/?q=Zoubida&state=eligible HTTP/1.1", "Zoubida"),
    ],
)
def test_tokens_and_search_terms_are_masked_in_logs(line, secret, caplog) -> None:
    assert secret not in mask(line)
    logger = logging.getLogger("werkzeug.test-mask")
    logger.addFilter(MaskSecrets())
    with caplog.at_level(logging.INFO, logger="werkzeug.test-mask"):
        logger.info('127.0.0.1 - - "%s" 200 -', line)
    assert secret not in caplog.text and "***" in caplog.text
    assert "state=eligible" in mask(line) or "?q=" not in line
