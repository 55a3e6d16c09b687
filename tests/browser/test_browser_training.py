"""Issue 4 in a real browser: a coordinator plans a mentor-training cycle and enrols a mentor.

The Ghent coordinator imports a future mentor from a spreadsheet and records their intake
(eligible under the branch's rules), then goes to Mentor training, plans a cycle on the
weekday of the next public holiday two weeks or more away, checks that the preview skips
that holiday with its name, saves, enrols the mentor in the whole cycle, and sees them
enrolled and "in training". Dates are computed from today, so the test keeps working.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from babel.support import Translations
from playwright.sync_api import expect
from sqlalchemy import select

from duo.consumers.demo.seed import DEMO_PASSWORD, coordinator_email
from duo.core.i18n.zones import local_today
from duo.core.settings import REPO_ROOT

pytestmark = pytest.mark.browser

BRANCH = "ghent"


def gettext(locale: str, msgid: str, **values: object) -> str:
    """What the app shows for ``msgid`` in ``locale``: the compiled catalogue, else English."""
    text = Translations.load(str(REPO_ROOT / "translations"), [locale]).gettext(msgid)
    return text % values if values else text


def html_lang(page: Any) -> str:
    return page.evaluate("() => document.documentElement.lang")


def submit(page: Any, form: Any) -> None:
    """Click the form's own submit button and wait for the next page."""
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def branch_calendar(live_server: Any, language: str) -> tuple[date, dict[date, str], int]:
    """Today in the branch, its public holidays (named in ``language``) for this year and
    the next, and the number of required training modules."""
    from duo.core.db import db
    from duo.core.tenancy.models import Tenant
    from duo.training import curriculum
    from duo.training.planning import holiday_settings
    from duo.training.schedule import country_holidays

    with live_server.app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == BRANCH)).scalar_one()
        today = local_today(tenant.timezone)
        settings = holiday_settings(tenant)
        names = country_holidays(
            settings["holidays_country"],
            [today.year, today.year + 1],
            subdivision=settings["holidays_subdivision"],
            language=language,
        )
        required = sum(1 for m in curriculum.modules(tenant.config) if m.required)
        db.session.remove()
    return today, dict(names), required


def person_state(live_server: Any, person_id: uuid.UUID) -> str:
    from duo.core.db import db
    from duo.core.tenancy.context import tenant_scope
    from duo.core.tenancy.models import Tenant
    from duo.people.models import Person

    with live_server.app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == BRANCH)).scalar_one()
        with tenant_scope(tenant.id):
            state = db.session.execute(
                select(Person.state).where(Person.id == person_id)
            ).scalar_one()
        db.session.remove()
    return state


