"""Step 7 and duo health: weekly check-ins through the link, the coordinator's own, the
timeline, and the daily job that raises each alert once, clears it and mails one digest."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from markupsafe import escape
from sqlalchemy import func, select

import steps
from duo.core import clock, links
from duo.core.db import utcnow
from duo.core.i18n import format_date
from duo.core.jobs import dispatch
from duo.core.mail.models import OutgoingMail
from duo.duos import accompaniment, display, health, lifecycle, states
from duo.duos import jobs as duo_jobs
from duo.duos.models import Duo, DuoAlert, DuoCheckIn
from support import a_monday, snapshot, translated

#: A Monday 39 weeks ago: the duos' whole story, 200 days to an end included, is over today.
START = a_monday(-39)


def week_of(n: int) -> dt.date:
    """The Monday ``n`` weeks after START's."""
    return START.date() + dt.timedelta(weeks=n)


def morning(n: int) -> dt.datetime:
    """08:00 UTC on :func:`week_of` ``n`` (the check-in mails go out on Monday mornings)."""
    return dt.datetime.combine(week_of(n), dt.time(8), tzinfo=dt.UTC)


FRENCH = {"fr": "native"}


@pytest.fixture
def make(db, in_tenant, pool_factory, create_user, tenants):
    """``make(upto, name)``: a Brussels duo taken to ``upto`` from START (clock frozen)."""
    user = create_user(branches=["brussels"], name="Coordinator Brussels")

    def build(upto: str = states.ACTIVE, name: str = "Sara", locale: str = "en") -> SimpleNamespace:
        mentee = pool_factory.mentee("brussels", name, languages=FRENCH, locale=locale)
        mentor = pool_factory.mentor("brussels", f"M{name}", languages=FRENCH, locale=locale)
        tenant = tenants["brussels"]
        with in_tenant("brussels"), clock.frozen(START) as c:
            duo = lifecycle.propose(mentee, mentor)
            if upto != states.PROPOSED:
                steps.plan(duo, tenant, by=user)
                c.advance(dt.timedelta(days=3))
            if upto in (states.CONFIRMED, states.ACTIVE, states.ENDED):
                steps.both_yes(duo, tenant, mentee, mentor)
            if upto in (states.ACTIVE, states.ENDED):
                c.advance(dt.timedelta(days=1))
                steps.sign_all(duo, tenant, mentee, mentor, user)
            if upto == states.ENDED:
                c.advance(dt.timedelta(days=200))
                lifecycle.transition(duo, states.ENDED, by=user)
            tokens = {
                role: links.issue(p.id, "duo", duo.id, "duo", valid_for=dt.timedelta(days=400))[1]
                for role, p in (("mentee", mentee), ("mentor", mentor))
            }
            shot = snapshot(duo, ("id", "tenant_id", "mentee_id", "mentor_id", "started_at"))
            db.session.commit()
        return SimpleNamespace(
            duo=shot,
            tokens=tokens, tenant=tenant, user=user,
        )  # fmt: skip

    return build


def _mentor_met_and_asks_to_talk(db, made: SimpleNamespace, tenant) -> None:
    """The mentor's check-in of ``made``'s duo: they met an hour and want a call."""
    duo = db.session.get(Duo, (made.duo.tenant_id, made.duo.id))
    accompaniment.check_in(duo, "mentor", tenant=tenant, person_id=made.duo.mentor_id,
                           met=True, minutes=60, topics=["cv"], note=None,
                           contact_me=True)  # fmt: skip


