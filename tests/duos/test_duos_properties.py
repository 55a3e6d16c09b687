"""Property-based checks (hypothesis) of a duo's state rules and date rules.

The rules are checked on the real step functions against a real database: each example
runs in a savepoint of its own, rolled back afterwards, so examples never see each other.
What is checked:

- no state skips a step, whatever is tried in whatever order: confirmed needs two yeses,
  active the three signatures; a refused move changes nothing (state and history);
- the first meeting is not before the proposal (local day) nor more than the branch's
  ``duos.first_meeting_max_days_ahead`` days ahead; decisions not before the meeting;
- the end is never before the start, and before the planned end needs a confirmation and
  a reason; the planned end is start + ``programme.duration_months`` (month ends clamp);
- outcome asks fall on the end + 0/3/6/12 months, as far as ``follow_up_months`` goes.
"""

from __future__ import annotations

import calendar
import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

import steps
from duo.core import clock
from duo.duos import agreement, first_meeting, lifecycle, states
from duo.duos.lifecycle import InvalidDuoTransition, add_months
from duo.duos.models import Duo, DuoDecision, DuoSignature, DuoStateChange
from duo.evaluation import outcomes

#: A fixed Monday: the property tests explore hours around it, and a fixed one keeps the
#: examples Hypothesis finds and replays (derandomized) the same from one day to the next.
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FRENCH = {"fr": "native"}
DB_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


# --------------------------------------------------------------------------- pure dates