def create_eligible_mentor(page: Any, first: str, last: str, email: str, born: int) -> str:
    """Import the mentor from a spreadsheet and record an intake that makes them eligible;
    returns the URL of their page."""
    page.goto(f"/{BRANCH}/people/import")
    csv = (
        "role,first_name,last_name,email,language,birth_year\r\n"
        f"mentor,{first},{last},{email},nl,{born}\r\n"
    )
    form = page.locator("main form")
    form.locator("input[type=file]").set_input_files(
        {"name": "mentors.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    submit(page, form)
    submit(page, page.locator("#confirm-heading ~ form"))
    search = page.locator("main form[role=search]")
    search.locator("#q").fill(last)
    submit(page, search)
    with page.expect_navigation():
        page.locator("#results-heading + .table-wrap tbody th a").click()
    person_url = page.url
    with page.expect_navigation():
        page.locator("#next-heading ~ p a[href$='/intake']").click()
    form = page.locator("main form.intake")
    form.locator("#birth_date").fill(f"{born}-03-15")
    form.locator("#languages-0-language").select_option("nl")
    form.locator("#languages-0-level").select_option("native")
    form.locator("input[name=sectors][value=logistics]").check()
    form.locator("#years_experience").fill("30")
    form.locator("input[name=working_status][value=retired]").check()
    form.locator("input[name=help_questions][value=cv]").check()
    form.locator("#availability-wed-afternoon").check()
    form.locator("input[name=volunteer][value=yes]").check()
    form.locator("input[name=available_six_months][value=yes]").check()
    submit(page, form)
    assert page.url == person_url, page.locator(".field-error").all_inner_texts()
    expect(page.locator(".decision .badge")).to_have_class("badge outcome-eligible")
    return person_url


def test_coordinator_plans_a_cycle_and_enrols_a_mentor(
    page,
    login_as,
    axe,
    live_server,
) -> None:
    token = uuid.uuid4().hex[:8]
    first, last = "Marc", f"Verhoeven {token}"
    login_as(page, coordinator_email(BRANCH), DEMO_PASSWORD)
    lang = html_lang(page)
    today, holidays, n_modules = branch_calendar(live_server, lang)

    person_url = create_eligible_mentor(
        page, first, last, f"marc.{token}@example.org", today.year - 62
    )
    person_id = person_url.rstrip("/").rsplit("/", 1)[-1]

    # ------------------------------------------------------------ curriculum, plan form
    page.goto(f"/{BRANCH}/training/")
    expect(page.locator(f"#waiting a[href$='/training/people/{person_id}']")).to_have_count(1)
    with page.expect_navigation():
        page.locator("#show-curriculum").click()
    expect(page.locator("ol.curriculum > li[id^=module-]")).not_to_have_count(0)
    axe(page)
    page.go_back()
    with page.expect_navigation():
        page.locator("#plan-cycle").click()
    assert page.url.endswith(f"/{BRANCH}/training/cycles/new"), page.url
    axe(page)

    # The next public holiday at least two weeks away; the cycle runs on its weekday,
    # starting two weeks before it: the holiday falls in the middle of the cycle.
    holiday = min(d for d in holidays if d >= today + timedelta(days=15))
    start = holiday - timedelta(weeks=2)
    form = page.locator("#cycle-form")
    form.locator("#title").fill(f"Mentoropleiding {token}")
    form.locator("#content").select_option("modules")
    expect(form.locator("input[name=modules]:checked")).to_have_count(n_modules)
    form.locator("#start_date").fill(start.isoformat())
    form.locator(f"#weekdays-{holiday.weekday()}").check()
    form.locator("#start_time").fill("18:00")
    form.locator("#end_time").fill("21:00")
    form.locator("#every_weeks").fill("1")
    form.locator("#location").fill("Sint-Pietersnieuwstraat 1, Gent")
    form.locator("#capacity").fill("12")
    with page.expect_navigation():
        page.locator("#preview-cycle").click()

    # ------------------------------------------------------------ the preview
    rows = page.locator("#preview-sessions tbody tr")
    expect(rows).to_have_count(n_modules)
    dates = [
        date.fromisoformat(d)
        for d in page.locator("#preview-sessions tbody time").evaluate_all(
            "els => els.map(e => e.getAttribute('datetime'))"
        )
    ]
    assert dates[0] == start and holiday not in dates, dates
    assert all(d.weekday() == holiday.weekday() for d in dates), dates
    assert dates == sorted(dates)
    skipped = page.locator("#preview-skipped li").filter(
        has=page.locator(f"time[datetime='{holiday.isoformat()}']")
    )
    expect(skipped).to_have_count(1)
    expect(skipped).to_contain_text(
        gettext(lang, "Public holiday: %(name)s", name=holidays[holiday])
    )
    axe(page)

    # ------------------------------------------------------------ save, enrol
    with page.expect_navigation():
        page.locator("#save-cycle").click()
    assert "/training/cycles/" in page.url and not page.url.endswith("/new"), page.url
    expect(page.locator("#sessions tbody tr")).to_have_count(n_modules)
    axe(page)
    enrol = page.locator("#enrol-form")
    enrol.locator("#person_id").select_option(person_id)
    enrol.locator("#session_id").select_option("")
    with page.expect_navigation():
        page.locator("#enrol-submit").click()
    enrolled = page.locator("#enrolled tbody tr").filter(has_text=f"{first} {last}")
    expect(enrolled).to_have_count(1)
    expect(enrolled.locator("td").nth(1)).to_have_text(gettext(lang, "in training"))
    expect(page.locator("#waiting-list")).to_have_count(0)
    assert person_state(live_server, uuid.UUID(person_id)) == "in_training"
    axe(page)

    # ------------------------------------------------------------ the printable schedule
    cycle_url = page.url.split("#")[0]
    with page.expect_navigation():
        page.locator("#print-schedule").click()
    assert page.url == f"{cycle_url}/print", page.url
    expect(page.locator("#printable-schedule table tbody tr")).to_have_count(n_modules)
    axe(page)

    # ------------------------------------------------------------ the pipeline, on the person
    page.goto(person_url)
    expect(page.locator("main .lead strong")).to_have_text(gettext(lang, "in training"))