@pytest.mark.parametrize("locale", ["en", "fr", "nl"])
def test_a_weekly_check_in_through_the_link(app, db, in_tenant, make, locale) -> None:
    s = make(locale=locale)
    client = app.test_client()
    shown = locale
    week = str(week_of(1))
    with clock.frozen(START + dt.timedelta(days=10)):
        page = client.get(f"/brussels/my/{s.tokens['mentor']}").get_data(as_text=True)
        assert 'id="check-in-form"' in page
        assert translated(shown, "How was this week?") in page
        assert f'value="{week}"' in page  # the form names the week it is about
        url = f"/brussels/my/{s.tokens['mentor']}/check-in"
        missing = client.post(url, data={"week": week})
        assert missing.status_code == 400
        no_length = client.post(url, data={"met": "yes", "week": week})
        assert no_length.status_code == 400
        assert translated(shown, "Say how long you met.") in no_length.get_data(as_text=True)
        ok = client.post(url, data={"met": "yes", "minutes": "120", "topics": ["cv", "network"],
                                    "note": "CV redone", "week": week})  # fmt: skip
        assert ok.status_code == 302
        page = client.get(f"/brussels/my/{s.tokens['mentor']}").get_data(as_text=True)
        assert 'id="check-in-given"' in page  # "sending again replaces that answer"
        again = client.post(url, data={"met": "yes", "minutes": "90", "topics": ["cv"],
                                       "week": week}, follow_redirects=True)  # fmt: skip
        day = format_date(week_of(1), locale=locale, country="BE")
        updated = translated(
            shown, "Thank you: your check-in for the week of %(day)s is updated.", day=day
        )
        assert str(escape(updated)) in again.get_data(as_text=True)
        # The mentee has no check-in in this branch (duos.mentee_check_in = false).
        mentee_page = client.get(f"/brussels/my/{s.tokens['mentee']}").get_data(as_text=True)
        assert 'id="check-in-form"' not in mentee_page
        refused = client.post(f"/brussels/my/{s.tokens['mentee']}/check-in",
                              data={"met": "yes", "minutes": "60", "week": week})  # fmt: skip
        assert refused.status_code == 400
    with in_tenant("brussels"):
        rows = db.session.execute(select(DuoCheckIn)).scalars().all()
    assert len(rows) == 1  # the second check-in of the week replaced the first
    assert (rows[0].minutes, rows[0].topics, rows[0].by_person_id) == (90, ["cv"], s.duo.mentor_id)
    assert rows[0].week_start == week_of(1)


@pytest.mark.parametrize("locale", ["en", "fr", "nl"])
def test_a_check_in_is_tied_to_the_week_it_was_asked_for(app, db, in_tenant, make, locale) -> None:
    """Last week's mail logs into last week; an older week's link or form is refused with
    the week named and changes nothing; a week that is no Monday is no week at all."""
    s = make(locale=locale)
    client = app.test_client()
    token = s.tokens["mentor"]
    url = f"/brussels/my/{token}/check-in"
    data = {"met": "yes", "minutes": "60", "topics": ["cv"]}
    # A Monday: the mail asks about the week before.
    with clock.frozen(morning(2)):
        page = client.get(f"/brussels/my/{token}?week={week_of(1)}").get_data(as_text=True)
        day = format_date(week_of(1), locale=locale, country="BE")
        assert translated(locale, "How was the week of %(day)s?", day=day) in page
        assert f'value="{week_of(1)}"' in page
        assert client.post(url, data={**data, "week": str(week_of(1))}).status_code == 302
    # Three weeks later the same mail's link opens the current week's form, saying so.
    with clock.frozen(morning(5)):
        page = client.get(f"/brussels/my/{token}?week={week_of(1)}").get_data(as_text=True)
        assert 'id="check-in-closed"' in page
        assert f'value="{week_of(5)}"' in page and f'value="{week_of(1)}"' not in page
        stale = client.post(url, data={**data, "week": str(week_of(2))})  # a form left open
        assert stale.status_code == 400
        closed = translated(
            locale,
            "The check-in for the week of %(day)s is closed. Nothing was recorded.",
            day=format_date(week_of(2), locale=locale, country="BE"),
        )
        assert str(escape(closed)) in stale.get_data(as_text=True)
        for bad in (str(week_of(5) + dt.timedelta(days=1)), "not-a-week", "", f"{week_of(5)}\x00"):
            assert client.post(url, data={**data, "week": bad}).status_code == 400
        before_start = client.post(url, data={**data, "week": str(week_of(-1))})
        assert before_start.status_code == 400
    with in_tenant("brussels"):
        weeks = db.session.execute(select(DuoCheckIn.week_start)).scalars().all()
    assert weeks == [week_of(1)]


