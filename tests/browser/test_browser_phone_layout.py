"""Issue 14, item 1: every coordinator page and personal-link page, phone first.

At 390 x 844 (phone) and 1280 x 800 (laptop): no sideways scroll of the page or of a
table inside it, nothing cut off at the right edge, axe-core clean, and on a phone a
compact header (the menu folds into one "Menu" button) and lists shown as cards. Each
page's screenshot is saved under ``instance/screenshots/`` (the path is printed) so a
person can look at what the test saw.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from duo.consumers.demo.seed import DEMO_PASSWORD, coordinator_email
from duo.core.settings import REPO_ROOT
from support import run_jobs

pytestmark = pytest.mark.browser

SHOTS = REPO_ROOT / "instance" / "screenshots"
BRUSSELS = coordinator_email("brussels")

#: name -> path (``{mentee}``, ``{mentor}``, ``{attended}``, ``{duo}``: demo ids;
#: ``{scheduled}`` a candidate given an intake appointment, ``{intake_token}`` its link).
PAGES = {
    "dashboard": "/brussels/",
    "people": "/brussels/people/",
    "person": "/brussels/people/{mentor}",
    "intake": "/brussels/people/{attended}/intake",
    "intakes": "/brussels/people/intakes",
    "appointment": "/brussels/people/{attended}/appointment",
    "person_scheduled": "/brussels/people/{scheduled}",
    "my_intake": "/brussels/my-intake/{intake_token}",
    "sessions": "/brussels/sessions/",
    "training": "/brussels/training/",
    "matching": "/brussels/matching/",
    "duos": "/brussels/duos/",
    "duo": "/brussels/duos/{duo}",
    "privacy": "/brussels/people/{mentor}/privacy",
    "audit": "/brussels/audit/",
    "move_in": "/brussels/move-in/",
    "figures": "/brussels/figures/",
    "outbox": "/brussels/outbox",
    "import": "/brussels/people/import",
    "new_session": "/brussels/sessions/new",
    "calendar": "/brussels/training/calendar",
    "curriculum": "/brussels/training/curriculum",
    "new_cycle": "/brussels/training/cycles/new",
    "account": "/account",
    "join": "/brussels/join",
}

#: The right edge of anything visible that sticks out of the viewport (or of a table wrapper).
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, .skip-link, details:not([open]) > :not(summary)')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(box.right)}`);
    }
    if (el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(style.overflowX)) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} scrolls sideways`);
    }
  }
  return {page: document.scrollingElement.scrollWidth, width, out: out.slice(0, 15)};
}
"""


@pytest.fixture(scope="module")
def demo_ids(live_server: Any) -> dict[str, str]:
    from duo.core.db import db
    from duo.core.tenancy.context import tenant_scope
    from duo.core.tenancy.models import Tenant
    from duo.duos.models import Duo
    from duo.people import states
    from duo.people.models import Person

    with live_server.app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == "brussels")).scalar_one()
        with tenant_scope(tenant.id):

            def first(role: str, state: str) -> str:
                stmt = select(Person.id).where(Person.role == role, Person.state == state)
                return str(db.session.execute(stmt.limit(1)).scalar_one())

            ids = {
                "mentor": first("mentor", states.ELIGIBLE),
                "attended": first("mentee", states.ATTENDED),
                "duo": str(db.session.execute(select(Duo.id).limit(1)).scalar_one()),
            }
            ids["scheduled"], ids["intake_token"] = _an_intake(tenant, ids["attended"])
            db.session.commit()
        run_jobs()  # the invitation: nothing left for the server's requests to send
        db.session.commit()
        db.session.remove()
    return ids


