"""The duo page costs at most ten SQL statements at every stage, however long the duo runs.

Issue 12 asks for ten. The page shows a dozen small tables (links, check-ins, history,
events, decisions, signatures, the agreement, workshops, the evaluation's panel, alerts);
the duo is read with the ones bounded by a unique key, the history and events in one
statement, and what a stage does not show (the planning form's coordinators, the
accompaniment before the signature) is not read. Each duo here is taken through its
steps by a coordinator, so every row names a staff user, as on a real branch.
"""

from __future__ import annotations

import datetime as dt

import pytest

import steps
from duo.core import clock
from duo.duos import accompaniment, lifecycle, states
from duo.duos.models import Duo
from support import run_jobs, snapshot

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
BUDGET = 10


@pytest.fixture
def duo_at(db, in_tenant, pool_factory, create_user, tenants):
    """``duo_at(stage)``: a Rotterdam duo at ``stage``, and a function adding to its life
    (check-ins once it runs, a moved first meeting before)."""

    def make(stage: str):
        mentee = pool_factory.mentee("rotterdam", "Amina", languages={"nl": "native"})
        mentor = pool_factory.mentor("rotterdam", "Jan", languages={"nl": "native"})
        user = create_user(branches=["rotterdam"])
        tenant = tenants["rotterdam"]
        with in_tenant("rotterdam"), clock.frozen(START) as c:
            duo = lifecycle.propose(mentee, mentor)
            if stage == states.FIRST_MEETING:
                steps.plan(duo, tenant, by=user)
            else:
                steps.to_active(duo, tenant, mentee, mentor, user)
                accompaniment.log(duo, "call", "First call.", by=user, tenant=tenant)
            if stage == states.ENDED:
                c.advance(dt.timedelta(days=190))
                lifecycle.transition(duo, states.ENDED, by=user)
            shot = snapshot(duo, ("id", "tenant_id", "mentee_id", "mentor_id"))
            db.session.commit()
        run_jobs()

        def grow(times: int) -> None:
            with in_tenant("rotterdam"), clock.frozen(START + dt.timedelta(days=200)) as c:
                live = db.session.get(Duo, (shot.tenant_id, shot.id))
                for n in range(times):
                    c.advance(dt.timedelta(days=7))
                    if stage == states.FIRST_MEETING:
                        steps.plan(live, tenant, by=user)
                    else:
                        accompaniment.log(live, "visit", f"Visit {n}.", by=user, tenant=tenant)
                db.session.commit()
            run_jobs()

        return shot, grow

    return make


@pytest.mark.parametrize("stage", [states.FIRST_MEETING, states.ACTIVE, states.ENDED])
def test_the_duo_page_reads_at_most_ten_statements_whatever_its_history(
    coordinator, duo_at, count_queries, stage
) -> None:
    duo, grow = duo_at(stage)
    client = coordinator("rotterdam", locale="en")
    url = f"/rotterdam/duos/{duo.id}"
    client.get(url)  # the staff session's "last seen" is written at most once a minute
    with count_queries() as young:
        assert client.get(url).status_code == 200
    grow(6)
    with count_queries() as old:
        page = client.get(url)
    assert page.status_code == 200
    assert old.count == young.count, "\n\n".join([*young.statements, "----", *old.statements])
    assert old.count <= BUDGET, "\n\n".join(old.statements)