def test_the_weekly_mail_asks_about_the_week_just_ended(app, db, in_tenant, make) -> None:
    s = make()
    monday = morning(2)
    with clock.frozen(monday):
        duo_jobs.daily(monday.isoformat())
        duo_jobs.daily(monday.isoformat())
        dispatch()
    with in_tenant("brussels"):
        mails = (
            db.session.execute(
                select(OutgoingMail).where(OutgoingMail.kind == "duos.check_in_reminder")
            )
            .scalars()
            .all()
        )
    assert len(mails) == 1
    assert f"week={week_of(1)}" in mails[0].text
    assert display.formatter(s.tenant, "en")(week_of(1)) in mails[0].text
    # The week the duo started in (it started on the Friday of START's week) is asked about too, but
    # never a week before the start.
    first = morning(1)
    with clock.frozen(first), in_tenant("brussels"):
        duo = db.session.get(Duo, (s.duo.tenant_id, s.duo.id))
        assert accompaniment.open_weeks(duo, s.tenant) == (
            week_of(1),
            week_of(0),
        )
    with clock.frozen(morning(0) + dt.timedelta(days=4, hours=4)), in_tenant("brussels"):
        duo = db.session.get(Duo, (s.duo.tenant_id, s.duo.id))
        assert accompaniment.open_weeks(duo, s.tenant) == (week_of(0),)


def test_the_coordinator_sees_the_timeline_and_logs_a_check_in(db, in_tenant, login, make) -> None:
    s = make()
    client = login(branches=["brussels"], locale="en")
    with clock.frozen(START + dt.timedelta(days=30)):
        with in_tenant("brussels"):
            duo = db.session.get(Duo, (s.duo.tenant_id, s.duo.id))
            accompaniment.check_in(duo, "mentor", tenant=s.tenant, person_id=s.duo.mentor_id,
                                   met=True, minutes=60, topics=["cv"], note="Ill",
                                   contact_me=True)  # fmt: skip
            db.session.commit()
        url = f"/brussels/duos/{s.duo.id}/check-in"
        empty = client.post(url, data={"log-kind": "call", "log-note": " "})
        assert empty.status_code == 400
        assert (
            client.post(url, data={"log-kind": "call", "log-note": "Called Sara"}).status_code
            == 302
        )
        html = client.get(f"/brussels/duos/{s.duo.id}").get_data(as_text=True)
    assert 'id="duo-accompaniment"' in html and "Called Sara" in html
    assert "asks to be contacted" in html
    assert "CV and cover letter" in html  # the topic's title, not its key
    assert html.count('class="week') >= 20  # six months of weeks
    other = login(branches=["antwerp"], locale="en")
    assert other.post(url, data={"log-kind": "call", "log-note": "x"}).status_code == 404


def _alerts(db, in_tenant) -> list[tuple[str, str]]:
    with in_tenant("brussels"):
        return sorted(
            (str(a.duo_id), a.kind)
            for a in db.session.execute(select(DuoAlert).where(DuoAlert.cleared_at.is_(None)))
            .scalars()
        )  # fmt: skip


