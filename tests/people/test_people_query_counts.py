"""Pages stay fast at 5,000 people in a branch: a small, constant number of SQL statements.

5,000 candidates (with profiles, histories and decisions) are bulk-inserted into one branch;
the list, a filtered list and a person's page are then opened while counting statements.
The same pages on a nearly empty branch must cost exactly as many: no N+1.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from sqlalchemy import insert

from duo.eligibility.engine import evaluate
from duo.eligibility.models import EligibilityDecision
from duo.people import states, vocab
from duo.people.models import Person, Profile, StateChange
from support import past

N = 5000
LIST_BUDGET = 10
PERSON_BUDGET = 10  # the person page and the dashboard (issue 12: at most 10 per page)
INTAKE_BUDGET = 12


def seed(db, tenant, n: int) -> list[uuid.UUID]:
    """Bulk insert ``n`` people with a profile and two history entries each."""
    rng = random.Random(n)
    start = past(days=330)
    people, profiles, changes = [], [], []
    for i in range(n):
        pid = uuid.uuid4()
        role = "mentor" if i % 3 == 0 else "mentee"
        state = rng.choice(
            [
                states.REGISTERED,
                states.ATTENDED,
                states.ELIGIBLE,
                states.NEEDS_REVIEW,
                states.NOT_ELIGIBLE,
            ]
        )
        at = start + timedelta(minutes=i)
        people.append(
            {
                "tenant_id": tenant.id,
                "id": pid,
                "role": role,
                "first_name": f"First{i}",
                "last_name": f"Last{i:05d}",
                "email": f"person{i}@example.org",
                "locale": "fr",
                "state": state,
                "state_changed_at": at,
                "created_at": at,
            }
        )
        profiles.append(
            {
                "tenant_id": tenant.id,
                "id": uuid.uuid4(),
                "person_id": pid,
                "languages": {"fr": "B2", rng.choice(vocab.LANGUAGES): "C1"},
                "availability": ["tue-evening"],
                "interests": [],
                "personality": [],
                "help_questions": ["cv"],
                "occupations": [],
                "sectors": [rng.choice(vocab.SECTORS)] if role == "mentor" else [],
                "target_sector": rng.choice(vocab.SECTORS) if role == "mentee" else None,
                "updated_at": at,
            }
        )
        changes.append(
            {
                "tenant_id": tenant.id,
                "id": uuid.uuid4(),
                "person_id": pid,
                "from_state": None,
                "to_state": states.REGISTERED,
                "at": at,
            }
        )
        if state != states.REGISTERED:
            changes.append(
                {
                    "tenant_id": tenant.id,
                    "id": uuid.uuid4(),
                    "person_id": pid,
                    "from_state": states.REGISTERED,
                    "to_state": state,
                    "at": at + timedelta(seconds=1),
                }
            )
    db.session.execute(insert(Person), people)
    db.session.execute(insert(Profile), profiles)
    db.session.execute(insert(StateChange), changes)
    db.session.commit()
    return [p["id"] for p in people]


def add_decisions(db, tenant, person_id: uuid.UUID, n: int) -> None:
    rules = tenant.config["eligibility"]["mentee"]
    decided = past(days=30)
    evaluation = evaluate(rules, {}, decided.date())
    db.session.execute(
        insert(EligibilityDecision),
        [
            {
                "tenant_id": tenant.id,
                "id": uuid.uuid4(),
                "person_id": person_id,
                "audience": "mentee",
                "kind": "evaluation",
                "outcome": "needs_review",
                "evaluated_outcome": "needs_review",
                "evaluation": evaluation.as_dict(),
                "rules_hash": evaluation.rules_hash,
                "decided_at": decided + timedelta(hours=i),
            }
            for i in range(n)
        ],
    )
    db.session.execute(
        insert(StateChange),
        [
            {
                "tenant_id": tenant.id,
                "id": uuid.uuid4(),
                "person_id": person_id,
                "from_state": states.NEEDS_REVIEW,
                "to_state": states.NEEDS_REVIEW,
                "at": decided + timedelta(days=1, hours=i),
                "reason": "duo:intake",
            }
            for i in range(n)
        ],
    )
    db.session.commit()


def pages(person_id: uuid.UUID) -> dict[str, str]:
    return {
        "list": "/people/",
        "filtered": "/people/?q=last&state=eligible&role=mentee&language=fr&sector=it"
        "&sort=waiting&page=2",
        "session": f"/people/?session={uuid.uuid4()}&role=mentor",
        "person": f"/people/{person_id}",
        "intake": f"/people/{person_id}/intake",
        "dashboard": "/",
    }


def measure(
    client,
    count_queries,
    slug: str,
    person_id: uuid.UUID,
    expect_rows: bool,
) -> dict[str, int]:
    counts = {}
    for name, path in pages(person_id).items():
        client.get(f"/{slug}{path}")  # warm up (first-request work is not the page's)
        with count_queries() as q:
            response = client.get(f"/{slug}{path}")
        assert response.status_code == 200, (name, response.status_code)
        if expect_rows and name in ("list", "filtered"):  # the filters really select rows
            assert "@example.org" in response.get_data(as_text=True), (slug, name)
        counts[name] = q.count
    return counts


def test_pages_cost_a_constant_small_number_of_statements(
    db, tenants, in_tenant, login, count_queries
) -> None:
    big, small = tenants["marseille"], tenants["lille"]
    with in_tenant("marseille"):
        big_ids = seed(db, big, N)
        add_decisions(db, big, big_ids[1], 30)
    with in_tenant("lille"):
        small_ids = seed(db, small, 3)
        add_decisions(db, small, small_ids[1], 1)

    big_counts = measure(
        login(branches=["marseille"]), count_queries, "marseille", big_ids[1], expect_rows=True
    )
    small_counts = measure(
        login(branches=["lille"]), count_queries, "lille", small_ids[1], expect_rows=False
    )

    assert big_counts == small_counts, (big_counts, small_counts)
    for name in ("list", "filtered", "session"):
        assert big_counts[name] <= LIST_BUDGET, (name, big_counts)
    assert big_counts["person"] <= PERSON_BUDGET, big_counts
    assert big_counts["dashboard"] <= PERSON_BUDGET, big_counts
    assert big_counts["intake"] <= INTAKE_BUDGET, big_counts