@given(day=days, months=st.integers(0, 36))  # the examples: month ends and 2028's leap day
@example(day=dt.date(2026, 8, 31), months=6)  # 28 Feb 2027
@example(day=dt.date(2027, 8, 31), months=6)  # 29 Feb 2028
@example(day=dt.date(2026, 1, 31), months=1)
@example(day=dt.date(2026, 3, 31), months=6)  # 30 Sep
@example(day=dt.date(2026, 12, 31), months=12)
def test_the_planned_end_is_the_start_plus_whole_months(day: dt.date, months: int) -> None:
    end = add_months(day, months)
    assert (end.year * 12 + end.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(end.year, end.month)[1]
    assert end.day == min(day.day, last)  # the same day, or the month's last one
    assert end >= day
    if months:
        assert add_months(day, months - 1) < end  # one month more is always later


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [  # calendar cases, so fixed days: month ends, a year's turn, and 2028's leap day
        (dt.date(2026, 3, 2), 6, dt.date(2026, 9, 2)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2026, 5, 31), 6, dt.date(2026, 11, 30)),
        (dt.date(2026, 7, 15), 6, dt.date(2027, 1, 15)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected) -> None:
    assert add_months(day, months) == expected


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def world(db, in_tenant, pool_factory, create_user, tenants):
    """``world.example()``: a savepoint for one example; ``world.duo()``: a fresh duo."""
    tenant = tenants["brussels"]
    user = create_user(branches=["brussels"], name="Coordinator Brussels")

    class World:
        def __init__(self) -> None:
            self.tenant, self.user = tenant, user
            self.zone = ZoneInfo(tenant.timezone)

        def example(self):
            return _Savepoint(db)

        def duo(self) -> SimpleNamespace:
            mentee = pool_factory.mentee("brussels", "Sara", languages=FRENCH)
            mentor = pool_factory.mentor("brussels", "Marc", languages=FRENCH, trained=False)
            duo = lifecycle.propose(mentee, mentor)
            return SimpleNamespace(duo=duo, mentee=mentee, mentor=mentor)

        def local_day(self, moment: dt.datetime) -> dt.date:
            return moment.astimezone(self.zone).date()

    with in_tenant("brussels"):
        yield World()


class _Savepoint:
    def __init__(self, db) -> None:
        self.db = db

    def __enter__(self):
        self.nested = self.db.session.begin_nested()
        return self

    def __exit__(self, *exc) -> None:
        self.nested.rollback()
        self.db.session.expire_all()


def _history(duo: Duo) -> list[str]:
    return list(
        lifecycle.db.session.execute(
            select(DuoStateChange.to_state)
            .where(DuoStateChange.duo_id == duo.id)
            .order_by(DuoStateChange.at)
        ).scalars()
    )


# --------------------------------------------------------------------------- first meeting


@given(
    offset=st.integers(min_value=-12_000, max_value=12_000),  # hours from the proposal
    video=st.booleans(),
)
@example(offset=-9, video=False)  # the same local day, earlier in it: fine
@example(offset=-10 * 24, video=False)
@example(offset=90 * 24 - 1, video=True)
@example(offset=90 * 24 + 1, video=False)
@example(offset=-36 * 365 * 24, video=False)  # "1990"
@DB_SETTINGS
def _first_meeting(world, offset: int, video: bool) -> None:
    with world.example(), clock.frozen(START):
        made = world.duo()
        at = START + dt.timedelta(hours=offset)
        meeting = first_meeting.MeetingPlan(
            at=at,
            place=None if video else "Branch office",
            video_url="https://meet.example.org/duo" if video else None,
        )
        before_day = world.local_day(at) < world.local_day(START)
        too_far = at > START + dt.timedelta(days=90)
        try:
            first_meeting.plan(made.duo, meeting, by=world.user, tenant=world.tenant)
        except InvalidDuoTransition:
            assert before_day or too_far
            assert made.duo.state == states.PROPOSED and made.duo.first_meeting_at is None
            assert _history(made.duo) == [states.PROPOSED]
        else:
            assert not before_day and not too_far
            assert made.duo.state == states.FIRST_MEETING
            assert made.duo.first_meeting_at == at


def test_the_first_meeting_is_not_before_the_proposal_nor_absurdly_far(world) -> None:
    _first_meeting(world)


@given(minutes=st.integers(min_value=-5 * 24 * 60, max_value=5 * 24 * 60), go_on=st.booleans())
@example(minutes=-1, go_on=True)
@example(minutes=0, go_on=True)
@DB_SETTINGS
def _decision(world, minutes: int, go_on: bool) -> None:
    with world.example(), clock.frozen(START) as c:
        made = world.duo()
        meeting = steps.plan(made.duo, world.tenant, by=world.user)
        c.set(meeting + dt.timedelta(minutes=minutes))
        try:
            first_meeting.decide(
                made.duo, "mentee", go_on, tenant=world.tenant, by_person=made.mentee
            )
        except InvalidDuoTransition:
            assert minutes < 0
            assert made.duo.state == states.FIRST_MEETING
            count = select(func.count()).select_from(DuoDecision)
            assert lifecycle.db.session.execute(count).scalar() == 0
        else:
            assert minutes >= 0
            assert made.duo.state == (states.FIRST_MEETING if go_on else states.STOPPED)


def test_no_decision_before_the_planned_meeting(world) -> None:
    _decision(world)


# --------------------------------------------------------------------------- no skipped step

ACTIONS = st.sampled_from(
    [
        ("plan",),
        ("decide", "mentee", True),
        ("decide", "mentor", True),
        ("decide", "mentor", False),
        ("sign", "mentee"),
        ("sign", "mentor"),
        ("sign", "coordinator"),
        ("move", states.FIRST_MEETING),
        ("move", states.CONFIRMED),
        ("move", states.ACTIVE),
        ("move", states.ENDED),
        ("move", states.EVALUATED),
        ("move", states.STOPPED),
        ("wait", 3),
        ("wait", 40),
        ("wait", 200),
    ]
)


def _apply(world, made: SimpleNamespace, action: tuple, c: clock.Clock) -> None:
    duo, tenant, user = made.duo, world.tenant, world.user
    if action[0] == "wait":
        c.advance(dt.timedelta(days=action[1]))
    elif action[0] == "plan":
        steps.plan(duo, tenant, by=user)
    elif action[0] == "decide":
        person = made.mentee if action[1] == "mentee" else made.mentor
        first_meeting.decide(duo, action[1], action[2], tenant=tenant, by_person=person)
    elif action[0] == "sign":
        signer = {"mentee": made.mentee, "mentor": made.mentor}.get(action[1])
        name = signer.full_name if signer is not None else user.name
        agreement.sign(
            duo, action[1], full_name=name, accepted=True, tenant=tenant, expected_name=name,
            person=signer, by=None if signer is not None else user,
        )  # fmt: skip
    else:
        lifecycle.transition(duo, action[1], by=user, reason="A reason", tenant=tenant)


def _invariants(world, made: SimpleNamespace) -> None:
    duo = made.duo
    session = lifecycle.db.session
    yes = set(
        session.execute(
            select(DuoDecision.party).where(DuoDecision.duo_id == duo.id, DuoDecision.go_on)
        ).scalars()
    )
    signed = set(
        session.execute(select(DuoSignature.party).where(DuoSignature.duo_id == duo.id)).scalars()
    )
    path = _history(duo)
    for before, after in zip(path, path[1:], strict=False):
        assert states.allowed(before, after), path
    assert path[-1] == duo.state
    if states.CONFIRMED in path:
        assert yes == {"mentee", "mentor"}
    if states.ACTIVE in path:  # active requires both signatures (and the coordinator's)
        assert signed == {"mentee", "mentor", "coordinator"}
        assert duo.started_at is not None
        start = world.local_day(duo.started_at)
        months = world.tenant.config["programme"]["duration_months"]
        assert duo.ends_on == add_months(start, months)
    else:
        assert duo.started_at is None and duo.ends_on is None
    if duo.state in (states.ENDED, states.EVALUATED):
        assert duo.ended_at >= duo.started_at
    for decided_at in session.execute(
        select(DuoDecision.decided_at).where(DuoDecision.duo_id == duo.id)
    ).scalars():
        assert decided_at >= duo.first_meeting_at


@given(actions=st.lists(ACTIONS, min_size=1, max_size=14))
@example(
    actions=[
        ("plan",), ("move", states.CONFIRMED), ("move", states.ACTIVE), ("wait", 3),
        ("decide", "mentee", True), ("decide", "mentor", True), ("move", states.ACTIVE),
        ("sign", "mentee"), ("sign", "mentor"), ("move", states.ENDED),
        ("sign", "coordinator"), ("move", states.ENDED), ("wait", 200), ("move", states.ENDED),
    ]
)  # fmt: skip
@DB_SETTINGS
def _walk(world, actions: list[tuple]) -> None:
    with world.example(), clock.frozen(START) as c:
        made = world.duo()
        for action in actions:
            before = (made.duo.state, len(_history(made.duo)))
            nested = lifecycle.db.session.begin_nested()
            try:
                _apply(world, made, action, c)
            except InvalidDuoTransition:
                nested.rollback()  # what a view does with a refusal
                assert (made.duo.state, len(_history(made.duo))) == before
            else:
                nested.commit()
            _invariants(world, made)


def test_no_state_skips_a_step_whatever_is_tried(world) -> None:
    _walk(world)


# --------------------------------------------------------------------------- ending


@given(
    waited=st.integers(min_value=0, max_value=400),
    confirm=st.booleans(),
    reason=st.sampled_from(["", "  ", "Found a job"]),
    back=st.integers(min_value=0, max_value=30),
)
@example(waited=0, confirm=True, reason="Found a job", back=1)
@DB_SETTINGS
def _ending(world, waited: int, confirm: bool, reason: str, back: int) -> None:
    with world.example(), clock.frozen(START) as c:
        made = world.duo()
        steps.to_active(made.duo, world.tenant, made.mentee, made.mentor, world.user)
        started = made.duo.started_at
        # Before the start (a clock set back, a stale form): never.
        if back:
            c.set(started - dt.timedelta(days=back))
            with pytest.raises(InvalidDuoTransition):
                lifecycle.transition(made.duo, states.ENDED, by=world.user,
                                     confirm_early=True, reason="x")  # fmt: skip
            assert made.duo.state == states.ACTIVE
        c.set(started + dt.timedelta(days=waited))
        early = world.local_day(c.peek()) < made.duo.ends_on
        try:
            lifecycle.transition(made.duo, states.ENDED, by=world.user,
                                 confirm_early=confirm, reason=reason)  # fmt: skip
        except InvalidDuoTransition:
            assert early and (not confirm or not reason.strip())
            assert made.duo.state == states.ACTIVE and made.duo.ended_at is None
        else:
            assert not early or (confirm and reason.strip())
            assert made.duo.ended_at >= started


def test_an_end_is_never_before_the_start_and_early_needs_a_reason(world) -> None:
    _ending(world)


# --------------------------------------------------------------------------- outcome asks


@given(
    follow_up=st.integers(min_value=0, max_value=24),
    ended_hours=st.integers(min_value=0, max_value=24 * 800),
)
@example(follow_up=12, ended_hours=0)
@example(follow_up=6, ended_hours=24 * 181)  # ends on 31 Aug: the 6-month ask on 28 Feb
@DB_SETTINGS
def _asks(world, made_ids, follow_up: int, ended_hours: int) -> None:
    with world.example():
        duo = lifecycle.db.session.get(Duo, made_ids)
        duo.ended_at = START + dt.timedelta(hours=ended_hours)
        branch = SimpleNamespace(
            config={"programme": {"follow_up_months": follow_up}},
            timezone=world.tenant.timezone,
        )
        asks = outcomes.schedule(duo, branch)
        end_day = world.local_day(duo.ended_at)
        expected = [p for p in outcomes.POINTS if p <= follow_up]
        assert [a.months_after for a in sorted(asks, key=lambda a: a.months_after)] == expected
        for ask in asks:
            assert ask.due_on == add_months(end_day, ask.months_after)
            assert ask.due_on >= end_day and ask.person_id == duo.mentee_id
        assert outcomes.schedule(duo, branch) == []  # idempotent


def test_outcome_asks_fall_on_the_follow_up_months(world) -> None:
    with clock.frozen(START):
        made = world.duo()
        made_ids = (made.duo.tenant_id, made.duo.id)
        lifecycle.db.session.flush()
    _asks(world, made_ids)
