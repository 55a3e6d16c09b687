"""Step 8: the survey through the link (answers per question version), outcomes asked at
the end and 3/6/12 months after (sent once, reminded once, lost to follow-up), and the
coordinator's panel and on-behalf outcome; every link path in en, fr and nl."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from markupsafe import escape
from sqlalchemy import func, select

import steps
from duo.core import clock
from duo.core.jobs import dispatch
from duo.core.mail.models import OutgoingMail
from duo.duos import first_meeting, health, lifecycle, states
from duo.duos.lifecycle import InvalidDuoTransition
from duo.duos.models import Duo
from duo.evaluation import jobs as evaluation_jobs
from duo.evaluation import outcomes, survey
from duo.evaluation.models import EvaluationAnswer, Outcome, OutcomeAsk
from support import a_monday, mails_where, snapshot, translated

#: A Monday 47 weeks ago: the duo's six months and the first follow-ups are over today.
START = a_monday(-47)
FRENCH = {"fr": "native"}


@pytest.fixture
def ended(db, in_tenant, pool_factory, create_user, tenants):
    """``ended(locale)``: a Brussels duo that ran six months and ended at ``s.end``."""

    def make(locale: str = "en") -> SimpleNamespace:
        mentee = pool_factory.mentee("brussels", "Amina", languages=FRENCH, locale=locale)
        mentor = pool_factory.mentor("brussels", "Luc", languages=FRENCH, locale=locale)
        user = create_user(branches=["brussels"])
        tenant = tenants["brussels"]
        with in_tenant("brussels"), clock.frozen(START) as c:
            duo = lifecycle.propose(mentee, mentor)
            steps.to_active(duo, tenant, mentee, mentor, user)
            c.advance(dt.timedelta(days=190))
            lifecycle.transition(duo, states.ENDED, by=user)
            end = c.peek()
            shot = snapshot(duo, ("id", "tenant_id", "mentee_id", "mentor_id"))
            db.session.commit()
        dispatch()
        return SimpleNamespace(duo=shot, end=end, user=user, tenant=tenant)

    return make


def _mails(db, in_tenant, kind: str) -> list[OutgoingMail]:
    with in_tenant("brussels"):
        return mails_where(OutgoingMail.kind == kind)


def _token(mail: OutgoingMail, path: str) -> str:
    return re.search(rf"/brussels/{path}/([A-Za-z0-9_-]+)", mail.text).group(1)


@pytest.mark.parametrize("locale", ["en", "fr", "nl"])
def test_the_survey_through_the_link(app, db, in_tenant, ended, locale) -> None:
    s = ended(locale)
    with in_tenant("brussels"):
        asks = db.session.execute(select(OutcomeAsk.months_after)).scalars().all()
    assert sorted(asks) == [0, 3, 6, 12]
    mails = _mails(db, in_tenant, "duos.survey") or _mails(db, in_tenant, "evaluation.survey")
    assert {m.person_id for m in mails} == {s.duo.mentee_id, s.duo.mentor_id}
    mentee_mail = next(m for m in mails if m.person_id == s.duo.mentee_id)
    assert mentee_mail.subject == translated(locale, "DUO for a JOB: how was your duo?")
    token = _token(mentee_mail, "evaluation")
    client = app.test_client()
    with clock.frozen(s.end + dt.timedelta(days=1)):
        page = client.get(f"/brussels/evaluation/{token}").get_data(as_text=True)
        question = s.tenant.config["evaluation"]["questions"][0]["text"][locale]
        assert str(escape(question)) in page and f'<html lang="{locale}"' in page
        partial = client.post(f"/brussels/evaluation/{token}", data={"autonomy": "4"})
        assert partial.status_code == 400
        assert translated(locale, "Answer every question.") in partial.get_data(as_text=True)
        with in_tenant("brussels"):
            assert (
                db.session.execute(select(func.count()).select_from(EvaluationAnswer)).scalar() == 0
            )
        answers = {
            q["key"]: ("yes" if q["kind"] == "yes_no" else "4" if q["kind"] == "agree" else "Merci")
            for q in s.tenant.config["evaluation"]["questions"]
            if q["audience"] == "mentee"
        }
        assert client.post(f"/brussels/evaluation/{token}", data=answers).status_code == 302
        again = client.get(f"/brussels/evaluation/{token}").get_data(as_text=True)
        assert 'id="evaluation-done"' in again
        assert client.get("/brussels/evaluation/wrong-token").status_code == 404
        assert client.get(f"/antwerp/evaluation/{token}").status_code == 404
    with clock.frozen(s.end + dt.timedelta(days=400)):
        expired = client.get(f"/brussels/evaluation/{token}")
        assert expired.status_code == 410
        assert translated(locale, "This link has expired") in expired.get_data(as_text=True)
    with in_tenant("brussels"):
        rows = db.session.execute(select(EvaluationAnswer)).scalars().all()
    assert {r.party for r in rows} == {"mentee"} and len(rows) == len(answers)
    assert all(r.question_version == 1 and r.recorded_by_user_id is None for r in rows)


@pytest.mark.parametrize("locale", ["en", "fr", "nl"])
def test_outcomes_are_asked_once_reminded_once_then_lost(app, db, in_tenant, ended, locale) -> None:
    s = ended(locale)
    first = s.end + dt.timedelta(hours=1)
    with clock.frozen(first):
        evaluation_jobs.follow_up(first.isoformat())
        evaluation_jobs.follow_up(first.isoformat())
        dispatch()
    asks = _mails(db, in_tenant, "evaluation.ask")
    assert len(asks) == 1 and asks[0].person_id == s.duo.mentee_id
    assert asks[0].subject == translated(locale, "DUO for a JOB would like to hear from you")
    week = s.end + dt.timedelta(days=8)
    with clock.frozen(week):
        evaluation_jobs.follow_up(week.isoformat())
        evaluation_jobs.follow_up(week.isoformat())
        dispatch()
    mails = _mails(db, in_tenant, "evaluation.ask")
    assert len(mails) == 2
    assert mails[1].subject == translated(
        locale, "Reminder: DUO for a JOB would like to hear from you"
    )
    month = s.end + dt.timedelta(days=31)
    with clock.frozen(month):
        evaluation_jobs.follow_up(month.isoformat())
    with in_tenant("brussels"):
        ask = db.session.execute(
            select(OutcomeAsk).where(OutcomeAsk.months_after == 0)
        ).scalar_one()
        assert ask.lost_at is not None and ask.answered_at is None
    # Three months on, the next ask goes out; the mentee answers with a job.
    later = s.end + dt.timedelta(days=95)
    job_day = (s.end + dt.timedelta(days=18)).date()
    with clock.frozen(later):
        evaluation_jobs.follow_up(later.isoformat())
        dispatch()
        token = _token(_mails(db, in_tenant, "evaluation.ask")[-1], "evaluation/outcome")
        client = app.test_client()
        page = client.get(f"/brussels/evaluation/outcome/{token}")
        assert page.status_code == 200
        bad = client.post(f"/brussels/evaluation/outcome/{token}", data={"status": "job"})
        assert bad.status_code == 400
        assert translated(locale, "Choose the type of contract.") in bad.get_data(as_text=True)
        ok = client.post(f"/brussels/evaluation/outcome/{token}", data={
            "status": "job", "contract_type": "permanent", "hours_per_week": "38",
            "job_started_on": str(job_day)})  # fmt: skip
        assert ok.status_code == 200 and 'id="outcome-done"' in ok.get_data(as_text=True)
        used = client.get(f"/brussels/evaluation/outcome/{token}")
        assert used.status_code == 410
        assert translated(locale, "This link was already used") in used.get_data(as_text=True)
    with in_tenant("brussels"):
        outcome = db.session.execute(select(Outcome)).scalar_one()
        assert (outcome.months_after, outcome.status, outcome.contract_type) == (
            3,
            "job",
            "permanent",
        )
        assert (outcome.hours_per_week, outcome.job_started_on) == (38, job_day)
        assert not outcome.by_coordinator


def test_the_coordinator_sees_answers_and_records_an_outcome(db, in_tenant, login, ended) -> None:
    s = ended("en")
    url = f"/brussels/evaluation/duos/{s.duo.id}/outcome/6"
    with clock.frozen(s.end + dt.timedelta(days=200)):
        # logged in at that time: a staff session idle for 200 days has ended
        client = login(branches=["brussels"], locale="en")
        hq_client = login(hq=True)
        html = client.get(f"/brussels/duos/{s.duo.id}").get_data(as_text=True)
        assert 'id="duo-evaluation"' in html and "not asked yet" in html
        other = login(branches=["antwerp"], locale="en")
        assert other.post(url, data={"status": "training"}).status_code == 404
        assert hq_client.post(url, data={"status": "training"}).status_code == 404
        assert client.post(url, data={"status": "training"}).status_code == 302
        html = client.get(f"/brussels/duos/{s.duo.id}").get_data(as_text=True)
    assert "recorded by the coordinator" in html
    with in_tenant("brussels"):
        outcome = db.session.execute(select(Outcome)).scalar_one()
        assert outcome.by_coordinator and outcome.recorded_by_user_id == client.user.id


# --------------------------------------------------------------------------- who is asked


@pytest.fixture
def stopped(db, in_tenant, pool_factory, create_user, tenants):
    """``stopped(upto)``: a Brussels duo taken to ``upto`` and stopped there."""

    def make(upto: str) -> SimpleNamespace:
        mentee = pool_factory.mentee("brussels", "Amina", languages=FRENCH)
        mentor = pool_factory.mentor("brussels", "Luc", languages=FRENCH)
        user = create_user(branches=["brussels"])
        tenant = tenants["brussels"]
        with in_tenant("brussels"), clock.frozen(START) as c:
            duo = lifecycle.propose(mentee, mentor)
            if upto == states.FIRST_MEETING:
                steps.plan(duo, tenant, by=user)
                c.advance(dt.timedelta(days=3))
                first_meeting.decide(duo, "mentee", False, tenant=tenant, by_person=mentee)
            else:
                if upto in (states.CONFIRMED, states.ACTIVE):
                    steps.plan(duo, tenant, by=user)
                    c.advance(dt.timedelta(days=3))
                    steps.both_yes(duo, tenant, mentee, mentor)
                if upto == states.ACTIVE:
                    c.advance(dt.timedelta(days=1))
                    steps.sign_all(duo, tenant, mentee, mentor, user)
                    c.advance(dt.timedelta(days=40))
                lifecycle.transition(duo, states.STOPPED, by=user, reason="Moved away")
            end = c.peek()
            shot = snapshot(duo, ("id", "tenant_id", "mentee_id", "mentor_id", "state"))
            db.session.commit()
        dispatch()
        return SimpleNamespace(duo=shot, end=end, user=user, tenant=tenant)

    return make


def test_a_duo_stopped_after_its_start_is_evaluated_and_followed(
    app, db, in_tenant, stopped
) -> None:
    s = stopped(states.ACTIVE)
    assert s.duo.state == states.STOPPED
    mails = _mails(db, in_tenant, "evaluation.survey")
    assert {m.person_id for m in mails} == {s.duo.mentee_id, s.duo.mentor_id}
    with in_tenant("brussels"):
        asks = db.session.execute(select(OutcomeAsk.months_after)).scalars().all()
        assert sorted(asks) == [0, 3, 6, 12]
    token = _token(next(m for m in mails if m.person_id == s.duo.mentor_id), "evaluation")
    answers = {
        q["key"]: ("yes" if q["kind"] == "yes_no" else "3" if q["kind"] == "agree" else "ok")
        for q in s.tenant.config["evaluation"]["questions"]
        if q["audience"] == "mentor"
    }
    client = app.test_client()
    with clock.frozen(s.end + dt.timedelta(days=1)):
        assert client.post(f"/brussels/evaluation/{token}", data=answers).status_code == 302
    with in_tenant("brussels"):
        assert db.session.execute(select(func.count()).select_from(EvaluationAnswer)).scalar()
        duo = db.session.get(Duo, (s.duo.tenant_id, s.duo.id))
        # It stays stopped: nothing to close, and no "evaluation overdue" alert.
        assert duo.state == states.STOPPED
        with pytest.raises(InvalidDuoTransition):
            lifecycle.transition(duo, states.EVALUATED, by=s.user)
        db.session.rollback()
        later = s.end + dt.timedelta(days=60)
        assert "evaluation_overdue" not in health.conditions(duo, s.tenant, later, [], set())


@pytest.mark.parametrize("upto", [states.FIRST_MEETING, states.CONFIRMED, states.PROPOSED])
def test_a_duo_stopped_before_its_start_gets_no_survey_and_no_outcome_asks(
    db, in_tenant, stopped, upto
) -> None:
    s = stopped(upto)
    assert s.duo.state == states.STOPPED
    assert _mails(db, in_tenant, "evaluation.survey") == []
    with in_tenant("brussels"):
        assert db.session.execute(select(func.count()).select_from(OutcomeAsk)).scalar() == 0
        duo = db.session.get(Duo, (s.duo.tenant_id, s.duo.id))
        assert not survey.open_for(duo)
        with pytest.raises(InvalidDuoTransition):
            survey.answer(duo, "mentee", {}, tenant=s.tenant)
        # Even a survey job enqueued by hand sends nothing.
        assert evaluation_jobs.survey(str(s.duo.id)) == "skipped"


def test_an_answered_ask_is_not_reminded_and_the_next_one_still_comes(db, in_tenant, ended) -> None:
    s = ended("en")
    first = s.end + dt.timedelta(hours=1)
    with clock.frozen(first):
        evaluation_jobs.follow_up(first.isoformat())
        dispatch()
    assert len(_mails(db, in_tenant, "evaluation.ask")) == 1
    with in_tenant("brussels"), clock.frozen(first + dt.timedelta(days=2)):
        duo = db.session.get(Duo, (s.duo.tenant_id, s.duo.id))
        ask = next(a for a in outcomes.asks_of(duo) if a.months_after == 0)
        outcomes.record(ask, duo, {"status": "looking"}, by=s.user)  # told by phone
        db.session.commit()
    for days in (8, 31, 40):
        moment = s.end + dt.timedelta(days=days)
        with clock.frozen(moment):
            evaluation_jobs.follow_up(moment.isoformat())
            dispatch()
    assert len(_mails(db, in_tenant, "evaluation.ask")) == 1  # no reminder, ever
    with in_tenant("brussels"):
        ask = db.session.execute(
            select(OutcomeAsk).where(OutcomeAsk.months_after == 0)
        ).scalar_one()
        assert ask.answered_at is not None and ask.lost_at is None and ask.reminded_at is None
    three = s.end + dt.timedelta(days=95)
    with clock.frozen(three):
        evaluation_jobs.follow_up(three.isoformat())
        dispatch()
    assert len(_mails(db, in_tenant, "evaluation.ask")) == 2  # the 3-month ask


@pytest.mark.parametrize("locale", ["en", "fr", "nl"])
def test_bad_outcome_answers_change_nothing(app, db, in_tenant, ended, locale) -> None:
    s = ended(locale)
    first = s.end + dt.timedelta(hours=1)
    with clock.frozen(first):
        evaluation_jobs.follow_up(first.isoformat())
        dispatch()
        token = _token(_mails(db, in_tenant, "evaluation.ask")[-1], "evaluation/outcome")
        client = app.test_client()
        url = f"/brussels/evaluation/outcome/{token}"
        job = {"status": "job", "contract_type": "permanent", "hours_per_week": "38"}
        far = client.post(url, data={**job, "job_started_on": "1890-01-01"})
        assert far.status_code == 400
        assert str(escape(translated(locale, "Give the date the job started."))) in far.get_data(
            as_text=True
        )
        nul = client.post(url, data={"status": "looking", "note": "a\x00b"})
        assert nul.status_code == 400
        control = translated(locale, "Remove the invisible control characters from this text.")
        assert str(escape(control)) in nul.get_data(as_text=True)
        assert client.get(url).status_code == 200  # still unanswered, the link unused
    with in_tenant("brussels"):
        assert db.session.execute(select(func.count()).select_from(Outcome)).scalar() == 0
