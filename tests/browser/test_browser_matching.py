"""A matching session at Rotterdam in a real browser (issue 5, item 7).

The coordinator starts (or continues) the branch's matching session, reads the explained
suggestions and the alternatives, locks a pair and re-runs the suggestion (the lock is kept),
accepts two duos together, and finds them in the duo list and on a duo page with its history.
Every page of the journey passes axe; the session page also on a phone, without sideways
scrolling.

The pool does not depend on the demo seed: the module's fixture writes three waiting mentees
and four trained mentors into the live server's database, through the domain functions
(registration, intake with its eligibility decision, training enrolment and attendance).
They share English as their only working language, so that mentees the demo data may add
(who speak Dutch) do not compete for these mentors.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from duo.consumers.demo.seed import DEMO_PASSWORD, coordinator_email
from support import run_jobs

pytestmark = pytest.mark.browser

BRANCH = "rotterdam"
COORDINATOR = coordinator_email(BRANCH)
#: Every person of the fixture's pool carries this last name: the test finds them by it.
SURNAME = "Browserpool"

MENTEES = {
    "Zahra": {"target_sector": "it", "help_questions": ["cv", "network"], "interests": ["chess"]},
    "Yonas": {"target_sector": "logistics", "help_questions": ["interview"], "interests": []},
    "Lina": {"target_sector": "healthcare", "help_questions": ["cv"], "interests": ["music"]},
}
MENTORS = {
    "Harold": {"sectors": ["it"], "help_questions": ["cv", "network"], "interests": ["chess"]},
    "Margaret": {"sectors": ["logistics"], "help_questions": ["interview"], "interests": []},
    "Gerald": {"sectors": ["healthcare"], "help_questions": ["cv"], "interests": ["music"]},
    "Edith": {"sectors": ["it", "healthcare"], "help_questions": ["cv"], "interests": []},
}


@dataclass(frozen=True)
class Member:
    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class Pool:
    mentees: dict[str, Member]
    mentors: dict[str, Member]


def _mentee_answers(today: dt.date, facts: dict[str, Any]) -> dict[str, Any]:
    return {
        "birth_date": today.replace(year=today.year - 25, day=1),
        "postcode": "3011 AB",
        "languages": {"en": "B2", "ti": "native"},
        "availability": ["tue-evening", "sat-morning"],
        "digital_skills": 2,
        "personality": ["calm"],
        "professional_goal": "A first job in the sector",
        "education_level": "bachelor",
        "seeking_job_study_or_internship": True,
        "other_barriers": False,
        "migration_background": "non_eu_nationality",
        "allowed_to_work": True,
        **facts,
    }


def _mentor_answers(facts: dict[str, Any]) -> dict[str, Any]:
    return {
        "birth_date": dt.date(1960, 3, 1),
        "postcode": "3012 CD",
        "languages": {"en": "C1"},
        "availability": ["tue-evening", "sat-morning"],
        "digital_skills": 2,
        "personality": ["calm"],
        "occupations": ["manager"],
        "years_experience": 30,
        "working_status": "retired",
        "volunteer": True,
        "available_six_months": True,
        **facts,
    }


@pytest.fixture(scope="module")
def rotterdam_pool(live_server) -> Pool:
    """Waiting mentees and trained mentors of Rotterdam, written as the coordinator would."""
    from duo.core.auth.accounts import find_user
    from duo.core.db import db
    from duo.core.tenancy.context import tenant_scope
    from duo.core.tenancy.models import Tenant
    from duo.eligibility.decisions import local_today, rules_for
    from duo.intake.interview import record_intake
    from duo.people import pipeline, states
    from duo.people.models import MENTEE, MENTOR, Person
    from duo.training import curriculum, enrolment, planning
    from duo.training.models import MODULES
    from duo.training.schedule import Rhythm

    def person(role: str, first_name: str, answers: dict[str, Any]) -> Person:
        new = Person(
            role=role,
            first_name=first_name,
            last_name=SURNAME,
            email=f"{first_name}.{SURNAME}.{uuid.uuid4().hex[:6]}@example.org".lower(),
            locale="en",
        )
        pipeline.register(new, reason="Browser test")
        record_intake(
            new,
            answers,
            consent_given=True,
            rules=rules_for(tenant.config, role),
            today=today,
            by=by,
            locale="en",
        )
        return new

    with live_server.app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == BRANCH)).scalar_one()
        by = find_user(COORDINATOR)
        today = local_today(tenant.timezone)
        with tenant_scope(tenant.id):
            mentees = {n: person(MENTEE, n, _mentee_answers(today, f)) for n, f in MENTEES.items()}
            mentors = {n: person(MENTOR, n, _mentor_answers(f)) for n, f in MENTORS.items()}
            for p in [*mentees.values(), *mentors.values()]:
                assert p.state == states.ELIGIBLE, (p.full_name, p.state)

            # A mentor training that is over: every required module, attended by all four.
            plan = planning.CyclePlan(
                title="Mentor training (browser test)",
                kind=MODULES,
                start_date=today - dt.timedelta(weeks=16),
                rhythm=Rhythm((1,), dt.time(18), dt.time(21)),
                module_keys=curriculum.required_keys(tenant.config, MENTOR),
            )
            cycle = planning.create_cycle(tenant, plan, language="en", by=by)
            for mentor in mentors.values():
                enrolment.enrol(cycle, mentor, by=by)
            for session in cycle.sessions:
                enrolment.record_attendance(session, [m.id for m in mentors.values()], by=by)
            for mentor in mentors.values():
                assert mentor.state == states.TRAINED, (mentor.full_name, mentor.state)

            pool = Pool(
                {n: Member(p.id, p.full_name) for n, p in mentees.items()},
                {n: Member(p.id, p.full_name) for n, p in mentors.items()},
            )
        db.session.commit()
        run_jobs()  # the confirmations of the training places, before any page
        db.session.remove()
    return pool


@pytest.fixture
def coordinator_locale_restored(live_server) -> Iterator[None]:
    """The header's language switcher stores the choice on the user: put it back after."""
    yield
    from duo.core.auth.models import User
    from duo.core.db import db
    from duo.core.tenancy.models import Tenant

    with live_server.app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == BRANCH)).scalar_one()
        db.session.execute(
            update(User).where(User.email == COORDINATOR).values(locale=tenant.default_locale)
        )
        db.session.commit()
        db.session.remove()


