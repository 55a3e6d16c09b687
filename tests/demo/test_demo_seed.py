"""`make run` seeds a believable story in every branch once, and prints working logins."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

import duo.core.clock
from appfactory import log_in
from duo.consumers.demo.cast import cast_for
from duo.consumers.demo.parts import FULL_STORY, PRIORITY
from duo.consumers.demo.personas import Branch
from duo.consumers.demo.seed import (
    DEFAULT_PEOPLE_PER_BRANCH,
    DEMO_PASSWORD,
    HQ_EMAIL,
    coordinator_email,
    demo_logins,
    seed,
)
from duo.core.auth.models import User
from duo.core.jobs.models import OutboxJob
from duo.core.jobs.outbox import execute
from duo.duos import states as duo_states
from duo.duos.models import Duo, DuoCheckIn, DuoDecision, DuoDocument
from duo.eligibility.models import OVERRIDE, EligibilityDecision
from duo.evaluation.models import EvaluationAnswer, Outcome
from duo.matching import pool as matching_pool
from duo.matching.scoring import score_pair
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, StateChange
from duo.sessions.models import InfoSession, Registration
from duo.training.models import TrainingSession
from duo.training.status import trained_mentor_ids


def test_small_seed_covers_every_branch_and_is_idempotent(db, tenants, in_tenant) -> None:
    assert seed(people_per_branch=4) is True
    assert seed(people_per_branch=4) is False
    for slug in tenants:
        with in_tenant(slug):
            people = db.session.execute(select(Person)).scalars().all()
            assert len(people) == 4, slug
            # The most telling parts come first: a trained mentor and a waiting mentee.
            assert {p.state for p in people} >= {states.TRAINED, states.ELIGIBLE}, slug
    logins = demo_logins()
    assert logins[0].email == HQ_EMAIL
    assert {login.branch for login in logins[1:]} == set(tenants)


def test_the_story_of_every_branch(db, tenants, in_tenant) -> None:
    assert seed() is True
    now = duo.core.db.utcnow()
    for slug, tenant in tenants.items():
        today = now.astimezone(ZoneInfo(tenant.timezone)).date()
        with in_tenant(slug):
            people = db.session.execute(select(Person)).scalars().all()
            assert len(people) == DEFAULT_PEOPLE_PER_BRANCH, slug
            by_state = Counter((p.role, p.state) for p in people)
            # Every step of the programme has someone in it.
            for role, state in [
                (MENTEE, states.REGISTERED),
                (MENTEE, states.ATTENDED),
                (MENTEE, states.ELIGIBLE),
                (MENTEE, states.NOT_ELIGIBLE),
                (MENTEE, states.NEEDS_REVIEW),
                (MENTEE, states.MATCHED),
                (MENTEE, states.IN_DUO),
                (MENTEE, states.ALUMNI),
                (MENTEE, states.WITHDRAWN),
                (MENTOR, states.REGISTERED),
                (MENTOR, states.ATTENDED),
                (MENTOR, states.ELIGIBLE),
                (MENTOR, states.NOT_ELIGIBLE),
                (MENTOR, states.NEEDS_REVIEW),
                (MENTOR, states.IN_TRAINING),
                (MENTOR, states.TRAINED),
            ]:
                assert by_state[role, state] >= 1, (slug, role, state)
            assert {p.locale for p in people} <= set(tenant.locales), slug
            assert all(p.email.endswith("@example.org") for p in people)
            assert len({p.email for p in people}) == len(people)

            # Eligibility was decided by the branch's rules (and once overridden).
            outcomes = Counter(
                db.session.execute(
                    select(EligibilityDecision.outcome, EligibilityDecision.kind)
                ).all()
            )
            assert outcomes["eligible", "evaluation"] >= 15, slug
            assert outcomes["not_eligible", "evaluation"] >= 2, slug
            assert outcomes["needs_review", "evaluation"] >= 2, slug
            assert outcomes["eligible", OVERRIDE] == 1, slug

            # Training made mentors trained by attendance, and one session waits for it.
            trained = trained_mentor_ids(tenant.id)
            assert len(trained) >= 8, slug
            to_record = db.session.execute(
                select(func.count())
                .select_from(TrainingSession)
                .where(
                    TrainingSession.ends_at < now,
                    TrainingSession.attendance_recorded_at.is_(None),
                )
            ).scalar_one()
            assert to_record >= 1, slug

            # The matching pool: mentees waiting for one to ten weeks, free trained mentors,
            # and pairs worth comparing.
            current = matching_pool.load_pool(tenant)
            assert len(current.mentee_profiles) >= 7, slug
            free = [m for m in current.mentor_profiles.values() if m.free and m.trained]
            assert len(free) >= 7, slug
            waits = {(today - since).days // 7 for since in current.waiting_since.values()}
            assert len(waits) >= 3 and max(waits) >= 8 and min(waits) <= 2, (slug, waits)
            settings = matching_pool.Settings.of(tenant)
            scores = [
                score_pair(e, m, settings.weights, settings.working_languages)
                for e in current.mentee_profiles.values()
                for m in free
            ]
            feasible = [s.total for s in scores if s.feasible]
            assert len(feasible) >= len(scores) // 2, slug
            assert max(feasible) - min(feasible) >= 25, slug  # scores tell pairs apart

            # A duo at every step: to meet, deciding, to sign, running, ended last month,
            # evaluated two years ago; one declined after its first meeting, one stopped.
            all_duos = db.session.execute(select(Duo)).scalars().all()
            duos = {d.state: d for d in all_duos}
            assert set(duos) == set(duo_states.STATES), slug
            assert duos["active"].ends_on > today
            assert duos["ended"].ended_at < now - timedelta(days=14)
            stopped = [d for d in all_duos if d.state == duo_states.STOPPED]
            assert {d.declined_by for d in stopped} == {None, "mentor"}, slug
            early = next(d for d in stopped if d.declined_by is None)
            assert early.started_at is not None and early.ended_at.date() < early.ends_on
            assert db.session.execute(
                select(func.count()).select_from(DuoDecision).where(
                    DuoDecision.duo_id == duos["first_meeting"].id)
            ).scalar() == 1  # fmt: skip
            started = [d for d in all_duos if d.started_at is not None]
            assert len(started) == 4, slug
            # Each signed agreement's PDF is made by the job the story queued (`duo setup`
            # runs them; here, Brussels' below).
            started_jobs = {
                tuple(args)
                for args in db.session.execute(
                    select(OutboxJob.args).where(
                        OutboxJob.name == "duos.started", OutboxJob.tenant_id == tenant.id
                    )
                ).scalars()
            }
            assert started_jobs == {(str(d.id),) for d in started}, slug
            check_ins = Counter(
                db.session.execute(select(DuoCheckIn.contact_me)).scalars().all()
            )  # fmt: skip
            assert check_ins[False] >= 20 and check_ins[True] >= 2, slug
            answered = set(db.session.execute(select(EvaluationAnswer.duo_id)).scalars())
            assert answered == {duos["ended"].id, duos["evaluated"].id, early.id}, slug
            told = dict(
                db.session.execute(
                    select(Outcome.months_after, Outcome.by_coordinator).where(
                        Outcome.duo_id == duos["evaluated"].id
                    )
                ).all()
            )
            assert told == {0: False, 3: False, 6: True, 12: False}, slug

            # Information sessions: past ones with their attendance, the last one still
            # to record, upcoming ones with registrations.
            sessions = db.session.execute(select(InfoSession)).scalars().all()
            past = [s for s in sessions if s.starts_at < now]
            upcoming = [s for s in sessions if s.starts_at > now]
            assert sum(s.attendance_recorded_at is not None for s in past) >= 4, slug
            assert sum(s.attendance_recorded_at is None for s in past) == 1, slug
            upcoming_regs = db.session.execute(
                select(func.count())
                .select_from(Registration)
                .where(Registration.session_id.in_([s.id for s in upcoming]))
            ).scalar_one()
            assert upcoming_regs >= 2, slug

            # The history reads as it happened: nothing in the future, months behind.
            times = db.session.execute(select(func.min(StateChange.at), func.max(StateChange.at)))
            first, last = times.one()
            first, last = (_aware(first), _aware(last))
            assert last <= now and first < now - timedelta(days=200), slug

    # The signed agreements become PDFs when the story's jobs run.
    brussels = tenants["brussels"]
    rows = db.session.execute(
        select(OutboxJob.id).where(
            OutboxJob.name == "duos.started", OutboxJob.tenant_id == brussels.id
        )
    ).scalars().all()  # fmt: skip
    for row_id in rows:
        assert execute(row_id) == "done"
    with in_tenant("brussels"):
        started_ids = set(
            db.session.execute(select(Duo.id).where(Duo.started_at.is_not(None))).scalars()
        )
        pdfs = db.session.execute(select(DuoDocument.duo_id, DuoDocument.content)).all()
        assert {d for d, _c in pdfs} == started_ids and len(started_ids) == 4
        assert all(content.startswith(b"%PDF") for _d, content in pdfs)

    # HQ sees figures for every branch (read from the rollups, counted per branch).
    from duo.reporting.models import RollupCell
    from duo.reporting.refresh import refresh_now

    for tenant in tenants.values():
        refresh_now(tenant.id)
    signed = dict(
        db.session.execute(
            select(RollupCell.tenant_id, func.sum(RollupCell.count))
            .where(RollupCell.measure == "funnel.signed_up", RollupCell.dimension == "")
            .group_by(RollupCell.tenant_id)
        ).all()
    )
    assert all(signed[t.id] == DEFAULT_PEOPLE_PER_BRANCH for t in tenants.values())
    # The story's clock is put back: outside the seed, time is real again.
    assert duo.core.clock.current() is None
    assert seed() is False


def _aware(moment: datetime | str) -> datetime:
    if isinstance(moment, str):  # SQLite's min()/max() bypass the column type
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_the_cast_is_the_same_every_time() -> None:
    branch = Branch("brussels", "be", ("fr", "nl", "en"), ("fr", "nl", "en"))
    today, seed = date(2026, 11, 22), 2026  # a fixed day and the demo's seed: the same cast
    first = cast_for(branch, FULL_STORY, seed, today)
    again = cast_for(branch, FULL_STORY, seed, today)
    assert first == again
    assert [p.part for p in first] == [part for part, _role in PRIORITY]
    # A smaller demo keeps the same first people.
    assert cast_for(branch, 4, seed, today) == first[:4]
    other = cast_for(branch, FULL_STORY, 7, today)
    assert {p.full_name for p in other} != {p.full_name for p in first}
    # More people than the story: extra mentees and mentors for the pool and next sessions.
    assert len(cast_for(branch, FULL_STORY + 5, seed, today)) == FULL_STORY + 5


def test_demo_logins_work(db, client) -> None:
    seed(people_per_branch=2)
    from duo.consumers.demo.seed import demo_totp_secret
    from duo.core.auth.twofactor import current_code

    email = coordinator_email("marseille")
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.headers["Location"].endswith("/login/code")
    response = client.post("/login/code", data={"code": current_code(demo_totp_secret(email))})
    assert response.headers["Location"].endswith("/marseille/")
    assert client.get("/marseille/").status_code == 200


def test_setup_command_is_safe_to_run_twice(app, db, monkeypatch) -> None:
    # A smaller story: under the test's rollback, SQLite would spill the full one (and its
    # mails) from its page cache and lock the file that the second run's migration reads.
    monkeypatch.setattr("duo.consumers.demo.cli.seed", partial(seed, people_per_branch=6))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "demo data created" in first.output
    assert "jobs run" in first.output
    # every demo login is printed with its authenticator secret (2FA is required)
    secrets = re.findall(r" TOTP ([A-Z2-7]{32}) ", first.output)
    assert sorted(secrets) == sorted(login.totp_secret for login in demo_logins())
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert "already present" in second.output
    assert HQ_EMAIL in second.output


def test_demo_hq_follows_the_browsers_language(db, client) -> None:
    """Issue 14: a French-speaking browser got English HQ (the demo saved "en" for HQ)."""
    seed(people_per_branch=2)
    hq_user = db.session.execute(select(User).where(User.email == HQ_EMAIL)).scalar_one()
    response = log_in(client, hq_user, DEMO_PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get("/hq/", headers={"Accept-Language": "fr-BE,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="fr"' in page