def _an_intake(tenant: Any, but_not: str) -> tuple[str, str]:
    """Another attended candidate's intake, scheduled in three days, and its link's token."""
    import datetime as dt
    import uuid
    from zoneinfo import ZoneInfo

    from duo.core.db import db, utcnow
    from duo.intake import appointments
    from duo.people import states
    from duo.people.models import Person

    person = db.session.execute(
        select(Person)
        .where(Person.state == states.ATTENDED, Person.id != uuid.UUID(but_not))
        .order_by(Person.id)
        .limit(1)
    ).scalar_one()
    day = utcnow().astimezone(ZoneInfo(tenant.timezone)).date() + dt.timedelta(days=3)
    plan = appointments.Plan(day=day, time=dt.time(10), place="Rue de la Loi 1, 1000 Bruxelles")
    appointment = appointments.current(person) or appointments.schedule(
        person, plan, by=None, tenant=tenant
    )
    return str(person.id), appointments.link_for(appointment)


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


@pytest.mark.parametrize("device", ["phone", "laptop"])
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_the_screen(
    new_page,
    login_as,
    axe,
    demo_ids,
    device: str,
    name: str,
) -> None:
    page = new_page(device)
    if name != "join":
        login_as(page, BRUSSELS, DEMO_PASSWORD)
    response = page.goto(PAGES[name].format(**demo_ids))
    assert response is not None and response.status == 200, page.url
    shoot(page, f"{name}-{device}")
    sizes = page.evaluate(OVERFLOW_JS)
    assert sizes["page"] <= sizes["width"], sizes
    assert not sizes["out"], sizes["out"]
    axe(page)


def test_phone_header_is_compact_and_its_menu_folds(new_page, login_as) -> None:
    page = new_page("phone")
    login_as(page, BRUSSELS, DEMO_PASSWORD)
    page.goto("/brussels/people/")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 80, header
    menu = page.locator("details.menu")
    assert menu.is_visible()
    nav_link = menu.locator("nav a").first
    assert not nav_link.is_visible()
    menu.locator("summary").click()
    assert nav_link.is_visible()
    shoot(page, "menu-open-phone")
    # On a laptop the same links are in the bar, without a Menu button.
    laptop = new_page("laptop")
    login_as(laptop, BRUSSELS, DEMO_PASSWORD)
    laptop.goto("/brussels/people/")
    assert not laptop.locator("details.menu").is_visible()
    assert laptop.locator("nav.main-nav a").first.is_visible()


def test_lists_are_cards_on_a_phone(new_page, login_as) -> None:
    page = new_page("phone")
    login_as(page, BRUSSELS, DEMO_PASSWORD)
    page.goto("/brussels/people/")
    rows = page.locator("table.list tbody tr")
    assert rows.count() > 3
    heights = [rows.nth(i).bounding_box()["height"] for i in range(min(rows.count(), 10))]
    assert max(heights) < 200, heights
    head = page.locator("table.list thead").first.bounding_box()
    assert head is None or head["height"] <= 1, head  # column headings only for screen readers


def test_matching_session_is_short_pairs_first_details_on_demand(new_page, login_as, axe) -> None:
    page = new_page("phone")
    login_as(page, coordinator_email("liege"), DEMO_PASSWORD)
    page.goto("/liege/matching/")
    with page.expect_navigation():
        page.locator("#start-session, #continue-session").first.click()
    pairs = page.locator("li.pair")
    count = pairs.count()
    assert count >= 1
    # The pairs come before the pool's summary; each pair's score details fold.
    order = page.evaluate(
        "() => [...document.querySelectorAll('#suggestions-heading, #summary-heading')]"
        ".map(e => e.id)"
    )
    assert order[0] == "suggestions-heading", order
    criteria = pairs.first.locator("table.criteria")
    assert not criteria.is_visible()
    pairs.first.locator("details.why-score summary").click()
    assert criteria.is_visible()
    pairs.first.locator("details.why-score summary").click()
    heights = [pairs.nth(i).bounding_box()["height"] for i in range(count)]
    assert max(heights) < 420, heights  # was about 650 px a pair on a phone
    shoot(page, "matching-session-phone")
    sizes = page.evaluate(OVERFLOW_JS)
    assert sizes["page"] <= sizes["width"] and not sizes["out"], sizes
    axe(page)
