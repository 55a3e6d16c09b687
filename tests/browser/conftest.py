"""Real-browser tests: one live server per session, Chromium driven by Playwright, axe-core.

The live server is its own application instance on its own database (a SQLite file in a
temporary folder, or a throw-away PostgreSQL database when ``DATABASE_URL`` is set),
migrated, loaded with ``tenants/`` and seeded with the demo data, and served by werkzeug
in a background thread on 127.0.0.1. CSRF is on (the browser submits the real forms),
rate limits are off, jobs run in-process.

Fixtures:

- ``live_url``: the server's base URL; ``live_server`` also gives the app (``.app``) for
  reading or resetting data inside ``with live_server.app.app_context():``.
- ``browser``: Chromium (``/usr/bin/chromium``, or ``$DUO_CHROMIUM``), one per session.
- ``page`` (laptop, 1280x800) and ``phone_page`` (390x844, mobile): a new context per
  test, relative URLs (``page.goto("/login")``). The locale is the ``browser_locale``
  fixture (``en-GB``); override it with ``@pytest.mark.parametrize("browser_locale",
  ["fr-BE"])``. ``new_page("phone", locale="nl-BE")`` opens more pages.
- ``axe(page)``: runs axe-core with the WCAG 2.1 A/AA rules and fails with a readable list
  of violations. ``login_as(page, email, password)``: logs in through /login.

A test fails if the server raised an exception or the page threw a JavaScript error while
it ran. Without Chromium or axe-core the tests skip with the reason (fail under CI=true).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from flask import Flask, got_request_exception
from werkzeug.serving import make_server

from appfactory import PASSWORD, build_app, make_settings, migrate_and_load, postgres_database  # noqa: F401
from duo.core.settings import REPO_ROOT
from support import DATABASE_URL, need

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEVICES: dict[str, dict[str, Any]] = {
    "laptop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
    },
}
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser is a browser test, marked or not (``-m "not browser"``)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


# --------------------------------------------------------------------------- live server


@dataclass
class LiveServer:
    app: Flask
    url: str
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from duo.consumers.demo.seed import seed
    from duo.core.db import db
    from duo.core.jobs import dispatch

    tmp = tmp_path_factory.mktemp("live")
    database = postgres_database(DATABASE_URL) if DATABASE_URL else nullcontext(None)
    with database as url:
        app = build_app(make_settings(tmp, url), WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
        migrate_and_load(app)
        with app.app_context():
            seed()
            db.session.commit()
            # The demo's mails wait in the outbox for "the first requests": run them now,
            # so that no test's first page pays for hundreds of jobs (and times out).
            for _round in range(20):
                if not dispatch():
                    break
            db.session.remove()

        server_errors: list[str] = []

        def record(sender: Flask, exception: BaseException, **extra: object) -> None:
            server_errors.append("".join(traceback.format_exception(exception)))

        got_request_exception.connect(record, app)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="duo-live-server", daemon=True)
        thread.start()
        try:
            yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", server_errors)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            got_request_exception.disconnect(record, app)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture(scope="session")
def live_url(live_server: LiveServer) -> str:
    return live_server.url


# --------------------------------------------------------------------------- browser


def _chromium_path() -> str | None:
    explicit = os.environ.get("DUO_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        need(False, "the Python package playwright is not installed (make install)")
    executable = _chromium_path()
    need(
        executable is not None,
        "Chromium not found (/usr/bin/chromium; apt-get install chromium, or set DUO_CHROMIUM)",
    )
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Error as exc:
            need(False, f"Chromium at {executable} does not start: {exc}")
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser_locale() -> str:
    """The browser's language (Accept-Language); override with parametrize."""
    return "en-GB"


