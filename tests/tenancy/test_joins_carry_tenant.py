"""Every join between two branch-owned tables matches on ``tenant_id`` as well as the id.

Row-level security and the ORM filter already keep a join inside one branch, so a join on
``id`` alone returns the right rows today. It matters twice over: distributed by
``tenant_id`` (Citus, see ``infra/citus/``) a join without it cannot be pushed down to one
shard, and on one server the planner can use the ``(tenant_id, id)`` keys. The check
walks the statements the application really sends while a branch with people, duos and
training is served page by page, and while the periodic jobs run.
"""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BinaryExpression
from sqlalchemy.sql.operators import eq

from duo.consumers.bench.world import World, seed_branch
from duo.core.db import db as _db
from duo.core.tenancy.context import tenant_scope
from support import run_jobs

BRANCH = "brussels"


def _tables_of(selectable) -> set[sa.Table]:
    """The branch-owned tables behind one side of a join (a table, an alias of one, or a
    nested join); a subquery counts only if it hands out its own ``tenant_id``."""
    if isinstance(selectable, sa.Table):
        return {selectable} if "tenant_id" in selectable.c else set()
    if isinstance(selectable, sa.Join):
        return _tables_of(selectable.left) | _tables_of(selectable.right)
    element = getattr(selectable, "element", None)
    if isinstance(element, sa.Table):
        return {element} if "tenant_id" in element.c else set()
    return set()


def _tenant_pairs(onclause) -> set[frozenset[str]]:
    """Pairs of tables whose ``tenant_id`` columns the ON clause sets equal."""
    pairs = set()
    for node in visitors.iterate(onclause):
        if isinstance(node, BinaryExpression) and node.operator is eq:
            left, right = node.left, node.right
            if getattr(left, "name", None) == "tenant_id" == getattr(right, "name", None):
                tables = {getattr(left, "table", None), getattr(right, "table", None)}
                pairs.add(frozenset(_name(t) for t in tables if t is not None))
    return pairs


def _name(table) -> str:
    element = getattr(table, "element", table)
    return getattr(element, "name", str(table))


def _joins(statement):
    """Every Join in the statement, subqueries included. A ``select().join()`` keeps its
    joins as instructions until compiled; ``get_final_froms()`` builds them."""
    seen: set[int] = set()
    for node in visitors.iterate(statement):
        candidates = [node]
        if isinstance(node, sa.Select):
            candidates = [n for f in node.get_final_froms() for n in visitors.iterate(f)]
        for candidate in candidates:
            if isinstance(candidate, sa.Join) and id(candidate) not in seen:
                seen.add(id(candidate))
                yield candidate


def untenanted_joins(statement) -> list[str]:
    """``"people JOIN profiles"`` for each join of two branch-owned tables without
    ``tenant_id`` in its ON clause."""
    found = []
    for node in _joins(statement):
        right = _tables_of(node.right)
        left = _tables_of(node.left)
        if not right or not left:
            continue
        pairs = _tenant_pairs(node.onclause)
        covered = {name for pair in pairs for name in pair}
        if not any(_name(t) in covered for t in right):
            found.append(f"{sorted(_name(t) for t in left)} JOIN {sorted(_name(t) for t in right)}")
    return found


def test_the_check_sees_a_join_without_tenant_id(app) -> None:
    from duo.people.models import Person, Profile

    bare = sa.select(Person.id).join(Profile, Profile.person_id == Person.id)
    assert untenanted_joins(bare) == ["['people'] JOIN ['person_profiles']"]
    keyed = sa.select(Person.id).join(
        Profile, (Profile.person_id == Person.id) & (Profile.tenant_id == Person.tenant_id)
    )
    assert untenanted_joins(keyed) == []


@pytest.fixture
def watched(app):
    """Every statement the engine runs, checked as it goes."""
    problems: dict[str, str] = {}

    def check(conn, clauseelement, multiparams, params, execution_options):
        if isinstance(clauseelement, sa.sql.ClauseElement):
            for join in untenanted_joins(clauseelement):
                problems.setdefault(join, str(clauseelement)[:400])

    sa.event.listen(_db.engine, "before_execute", check)
    try:
        yield problems
    finally:
        sa.event.remove(_db.engine, "before_execute", check)


def _ids(tenant_id, model) -> list[str]:
    with tenant_scope(tenant_id):
        return [str(i) for i in _db.session.execute(sa.select(model.id).limit(3)).scalars()]


def test_pages_and_jobs_join_on_tenant_id(app, tenants, coordinator, watched) -> None:
    from duo.duos.models import Duo
    from duo.people.models import Person
    from duo.training.models import TrainingCycle

    tenant = tenants[BRANCH]
    with tenant_scope(tenant.id):
        seed_branch(World(app, tenant.id), 120, 40, random.Random(7))
    client = coordinator(BRANCH, locale="en")
    pages = [
        f"/{BRANCH}/",
        f"/{BRANCH}/people/",
        f"/{BRANCH}/people/?q=bench",
        f"/{BRANCH}/duos/",
        f"/{BRANCH}/matching/",
        f"/{BRANCH}/training/",
        f"/{BRANCH}/sessions/",
    ]
    pages += [f"/{BRANCH}/people/{pid}" for pid in _ids(tenant.id, Person)]
    pages += [f"/{BRANCH}/duos/{did}" for did in _ids(tenant.id, Duo)]
    pages += [f"/{BRANCH}/training/cycles/{cid}" for cid in _ids(tenant.id, TrainingCycle)]
    # every other GET page of the branch, as the access sweep fills its placeholders
    for rule in app.url_map.iter_rules():
        if (
            "GET" in rule.methods
            and rule.rule.startswith("/<tenant>/")
            and "<" not in (rule.rule.removeprefix("/<tenant>/"))
        ):
            pages.append(rule.rule.replace("<tenant>", BRANCH))
    served = 0
    for path in dict.fromkeys(pages):
        response = client.get(path)
        assert response.status_code < 500, path
        served += response.status_code == 200
    assert served >= 10
    run_jobs()
    from duo.core.jobs.outbox import enqueue
    from duo.core.jobs.schedule import schedule

    for item in schedule():
        enqueue(item.job, tenant_id=None, dedupe_key=f"test-joins:{item.id}")
    run_jobs()
    report = "\n".join(f"{join}\n    {sql}" for join, sql in sorted(watched.items()))
    assert not watched, f"joins without tenant_id:\n{report}"
