"""Matching sessions and their constraints: one open session per branch, keys that stay in
their branch, and rows nobody of another branch (or raw SQL) can read."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import select, text

from duo.matching.models import CLOSED, LOCK, OPEN, MatchingConstraint, MatchingSession
from support import DATABASE_URL, today

TODAY = today()
TABLES = ("matching_sessions", "matching_constraints", "duos", "duo_state_changes")


def test_at_most_one_open_session_per_branch(db, in_tenant) -> None:
    with in_tenant("rotterdam"):
        db.session.add(MatchingSession(held_on=TODAY, status=OPEN))
        db.session.flush()
        db.session.add(MatchingSession(held_on=TODAY, status=CLOSED))
        db.session.flush()
        with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
            db.session.add(MatchingSession(held_on=TODAY, status=OPEN))
            db.session.flush()
    with in_tenant("lyon"):  # another branch has its own
        db.session.add(MatchingSession(held_on=TODAY, status=OPEN))
        db.session.flush()


def test_a_constraint_cannot_name_a_person_of_another_branch(db, in_tenant, pool_factory) -> None:
    awa = pool_factory.mentee("lyon", "Awa", languages={"fr": "native"})
    jan = pool_factory.mentor("rotterdam", "Jan")
    with in_tenant("rotterdam"):
        session = MatchingSession(held_on=TODAY, status=OPEN)
        db.session.add(session)
        db.session.flush()
        with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
            db.session.add(
                MatchingConstraint(
                    session_id=session.id, kind=LOCK, mentee_id=awa.id, mentor_id=jan.id
                )
            )
            db.session.flush()


def test_sessions_are_invisible_to_other_branches(db, in_tenant) -> None:
    with in_tenant("lyon"):
        db.session.add(MatchingSession(held_on=TODAY, status=OPEN))
        db.session.flush()
    with in_tenant("rotterdam"):
        assert db.session.execute(select(MatchingSession)).scalars().all() == []


@pytest.mark.skipif(not DATABASE_URL, reason="row-level security is a PostgreSQL feature")
def test_raw_sql_sees_only_the_current_branch(db, in_tenant) -> None:
    with in_tenant("lyon"):
        db.session.add(MatchingSession(held_on=TODAY, status=OPEN))
        db.session.flush()
    with in_tenant("rotterdam"):
        for table in TABLES:
            count = db.session.execute(
                text(f'SELECT count(*) FROM "{table}"').execution_options(duo_raw_sql=True)
            ).scalar_one()
            assert count == 0, table