@pytest.fixture
def new_page(
    browser: Any, live_server: LiveServer, browser_locale: str
) -> Iterator[Callable[..., Any]]:
    """``new_page("laptop" | "phone", locale=...)``: a page in a fresh browser context."""
    contexts: list[Any] = []
    page_errors: list[str] = []
    server_errors_before = len(live_server.errors)

    def open_page(device: str = "laptop", locale: str | None = None) -> Any:
        context = browser.new_context(
            base_url=live_server.url, locale=locale or browser_locale, **DEVICES[device]
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: page_errors.append(f"{page.url}: {exc}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    server_errors = live_server.errors[server_errors_before:]
    if server_errors or page_errors:
        lines = [f"server: {e}" for e in server_errors] + [f"page: {e}" for e in page_errors]
        pytest.fail("errors while the test ran:\n" + "\n".join(lines), pytrace=False)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page("laptop")


@pytest.fixture
def phone_page(new_page: Callable[..., Any]) -> Any:
    return new_page("phone")


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="session")
def login_as() -> Callable[[Any, str, str], Any]:
    """``login_as(page, email, password)``: log in through the form; the page lands after it.

    A TOTP code works once, and codes follow real time (30 s steps), while the journeys log
    the same demo accounts in dozens of times a minute. So the first login of an account
    goes through the form with its code (the real path, tested as such), and later ones
    reuse that login's session cookie, as a coordinator's browser would; when that
    session has ended (a test logged out), the next login waits for a fresh code.
    """
    import pyotp

    from duo.consumers.demo.seed import demo_totp_secret
    from duo.core.auth.twofactor import wall_step

    sessions: dict[str, list[dict[str, Any]]] = {}
    used: dict[str, int] = {}

    def reuse(page: Any, email: str) -> bool:
        cookies = sessions.get(email)
        if not cookies:
            return False
        page.context.add_cookies(cookies)
        page.goto("/")
        path = urlparse(page.url).path
        if path == "/" or path.startswith("/login"):  # not logged in: home or the login form
            page.context.clear_cookies()
            sessions.pop(email, None)
            return False
        return True

    def login(page: Any, email: str, password: str) -> Any:
        if reuse(page, email):
            return page
        page.goto("/login")
        form = page.locator("main form")
        form.locator("input[name=email]").fill(email)
        form.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        totp = pyotp.TOTP(demo_totp_secret(email))
        for _ in range(3):
            if "/login/code" not in page.url:
                break
            while wall_step(totp) <= used.get(email, -1):
                time.sleep(0.5)  # that step's code was used: the next one comes within 30 s
            step = wall_step(totp)
            used[email] = step
            code_form = page.locator("#two-factor-form")
            code_form.locator("input[name=code]").fill(totp.generate_otp(step))
            with page.expect_navigation():
                code_form.locator("button[type=submit]").click()
        if "/login" in page.url:
            errors = page.locator(".flash, .field-error").all_inner_texts()
            pytest.fail(f"login as {email} failed: {errors}", pytrace=False)
        sessions[email] = page.context.cookies()
        return page

    return login


@pytest.fixture(scope="session")
def axe_source() -> str:
    need(
        AXE_PATH.exists(),
        f"axe-core is not installed ({AXE_PATH.relative_to(REPO_ROOT)}): "
        "run `make install` (needs npm)",
    )
    return AXE_PATH.read_text(encoding="utf-8")


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'n/a'}): {v['help']}  [{v['helpUrl']}]")
        for node in v["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target}  -- {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture
def axe(axe_source: str) -> Callable[..., dict[str, Any]]:
    """``axe(page)``: fail with the WCAG 2.1 A/AA violations of the page as it is now."""

    def run(page: Any, disable: tuple[str, ...] = ()) -> dict[str, Any]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        options = {
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "rules": {rule: {"enabled": False} for rule in disable},
            "resultTypes": ["violations"],
        }
        result = page.evaluate("(options) => window.axe.run(document, options)", options)
        if result["violations"]:
            pytest.fail(format_violations(page.url, result["violations"]), pytrace=False)
        return result

    return run


@pytest.fixture
def demo_locales_restored(live_server) -> Iterator[None]:
    """The language switcher stores the choice on the user: put the demo users back after."""
    yield
    from sqlalchemy import select, update

    from duo.consumers.demo.seed import HQ_EMAIL, coordinator_email
    from duo.core.auth.models import User
    from duo.core.db import db
    from duo.core.tenancy.models import Tenant

    with live_server.app.app_context():
        for tenant in db.session.execute(select(Tenant)).scalars():
            db.session.execute(
                update(User)
                .where(User.email == coordinator_email(tenant.slug))
                .values(locale=tenant.default_locale)
            )
        db.session.execute(update(User).where(User.email == HQ_EMAIL).values(locale="en"))
        db.session.commit()
        db.session.remove()
