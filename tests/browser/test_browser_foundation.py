"""The foundation's journeys in a real browser: login, landing, language, logout, HQ, 404,
accessibility (axe, WCAG 2.1 A/AA) and no sideways scrolling on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from babel.support import Translations
from sqlalchemy import select

from duo.consumers.demo.seed import DEMO_PASSWORD, HQ_EMAIL, coordinator_email
from duo.core.settings import REPO_ROOT

pytestmark = pytest.mark.browser

BRUSSELS = coordinator_email("brussels")
BRUSSELS_NAMES = {"fr": "Bruxelles", "nl": "Brussel", "en": "Brussels"}


def gettext(locale: str, msgid: str, **values: object) -> str:
    """What the app shows for ``msgid`` in ``locale``: the compiled catalogue, else English."""
    text = Translations.load(str(REPO_ROOT / "translations"), [locale]).gettext(msgid)
    return text % values if values else text


def html_lang(page: Any) -> str:
    return page.evaluate("() => document.documentElement.lang")


def test_coordinator_logs_in_switches_language_and_logs_out(
    page,
    login_as,
    demo_locales_restored,
) -> None:
    login_as(page, BRUSSELS, DEMO_PASSWORD)
    assert page.url.endswith("/brussels/")
    assert html_lang(page) == "fr"  # the coordinator's own language (the branch's first)
    assert "Coordinator Brussels" in page.locator(".who:visible").inner_text()

    switcher = page.locator("form.lang-switch:visible")
    assert switcher.locator("button").all_inner_texts() == ["Français", "Nederlands", "English"]

    for code in ("fr", "nl", "en"):
        with page.expect_navigation():
            switcher.locator(f"button[value={code}]").click()
        assert page.url.endswith("/brussels/"), page.url
        assert html_lang(page) == code
        current = switcher.locator("button[aria-current=true]")
        assert current.count() == 1
        assert current.get_attribute("value") == code
        branch = BRUSSELS_NAMES[code]
        heading = page.locator("main h1").inner_text()
        assert heading == gettext(code, "%(branch)s: overview", branch=branch)
        assert page.locator(".brand-text strong").inner_text() == branch
        assert page.locator("#next-heading").inner_text() == gettext(code, "What to do next")
        assert gettext(code, "coordinator") in page.locator(".who:visible").inner_text()

    with page.expect_navigation():
        page.locator("form[action$='/logout'] button:visible").click()
    assert page.url.endswith("/login")
    assert page.locator(".who:visible").count() == 0
    page.goto("/brussels/")
    assert "/login" in page.url  # the session is really gone


def test_hq_lands_on_figures_without_personal_data(page, login_as, live_server) -> None:
    from duo.core.db import db
    from duo.core.tenancy.context import tenant_scope
    from duo.core.tenancy.models import Tenant
    from duo.people.models import Person

    with live_server.app.app_context():
        tenants = db.session.execute(select(Tenant).order_by(Tenant.slug)).scalars().all()
        personal: set[str] = set()
        for tenant in tenants:
            with tenant_scope(tenant.id):
                for person in db.session.execute(select(Person)).scalars():
                    personal |= {person.email, f"{person.first_name} {person.last_name}"}
                    if person.phone:
                        personal.add(person.phone)
        names = {t.display_name("en") for t in tenants}
        db.session.remove()
    assert personal, "the demo data has no people"

    login_as(page, HQ_EMAIL, DEMO_PASSWORD)
    assert page.url.endswith("/hq/")
    table = page.locator("main table:has(caption#branches-caption)")
    assert table.count() == 1
    rows = table.locator("tbody tr th[scope=row]").all_inner_texts()
    assert names <= set(rows)
    text = page.locator("body").inner_text()
    leaked = sorted(p for p in personal if p in text)
    assert not leaked, f"personal data on the HQ page: {leaked[:5]}"
    page.goto("/brussels/")
    assert page.locator(".error-page").count() == 1  # HQ never opens a branch page


def test_coordinator_typing_another_branch_url_gets_404(page, login_as) -> None:
    login_as(page, BRUSSELS, DEMO_PASSWORD)
    response = page.goto("/antwerp/")
    assert response is not None and response.status == 404
    assert page.locator(".error-page h1").inner_text() == gettext(
        html_lang(page), "This page does not exist."
    )
    assert "Antwerp" not in page.locator("main").inner_text()


# --------------------------------------------------------------------------- a11y and layout

PAGES = {
    "home": (None, "/"),
    "login": (None, "/login"),
    "branch": (BRUSSELS, "/brussels/"),
    "hq": (HQ_EMAIL, "/hq/"),
    "not-found": (None, "/atlantis/"),
}


def open_page(new_page, login_as, device: str, name: str) -> Any:
    user, path = PAGES[name]
    page = new_page(device)
    if user:
        login_as(page, user, DEMO_PASSWORD)
    response = page.goto(path)
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200), page.url
    return page


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_page_passes_axe(new_page, login_as, axe, device: str, name: str) -> None:
    page = open_page(new_page, login_as, device, name)
    axe(page)


@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_scroll_on_phone(new_page, login_as, name: str) -> None:
    page = open_page(new_page, login_as, "phone", name)
    width = page.viewport_size["width"]
    sizes = page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["scroll"] <= min(sizes["inner"], width), sizes


def test_login_errors_are_shown_at_the_field(page, axe) -> None:
    page.goto("/login")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    email = page.locator("input[name=email]")
    assert email.get_attribute("aria-invalid") == "true"
    assert page.locator(f"#{email.get_attribute('aria-describedby')}").is_visible()
    axe(page)