def test_the_daily_job_raises_each_alert_once_and_clears_it(
    app, db, in_tenant, make, tenants
) -> None:
    active = make(states.ACTIVE, "Sara")
    pending = make(states.FIRST_MEETING, "Lina")
    unsigned = make(states.CONFIRMED, "Omar")
    ended = make(states.ENDED, "Noor")
    day = START + dt.timedelta(days=30)
    with clock.frozen(day):
        duo_jobs.daily(day.isoformat())
        duo_jobs.daily(day.isoformat())  # twice the same day: nothing new
        dispatch()
    found = _alerts(db, in_tenant)
    assert found == sorted([
        (str(active.duo.id), "no_meeting"),
        (str(pending.duo.id), "decision_pending"),
        (str(unsigned.duo.id), "signature_pending"),
    ])  # fmt: skip
    # The ended duo: evaluation due 21 days after its end (200 days in), not yet.
    with in_tenant("brussels"):
        digests = (
            db.session.execute(select(OutgoingMail).where(OutgoingMail.kind == "duos.digest"))
            .scalars()
            .all()
        )
        assert len(digests) == 1  # one coordinator, one day
        assert "Sara" in digests[0].text and "Lina" in digests[0].text
        requests = db.session.execute(
            select(func.count()).select_from(OutgoingMail).where(
                OutgoingMail.kind == "duos.check_in_reminder")
        ).scalar()  # fmt: skip
        assert requests == 1  # the active duo's mentor, once this week
    # A meeting logged, a concern raised: one alert clears, another appears.
    later = day + dt.timedelta(days=1)
    with in_tenant("brussels"), clock.frozen(later):
        _mentor_met_and_asks_to_talk(db, active, tenants["brussels"])
        db.session.commit()
    with clock.frozen(later):
        duo_jobs.daily(later.isoformat())
    kinds = {k for d, k in _alerts(db, in_tenant) if d == str(active.duo.id)}
    assert kinds == {"concern"}
    # Months later: the end is near, then past; the ended duo's evaluation is overdue.
    near = active.duo.started_at + dt.timedelta(days=170)
    with clock.frozen(near):
        duo_jobs.daily(near.isoformat())
    kinds = {k for d, k in _alerts(db, in_tenant) if d == str(active.duo.id)}
    assert "ending_soon" in kinds and "no_meeting" in kinds
    past = active.duo.started_at + dt.timedelta(days=200)
    with clock.frozen(past):
        duo_jobs.daily(past.isoformat())
    found = _alerts(db, in_tenant)
    assert (str(active.duo.id), "past_end") in found
    assert (str(active.duo.id), "ending_soon") not in found
    overdue = past + dt.timedelta(days=30)
    with clock.frozen(overdue):
        duo_jobs.daily(overdue.isoformat())
    assert (str(ended.duo.id), "evaluation_overdue") in _alerts(db, in_tenant)
    with in_tenant("brussels"):
        # Raised once per episode however often the job ran: "no meeting" twice (cleared
        # by the meeting in between), every other kind once.
        rows = db.session.execute(select(DuoAlert.duo_id, DuoAlert.kind)).all()
        counts = {key: rows.count(key) for key in set(rows)}
        assert counts.pop((active.duo.id, "no_meeting")) == 2
        assert set(counts.values()) == {1}


def test_alerts_are_ranked_to_dos_linking_to_the_duo(db, in_tenant, coordinator, make) -> None:
    s = make(states.FIRST_MEETING, "Lina")
    day = START + dt.timedelta(days=30)
    with clock.frozen(day):
        duo_jobs.daily(day.isoformat())
        db.session.commit()
        html = coordinator("brussels", locale="en").get("/brussels/").get_data(as_text=True)
    assert "decision after the first meeting pending" in html
    assert re.search(rf'href="/brussels/duos/{s.duo.id}"', html)
    assert health.KINDS["concern"][1] < health.KINDS["ending_soon"][1]


# --------------------------------------------------------------------------- real Redis


def _through_rq(db, connection) -> None:
    """Hand every due outbox row to Redis and let a real RQ worker run them, until none is
    left (the jobs the jobs enqueue, such as the mails, go the same way)."""
    from rq import SimpleWorker

    from duo.core.jobs.models import PENDING, OutboxJob
    from duo.core.jobs.outbox import QUEUE

    for _round in range(10):
        dispatch()
        SimpleWorker([QUEUE], connection=connection).work(burst=True)
        db.session.expire_all()
        waiting = db.session.execute(
            select(OutboxJob.name, OutboxJob.status, OutboxJob.last_error).where(
                OutboxJob.status == PENDING, OutboxJob.run_after <= utcnow()
            )
        ).all()
        if not waiting:
            return
    raise AssertionError(f"outbox rows still due after ten rounds: {waiting}")


