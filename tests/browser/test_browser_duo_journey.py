"""One duo from proposed to evaluated with its 12-month outcome, in a real browser.

The coordinator works on a laptop; the mentor and the mentee act through their personal
links on a phone. Time moves with the platform's clock bound to the live server
(:func:`duo.core.clock.serve`): no waiting, no patching.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from duo.consumers.demo.seed import DEMO_PASSWORD, coordinator_email
from duo.core import clock
from duo.core.auth.models import User
from duo.core.db import db
from duo.core.mail.models import OutgoingMail
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.duos import states
from duo.duos.models import Duo
from duo.evaluation import jobs as evaluation_jobs
from duo.evaluation.models import Outcome
from duo.people.models import Person
from support import run_jobs

pytestmark = pytest.mark.browser

BRANCH = "brussels"


def _token(app: Any, tenant_id: int, person_id: Any, kind: str, path: str) -> str:
    with app.app_context(), tenant_scope(tenant_id):
        run_jobs()
        mail = (
            db.session.execute(
                select(OutgoingMail)
                .where(OutgoingMail.kind == kind, OutgoingMail.person_id == person_id)
                .order_by(OutgoingMail.created_at.desc(), OutgoingMail.id)
            )
            .scalars()
            .first()
        )
        assert mail is not None, kind
        return re.search(rf"/{BRANCH}/{path}/([A-Za-z0-9_-]+)", mail.text).group(1)


@pytest.mark.usefixtures("demo_locales_restored")  # the coordinator switches to English
def test_a_duo_from_proposed_to_its_twelve_month_outcome(live_server, new_page, login_as) -> None:
    app = live_server.app
    with app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == BRANCH)).scalar_one()
        tenant_id = tenant.id
        with tenant_scope(tenant_id):
            duo = (
                db.session.execute(
                    select(Duo).where(Duo.state == states.PROPOSED).order_by(Duo.proposed_at)
                )
                .scalars()
                .first()
            )
            assert duo is not None, "the demo has a proposed duo in every branch"
            people = {p.role: p for p in db.session.execute(select(Person).where(
                Person.id.in_([duo.mentee_id, duo.mentor_id]))).scalars()}  # fmt: skip
            duo_id, mentee, mentor = duo.id, people["mentee"], people["mentor"]
            names = {role: (p.id, p.full_name) for role, p in people.items()}
        user = db.session.execute(
            select(User).where(User.email == coordinator_email(BRANCH))
        ).scalar_one()
        coordinator_name = user.name
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with clock.serve(app, start) as c:
        # The coordinator plans the first meeting.
        laptop = new_page("laptop", locale="en")
        login_as(laptop, coordinator_email(BRANCH), DEMO_PASSWORD)

        def open_duo() -> None:
            """The duo page; moving the clock days ahead ends the staff session (idle 30 min),
            so the coordinator logs in again, as after a real weekend."""
            laptop.goto(f"/{BRANCH}/duos/{duo_id}")
            if "/login" in laptop.url:
                login_as(laptop, coordinator_email(BRANCH), DEMO_PASSWORD)
                laptop.goto(f"/{BRANCH}/duos/{duo_id}")

        open_duo()
        with laptop.expect_navigation():  # the coordinator reads English today
            laptop.locator(".lang-switch button[value='en']:visible").click()
        day = (start + dt.timedelta(days=2)).date().isoformat()
        plan = laptop.locator("#duo-plan-form")
        plan.locator("input[name='plan-day']").fill(day)
        plan.locator("input[name='plan-time']").fill("18:00")
        plan.locator("input[name='plan-place']").fill("Café Central")
        with laptop.expect_navigation():
            laptop.locator("#duo-plan-submit").click()
        expect(laptop.locator("#duo-state")).to_have_text("first meeting")

        # After the meeting both say yes through their link, on a phone.
        c.advance(dt.timedelta(days=3))
        phone = new_page("phone", locale="en")
        tokens = {}
        for role in ("mentor", "mentee"):
            tokens[role] = _token(app, tenant_id, names[role][0], "duos.invite", "my")
            phone.goto(f"/{BRANCH}/my/{tokens[role]}")
            expect(phone.locator("#decision-form")).to_be_visible()
            phone.locator("#decision-form input[value='yes']").check()
            with phone.expect_navigation():
                phone.locator("#decision-submit").click()
            expect(phone.locator("#my-decision-done, #my-agreement").first).to_be_visible()

        # Both sign on the phone, the coordinator countersigns: the duo starts.
        c.advance(dt.timedelta(days=2))
        for role in ("mentor", "mentee"):
            phone.goto(f"/{BRANCH}/my/{tokens[role]}")
            phone.locator("#sign-form input[name='full_name']").fill(names[role][1])
            phone.locator("#sign-form input[name='accepted']").check()
            with phone.expect_navigation():
                phone.locator("#sign-submit").click()
            expect(phone.locator("#my-signed")).to_be_visible()
        open_duo()
        laptop.locator("input[name='countersign-full_name']").fill(coordinator_name)
        laptop.locator("input[name='countersign-accepted']").check()
        with laptop.expect_navigation():
            laptop.locator("#duo-countersign-submit").click()
        expect(laptop.locator("#duo-state")).to_have_text("active")
        with app.app_context():
            run_jobs()
        laptop.reload()
        expect(laptop.locator("#duo-agreement-pdf")).to_be_visible()

        # A week on, the mentor checks in with one tap.
        c.advance(dt.timedelta(days=7))
        phone.goto(f"/{BRANCH}/my/{tokens['mentor']}")
        phone.locator("#check-in-form input[name='met'][value='yes']").check()
        phone.locator("#check-in-form select[name='minutes']").select_option("120")
        phone.locator("#check-in-topics input").first.check()
        with phone.expect_navigation():
            phone.locator("#check-in-submit").click()
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        # Six months later the coordinator ends the duo; the mentee answers the survey.
        c.advance(dt.timedelta(days=190))
        open_duo()
        with laptop.expect_navigation():
            laptop.locator("#duo-to-ended").click()
        expect(laptop.locator("#duo-state")).to_have_text("ended")
        survey = _token(app, tenant_id, names["mentee"][0], "evaluation.survey", "evaluation")
        phone.goto(f"/{BRANCH}/evaluation/{survey}")
        for fieldset in phone.locator("#evaluation-form fieldset").all():
            radios = fieldset.locator("input[type=radio]")
            if radios.count():
                radios.last.check() if radios.count() == 4 else radios.first.check()
        with phone.expect_navigation():
            phone.locator("#evaluation-submit").click()
        expect(phone.locator("#evaluation-done")).to_be_visible()
        open_duo()
        expect(laptop.locator("#evaluation-mentee")).to_be_visible()
        with laptop.expect_navigation():
            laptop.locator("#duo-to-evaluated").click()
        expect(laptop.locator("#duo-state")).to_have_text("evaluated")

        # Twelve months after the end, the mentee tells us about her job.
        c.advance(dt.timedelta(days=366))
        with app.app_context():
            evaluation_jobs.follow_up()
            db.session.commit()
        ask = _token(app, tenant_id, names["mentee"][0], "evaluation.ask", "evaluation/outcome")
        phone.goto(f"/{BRANCH}/evaluation/outcome/{ask}")
        phone.locator("#outcome-form input[value='job']").check()
        phone.locator("#outcome-form select[name='contract_type']").select_option("permanent")
        phone.locator("#outcome-form input[name='hours_per_week']").fill("36")
        phone.locator("#outcome-form input[name='job_started_on']").fill(
            (c.peek() - dt.timedelta(days=120)).date().isoformat()
        )
        with phone.expect_navigation():
            phone.locator("#outcome-submit").click()
        expect(phone.locator("#outcome-done")).to_be_visible()
    with app.app_context(), tenant_scope(tenant_id):
        outcome = (
            db.session.execute(select(Outcome).where(Outcome.duo_id == duo_id)).scalars().all()
        )
        assert [(o.status, o.contract_type) for o in outcome] == [("job", "permanent")]
    del mentee, mentor
