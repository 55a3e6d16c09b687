"""Issue 3 in a real browser: a visitor signs up in Dutch at Antwerp, the coordinator sees
the registration, marks attendance, records the intake, and the eligibility decision is
shown with a reason per rule.

The journey takes the coordinator's real path: attendance can be recorded from the day of
the session on, so the coordinator first plans a session for later today (in the branch's
time zone) through the sessions pages, and the visitor signs up for that one. Late in the
evening, when no start time is left today, the session is planned for tomorrow and moved
back a day in the database after the sign-up (the day of the session has come).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.support import Translations
from playwright.sync_api import expect
from sqlalchemy import select, update

from duo.consumers.demo.seed import DEMO_PASSWORD, coordinator_email
from duo.core.db import utcnow
from duo.core.i18n.zones import local_today
from duo.core.settings import REPO_ROOT

pytestmark = pytest.mark.browser

BRANCH = "antwerp"


def gettext(locale: str, msgid: str, **values: object) -> str:
    """What the app shows for ``msgid`` in ``locale``: the compiled catalogue, else English."""
    text = Translations.load(str(REPO_ROOT / "translations"), [locale]).gettext(msgid)
    return text % values if values else text


def html_lang(page: Any) -> str:
    return page.evaluate("() => document.documentElement.lang")


def no_horizontal_scroll(page: Any) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["scroll"] <= sizes["inner"], sizes


def branch_facts(live_server: Any) -> tuple[str, int]:
    """The branch's time zone and how many mentee rules it applies (enabled ones)."""
    from duo.core.db import db
    from duo.core.tenancy.models import Tenant
    from duo.eligibility.decisions import rules_for

    with live_server.app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == BRANCH)).scalar_one()
        rules = [r for r in rules_for(tenant.config, "mentee") if r.get("enabled", True)]
        facts = (tenant.timezone, len(rules))
        db.session.remove()
    return facts


def session_slot(zone: ZoneInfo) -> tuple[date, str, bool]:
    """A start later today in the branch's zone (date, HH:MM, True), else tomorrow 09:00."""
    now = utcnow()
    start = (now + timedelta(minutes=15)).astimezone(zone)
    start = start.replace(minute=start.minute - start.minute % 5, second=0, microsecond=0)
    # Not across midnight, nor in the hour the clocks change (a time that does not exist
    # or exists twice).
    unambiguous = start.replace(fold=0).utcoffset() == start.replace(fold=1).utcoffset()
    if start.date() == now.astimezone(zone).date() and unambiguous:
        return start.date(), start.strftime("%H:%M"), True
    return now.astimezone(zone).date() + timedelta(days=1), "09:00", False


def move_session_back_a_day(live_server: Any, session_id: uuid.UUID) -> None:
    from duo.core.db import db
    from duo.core.tenancy.context import tenant_scope
    from duo.core.tenancy.models import Tenant
    from duo.sessions.models import InfoSession

    with live_server.app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == BRANCH)).scalar_one()
        with tenant_scope(tenant.id):
            info = db.session.execute(
                select(InfoSession).where(InfoSession.id == session_id)
            ).scalar_one()
            db.session.execute(
                update(InfoSession)
                .where(InfoSession.id == session_id, InfoSession.tenant_id == tenant.id)
                .values(starts_at=info.starts_at - timedelta(days=1))
            )
            db.session.commit()
        db.session.remove()