@pytest.mark.redis
def test_the_daily_job_on_a_real_redis_worker_raises_each_alert_once(
    app, db, in_tenant, make, tenants, create_user, redis_url
) -> None:
    """The periodic slot and a second run the same day, both through the outbox, Redis and
    an RQ worker: one alert per duo and kind, one digest per coordinator and day; a
    resolved alert clears itself on the next run."""
    from redis import Redis
    from rq import Queue

    from duo.core.jobs import enqueue
    from duo.core.jobs.models import DONE, OutboxJob
    from duo.core.jobs.outbox import QUEUE
    from duo.people.models import Person

    active = make(states.ACTIVE, "Sara")
    pending = make(states.FIRST_MEETING, "Lina")
    unsigned = make(states.CONFIRMED, "Omar")
    second = create_user(branches=["brussels"], name="Second Coordinator")
    db.session.commit()
    connection = Redis.from_url(redis_url)
    Queue(QUEUE, connection=connection).empty()
    original = app.config["DUO_REDIS_URL"]
    app.config["DUO_REDIS_URL"] = redis_url

    def run_twice(moment: dt.datetime) -> None:
        with clock.frozen(moment):
            slot = int(moment.timestamp()) // int(duo_jobs.HEALTH.every.total_seconds())
            enqueue(duo_jobs.HEALTH_JOB, tenant_id=None,
                    dedupe_key=f"periodic:{duo_jobs.HEALTH.id}:{slot}")  # fmt: skip
            db.session.commit()
            _through_rq(db, connection)
            enqueue(duo_jobs.HEALTH_JOB, tenant_id=None)  # run again the same day
            db.session.commit()
            _through_rq(db, connection)

    def digests() -> list[str]:
        with in_tenant("brussels"):
            return sorted(
                db.session.execute(
                    select(OutgoingMail.recipient).where(OutgoingMail.kind == "duos.digest")
                ).scalars()
            )

    def alert_rows() -> list[tuple[str, str, bool]]:
        with in_tenant("brussels"):
            rows = db.session.execute(
                select(DuoAlert.duo_id, DuoAlert.kind, DuoAlert.cleared_at)
            ).all()
        return sorted((str(d), k, c is None) for d, k, c in rows)

    try:
        day = START + dt.timedelta(days=30)
        run_twice(day)
        runs = db.session.execute(
            select(OutboxJob.status).where(OutboxJob.name == duo_jobs.HEALTH_JOB)
        ).scalars().all()  # fmt: skip
        assert runs == [DONE, DONE]  # both runs went through Redis and a worker
        assert alert_rows() == sorted([
            (str(active.duo.id), "no_meeting", True),
            (str(pending.duo.id), "decision_pending", True),
            (str(unsigned.duo.id), "signature_pending", True),
        ])  # fmt: skip
        coordinators = sorted([active.user.email, second.email])
        assert digests() == coordinators  # one digest each, however often the job ran

        # The next day: the mentor met and asks to be contacted; both said yes after the
        # first meeting. Two runs again.
        later = day + dt.timedelta(days=1)
        with in_tenant("brussels"), clock.frozen(later):
            _mentor_met_and_asks_to_talk(db, active, tenants["brussels"])
            waiting = db.session.get(Duo, (pending.duo.tenant_id, pending.duo.id))
            mentee = db.session.get(Person, (pending.duo.tenant_id, pending.duo.mentee_id))
            mentor = db.session.get(Person, (pending.duo.tenant_id, pending.duo.mentor_id))
            steps.both_yes(waiting, tenants["brussels"], mentee, mentor)
            db.session.commit()
        run_twice(later)
        assert alert_rows() == sorted([
            (str(active.duo.id), "concern", True),
            (str(active.duo.id), "no_meeting", False),
            (str(pending.duo.id), "decision_pending", False),
            (str(unsigned.duo.id), "signature_pending", True),
        ])  # fmt: skip
        assert digests() == sorted(coordinators * 2)  # one more each, for the new day

        # The coordinator calls back: the concern clears on the next run.
        third = later + dt.timedelta(days=1)
        with in_tenant("brussels"), clock.frozen(third):
            duo = db.session.get(Duo, (active.duo.tenant_id, active.duo.id))
            accompaniment.log(duo, "call", "Called Sara's mentor", by=active.user,
                              tenant=tenants["brussels"])  # fmt: skip
            db.session.commit()
        run_twice(third)
        still_open = [(d, k) for d, k, is_open in alert_rows() if is_open]
        assert still_open == [(str(unsigned.duo.id), "signature_pending")]
        # Every job ran through the worker (the reporting refresh that a change of people
        # asks for is debounced to the end of the minute: it waits, it did not fail).
        undone = db.session.execute(
            select(OutboxJob.name, OutboxJob.status).where(
                OutboxJob.status != DONE, ~OutboxJob.name.startswith("reporting.")
            )
        ).all()
        assert undone == []
    finally:
        app.config["DUO_REDIS_URL"] = original
        Queue(QUEUE, connection=connection).empty()