def in_english(page: Any) -> None:
    """Switch the interface to English with the header's switcher, unless it is already."""
    if page.evaluate("() => document.documentElement.lang") != "en":
        menu = page.locator("details.menu")
        if menu.is_visible() and menu.get_attribute("open") is None:
            menu.locator("summary").click()  # on a phone the switcher is in the folded menu
        with page.expect_navigation():
            page.locator("form.lang-switch:visible button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def assert_no_horizontal_scroll(page: Any) -> None:
    """Nothing wider than the screen (a mobile browser widens ``innerWidth`` to fit content)."""
    sizes = page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["scroll"] <= min(sizes["inner"], page.viewport_size["width"]), sizes


def test_matching_session_accepts_two_duos(
    new_page,
    login_as,
    axe,
    rotterdam_pool: Pool,
    coordinator_locale_restored,
) -> None:
    zahra, yonas, lina = (rotterdam_pool.mentees[n] for n in ("Zahra", "Yonas", "Lina"))

    page = new_page("laptop")
    login_as(page, COORDINATOR, DEMO_PASSWORD)
    page.goto(f"/{BRANCH}/matching/")
    in_english(page)
    expect(page.locator("main h1")).to_have_text("Matching")
    axe(page)

    # Start the session, or continue the one a colleague (or the demo data) left open.
    with page.expect_navigation():
        page.locator("#start-session, #continue-session").first.click()
    assert re.search(rf"/{BRANCH}/matching/sessions/[0-9a-f-]{{36}}$", page.url), page.url
    session_url = page.url

    # Every mentee of the pool has a suggestion, explained criterion by criterion.
    pairs = {m: page.locator(f"li#pair-{m.id}") for m in (zahra, yonas, lina)}
    for mentee, pair in pairs.items():
        expect(pair).to_be_visible()
        expect(pair.locator(".pair-head label")).to_contain_text(mentee.name)
        pair.locator("details.why-score summary").click()  # the score's details, on demand
        rows = pair.locator("table.criteria tbody tr")
        assert rows.count() >= 5, f"too few criteria explained for {mentee.name}"
        for why in rows.locator("td:last-child").all_inner_texts():
            assert len(why.split()) >= 3, f"not a sentence: {why!r}"
    zahra_pair = pairs[zahra]
    expect(zahra_pair.locator("table.criteria")).to_contain_text("IT")  # the shared sector
    expect(page.locator(f"#select-{zahra.id}")).to_have_accessible_name(
        re.compile(rf"^Select {zahra.name} with .+")
    )

    # At least one alternative: open the list and read it.
    alternatives = zahra_pair.locator("details.alternatives")
    expect(alternatives).to_have_count(1)
    alternatives.locator("summary").click()
    expect(alternatives.locator("ol > li").first).to_be_visible()
    mentor_of_zahra = zahra_pair.locator(".pair-head label strong").nth(1).inner_text()
    alternative = alternatives.locator("ol > li strong").first.inner_text()
    assert alternative and alternative != mentor_of_zahra, alternative
    expect(alternatives.locator("ol > li").first).to_contain_text("points")
    axe(page)

    # Lock Zahra's pair: the others are re-optimised around it; a re-run keeps it.
    def zahra_is_locked() -> None:
        expect(zahra_pair.locator(".badge")).to_have_text("locked")
        expect(page.locator(f"#unlock-{zahra.id}")).to_be_visible()
        expect(page.locator(f"#lock-{zahra.id}")).to_have_count(0)
        expect(zahra_pair.locator(".pair-head label")).to_contain_text(mentor_of_zahra)
        expect(page.locator("#matching-constraints")).to_contain_text(mentor_of_zahra)

    with page.expect_navigation():
        page.locator(f"#lock-{zahra.id}").click()
    expect(page.locator(".flash-success")).to_contain_text(
        f"{zahra.name} and {mentor_of_zahra} are locked"
    )
    zahra_is_locked()
    with page.expect_navigation():
        page.locator("#rerun").click()
    assert page.url == session_url
    expect(page.locator(".flash-success")).to_have_count(0)  # a fresh run, not the redirect
    zahra_is_locked()

    # The session page on a phone: readable, accessible, no sideways scrolling.
    phone = new_page("phone")
    login_as(phone, COORDINATOR, DEMO_PASSWORD)
    phone.goto(session_url)
    expect(phone.locator("html")).to_have_attribute("lang", "en")  # the choice was stored
    expect(phone.locator(f"li#pair-{zahra.id}")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    axe(phone)
    # Opening Zahra's alternatives: her options explained criterion by criterion, on a phone.
    with phone.expect_navigation():
        phone.locator(f"li#pair-{zahra.id} details.alternatives summary").click()
        phone.locator(f"li#pair-{zahra.id} details.alternatives p.why a").click()
    expect(phone.locator("main h1")).to_have_text(f"Options for {zahra.name}")
    expect(phone.locator("table.criteria").first).to_be_visible()
    assert phone.locator("table.criteria").count() >= 2  # her pair and an alternative
    assert_no_horizontal_scroll(phone)
    axe(phone)

    # Tick two pairs and accept them together.
    chosen = (zahra, yonas)
    mentors = {}
    for mentee in chosen:
        box = page.locator(f"#select-{mentee.id}")
        mentors[mentee] = pairs[mentee].locator(".pair-head label strong").nth(1).inner_text()
        expect(box).to_have_accessible_name(f"Select {mentee.name} with {mentors[mentee]}")
        box.check()
    with page.expect_navigation():
        page.locator("#accept-selected").click()
    expect(page.locator("#matching-errors")).to_have_count(0)
    expect(page.locator(".flash-success")).to_contain_text("2 duos proposed")
    session_duos = page.locator("#session-duos")
    for mentee in chosen:
        expect(session_duos).to_contain_text(f"{mentee.name} and {mentors[mentee]}")
        expect(page.locator(f"li#pair-{mentee.id}")).to_have_count(0)  # out of the pool
    expect(page.locator(f"li#pair-{lina.id}")).to_be_visible()  # still waiting
    axe(page)

    # The duo list: both, with what to do next.
    page.goto(f"/{BRANCH}/duos/")
    duo_list = page.locator("#duo-list")
    for mentee in chosen:
        row = duo_list.locator("tbody tr").filter(has_text=mentee.name)
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(0)).to_have_text(mentors[mentee])
        expect(row).to_contain_text("proposed")
        expect(row).to_contain_text("first meeting to plan")
    axe(page)

    # One duo's page: its state, the next move, and the history of who proposed it.
    with page.expect_navigation():
        duo_list.get_by_role("link", name=zahra.name).click()
    expect(page.locator("main h1")).to_have_text(f"Duo {zahra.name} and {mentors[zahra]}")
    expect(page.locator("#duo-state")).to_have_text("proposed")
    expect(page.locator("#duo-next-step")).to_have_text("first meeting to plan")
    expect(page.locator("#duo-plan-submit")).to_be_visible()
    history = page.locator("#duo-history tbody tr")
    expect(history).to_have_count(1)
    expect(history.first.locator("td").nth(1)).to_have_text("proposed")
    coordinator_name = page.locator(".who:visible").inner_text().split("·")[0].strip()
    expect(history.first.locator("td").nth(2)).to_have_text(coordinator_name)
    axe(page)
