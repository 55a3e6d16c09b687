"""The demo's past: years of finished activity per branch, with the organisation's sizes and
distributions, that leave nothing waiting (no to-do, no mail) and count like real data."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from duo.consumers.demo.past import Past, seed_past
from duo.core.tenancy.context import tenant_scope
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.evaluation.models import OutcomeAsk
from duo.people import states
from duo.people.models import Person
from duo.reporting import query
from duo.reporting.refresh import refresh_now

#: The seeder takes the day as a parameter: a fixed one, late in its year, keeps the drawn
#: past (and the figures compared with the organisation's report) the same from run to run.
TODAY = date(2026, 11, 20)
SEED = 2026  # the demo's random seed, a number
BRANCHES = ("brussels", "ghent", "rotterdam")


@pytest.fixture
def past(db, tenants):
    for slug in BRANCHES:
        with tenant_scope(tenants[slug].id):
            assert seed_past(tenants[slug], SEED, TODAY) > 1000
        refresh_now(tenants[slug].id)
    return tenants


def _value(key: str, slug: str, tenants, year: int):
    cube = query.cubes(year, query.branches(), [key], suppressed=False)[key]
    return cube.get(("b", tenants[slug].id))


def test_the_past_looks_like_the_organisations_report(past) -> None:
    tenants = past
    for slug in ("brussels", "ghent"):
        for year in range(TODAY.year - 3, TODAY.year):
            job = _value("outcomes.job", slug, tenants, year).value
            positive = _value("outcomes.positive", slug, tenants, year).value
            assert 35 <= job <= 68, (slug, year, job)
            assert 58 <= positive <= 85, (slug, year, positive)
    brussels = _value("duos.started", "brussels", tenants, TODAY.year - 1).value
    ghent = _value("duos.started", "ghent", tenants, TODAY.year - 1).value
    rotterdam = _value("duos.started", "rotterdam", tenants, TODAY.year - 1).value
    assert brussels > rotterdam > ghent > 0  # Brussels largest; each its own numbers
    assert _value("duos.started", "rotterdam", tenants, 2020).value == 0  # opened in 2021
    assert _value("duos.started", "rotterdam", tenants, 2021).value > 0
    for key, low, high in (
        ("survey.mentee.autonomy", 82, 97),
        ("survey.mentee.career_plan", 56, 80),
        ("survey.mentor.useful_to_society", 88, 100),
        ("duos.six_months", 80, 96),
        ("mentors.again", 60, 95),
    ):
        value = _value(key, "brussels", tenants, 2024).value
        assert low <= value <= high, (key, value)
    assert 10 <= _value("duos.meetings", "brussels", tenants, 2024).value <= 26
    assert 0 < _value("outcomes.lost", "brussels", tenants, 2024).value < 20


def test_the_past_leaves_nothing_waiting(past, db) -> None:
    tenants = past
    for slug in BRANCHES:
        with tenant_scope(tenants[slug].id):
            duo_states_seen = set(db.session.execute(select(Duo.state).distinct()).scalars())
            assert duo_states_seen <= {duo_states.EVALUATED, duo_states.STOPPED}
            people = set(db.session.execute(select(Person.state).distinct()).scalars())
            assert people <= {states.ALUMNI, states.WITHDRAWN, states.NOT_ELIGIBLE}
            open_asks = db.session.execute(
                select(func.count())
                .select_from(OutcomeAsk)
                .where(OutcomeAsk.answered_at.is_(None), OutcomeAsk.lost_at.is_(None))
            ).scalar_one()
            assert open_asks == 0


def test_the_same_seed_draws_the_same_past(tenants) -> None:
    first = Past(tenants["ghent"], SEED, TODAY).draw()
    again = Past(tenants["ghent"], SEED, TODAY).draw()
    assert first == again
    other = Past(tenants["liege"], SEED, TODAY).draw()
    assert len(other.duos) != len(first.duos)