def submit(page: Any, form: Any) -> None:
    """Click the form's own submit button and wait for the next page."""
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_visitor_signs_up_in_dutch_and_coordinator_decides_eligibility(
    new_page,
    login_as,
    axe,
    live_server,
) -> None:
    timezone, n_rules = branch_facts(live_server)
    zone = ZoneInfo(timezone)
    today = local_today(timezone)
    token = uuid.uuid4().hex[:8]
    first, last = "Samira", f"El Idrissi {token}"
    email = f"samira.{token}@example.org"
    birth = date(today.year - 25, 1, 1)  # 25 on any day of this year

    # ------------------------------------------------------------ the coordinator plans
    coordinator = new_page("laptop")
    login_as(coordinator, coordinator_email(BRANCH), DEMO_PASSWORD)
    coordinator.goto(f"/{BRANCH}/sessions/")
    axe(coordinator)
    with coordinator.expect_navigation():
        coordinator.locator(f"main a[href$='/{BRANCH}/sessions/new']").click()
    day, at, is_today = session_slot(zone)
    form = coordinator.locator("main form")
    form.locator("#start_date").fill(day.isoformat())
    form.locator("#start_time").fill(at)
    form.locator("#place").fill("Kerkstraat 1, 2060 Antwerpen")
    form.locator("#audience").select_option("mentees")
    form.locator("#language").select_option("nl")
    form.locator("#capacity").fill("15")
    submit(coordinator, form)
    assert "/sessions/new" not in coordinator.url, coordinator.locator(
        ".field-error"
    ).all_inner_texts()
    session_id = uuid.UUID(coordinator.url.rstrip("/").rsplit("/", 1)[-1])

    # ------------------------------------------------------------ the visitor signs up
    visitor = new_page("laptop", locale="nl-BE")
    visitor.goto(f"/{BRANCH}/join")
    assert html_lang(visitor) == "nl"
    axe(visitor)
    with visitor.expect_navigation():
        visitor.locator("main a[href*='audience=mentee']").click()
    axe(visitor)
    form = visitor.locator("main form.panel")
    form.locator(f"#session-{session_id}").check()
    form.locator("#first_name").fill(first)
    form.locator("#last_name").fill(last)
    form.locator("#email").fill(email)
    form.locator("#phone").fill("+32 470 12 34 56")
    form.locator("#birth_year").fill(str(birth.year))
    form.locator("#heard_from").select_option("friends_family")
    form.locator("#consent").check()
    submit(visitor, form)
    assert visitor.url.endswith(f"/{BRANCH}/join/done"), visitor.locator(
        ".field-error, .error-summary"
    ).all_inner_texts()
    assert html_lang(visitor) == "nl"
    expect(visitor.locator("main h1")).to_have_text(gettext("nl", "You are registered"))
    expect(visitor.locator("main")).to_contain_text("s…@example.org")
    axe(visitor)

    if not is_today:  # late in the evening: the day of the session has come
        move_session_back_a_day(live_server, session_id)

    # ------------------------------------------------------------ attendance
    coordinator.goto(f"/{BRANCH}/sessions/")
    with coordinator.expect_navigation():
        coordinator.locator(f"main a[href$='/sessions/{session_id}']").first.click()
    registrants = coordinator.locator("#people-heading + .table-wrap table tbody")
    expect(registrants.locator("th[scope=row]")).to_have_text([f"{first} {last}"])
    expect(registrants).to_contain_text(email)
    with coordinator.expect_navigation():
        coordinator.locator(f"main a[href$='/sessions/{session_id}/attendance']").click()
    axe(coordinator)
    form = coordinator.locator("main form")
    form.get_by_label(f"{first} {last}").check()
    submit(coordinator, form)
    assert coordinator.url.endswith(f"/sessions/{session_id}"), coordinator.url
    lang = html_lang(coordinator)
    expect(registrants.locator("tr td").last).to_have_text(gettext(lang, "yes"))

    # ------------------------------------------------------------ the candidate's page
    coordinator.goto(f"/{BRANCH}/people/")
    axe(coordinator)
    search = coordinator.locator("main form[role=search]")
    search.locator("#q").fill(last)
    submit(coordinator, search)
    results = coordinator.locator("#results-heading + .table-wrap table tbody tr")
    expect(results).to_have_count(1)
    with coordinator.expect_navigation():
        results.locator("th a").click()
    person_url = coordinator.url
    expect(coordinator.locator("main h1")).to_have_text(f"{first} {last}")
    expect(coordinator.locator("main .lead strong")).to_have_text(
        gettext(lang, "attended an information session")
    )

    # ------------------------------------------------------------ the intake
    with coordinator.expect_navigation():
        coordinator.locator("#next-heading ~ p a[href$='/intake']").click()
    axe(coordinator)
    form = coordinator.locator("main form.intake")
    form.locator("#birth_date").fill(birth.isoformat())
    form.locator("#postcode").fill("2060")
    form.locator("#languages-0-language").select_option("nl")
    form.locator("#languages-0-level").select_option("B2")
    form.locator("#languages-1-language").select_option("ar")
    form.locator("#languages-1-level").select_option("native")
    form.locator("#target_sector").select_option("logistics")
    form.locator("#professional_goal").fill("Magazijnmedewerker worden")
    for key in ("cv", "interview"):
        form.locator(f"input[name=help_questions][value={key}]").check()
    form.locator("#education_level").select_option(index=2)
    for slot in ("tue-evening", "sat-morning"):
        form.locator(f"#availability-{slot}").check()
    form.locator("#interests").fill("voetbal, koken")
    form.locator("input[name=seeking_job_study_or_internship][value=yes]").check()
    form.locator("input[name=registered_jobseeker][value=yes]").check()
    form.locator("input[name=other_barriers][value=no]").check()
    form.locator("#sensitive_consent").check()
    form.locator("#migration_background").select_option("non_eu_nationality")
    form.locator("input[name=allowed_to_work][value=yes]").check()
    submit(coordinator, form)
    assert coordinator.url == person_url, coordinator.locator(".field-error").all_inner_texts()

    # ------------------------------------------------------------ the decision, with reasons
    decision = coordinator.locator(".decision .badge")
    expect(decision).to_have_class("badge outcome-eligible")
    expect(decision).to_have_text(gettext(lang, "Eligible"))
    expect(coordinator.locator("main .lead strong")).to_have_text(gettext(lang, "eligible"))
    rules = coordinator.locator("#eligibility-heading ~ ul.rule-results > li")
    expect(rules).to_have_count(n_rules)
    expect(rules.first).to_contain_text("25")  # the age rule, with the age it found
    for i in range(n_rules):
        rule = rules.nth(i)
        expect(rule).to_have_class("outcome-eligible")
        reason = rule.inner_text().replace(gettext(lang, "Eligible"), "", 1).strip()
        assert len(reason) > 5, f"rule {i} has no reason: {rule.inner_text()!r}"
    axe(coordinator)

    # ------------------------------------------------------------ one fact changes
    with coordinator.expect_navigation():
        coordinator.locator("#profile-heading ~ p a[href$='/intake']").click()
    form = coordinator.locator("main form.intake")
    expect(form.locator("input[name=allowed_to_work][value=yes]")).to_be_checked()
    form.locator("input[name=allowed_to_work][value=no]").check()
    submit(coordinator, form)
    assert coordinator.url == person_url
    expect(decision).to_have_class("badge outcome-not_eligible")
    expect(coordinator.locator("main .lead strong")).to_have_text(gettext(lang, "not eligible"))
    expect(rules.locator(".badge.outcome-not_eligible")).to_have_count(1)
    expect(coordinator.locator(".earlier-decisions .badge.outcome-eligible").first).to_be_attached()


@pytest.mark.parametrize("path", ["join", "join?audience=mentee"])
def test_join_page_on_a_phone_in_dutch(new_page, axe, path: str) -> None:
    page = new_page("phone", locale="nl-BE")
    response = page.goto(f"/{BRANCH}/{path}")
    assert response is not None and response.status == 200
    assert html_lang(page) == "nl"
    axe(page)
    no_horizontal_scroll(page)
