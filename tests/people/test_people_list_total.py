"""The candidates list's total (and so its pager) is the number of people the filters keep,
whether it comes from the counts per role and state or from counting in SQL."""

from __future__ import annotations

import itertools

from sqlalchemy import func, select

from duo.people import states
from duo.people.list_pages import search
from duo.people.listing import Filters, filtered


def test_the_total_is_the_number_of_people_the_filters_keep(db, create_person, in_tenant) -> None:
    for role, state, n in (
        ("mentee", states.REGISTERED, 3),
        ("mentee", states.ELIGIBLE, 2),
        ("mentor", states.ELIGIBLE, 4),
        ("mentor", states.TRAINED, 1),
    ):
        for _ in range(n):
            create_person("ghent", role=role, state=state, first_name="Noor")
    create_person("ghent", role="mentee", state=states.ELIGIBLE, first_name="Sara")
    create_person("antwerp", role="mentee", state=states.ELIGIBLE)  # another branch
    roles = (None, "mentee", "mentor")
    wanted = (None, states.REGISTERED, states.ELIGIBLE, states.TRAINED, states.IN_DUO)
    with in_tenant("ghent"):
        for role, state, q in itertools.product(roles, wanted, ("", "sara")):
            filters = Filters(q=q, role=role, state=state)
            counted = db.session.execute(
                select(func.count()).select_from(filtered(filters).subquery())
            ).scalar_one()
            page = search(filters, per_page=2)
            assert page.total == counted, (role, state, q)
            assert len(page.rows) == min(2, counted)
        assert search(Filters(), per_page=2).total == 11
        assert search(Filters(role="mentor", state=states.ELIGIBLE)).total == 4


def test_the_list_as_it_opens_reads_the_rows_the_filters_keep_in_order(
    db, create_person, in_tenant
) -> None:
    """The list filtered by role and state at most is read by a statement built once per
    branch (issue 12); its pages are the filtered statement's rows, in the same order, for
    every role, state, sort and page, and never another branch's."""
    import datetime as dt

    from duo.people.list_pages import _ordered

    base = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    steps = itertools.cycle(
        (("mentee", states.ELIGIBLE), ("mentor", states.TRAINED), ("mentee", states.ATTENDED))
    )
    people = [
        create_person("ghent", role=role, state=state, last_name=f"Name{n % 4}")
        for n, (role, state) in zip(range(11), steps, strict=False)
    ]
    with in_tenant("ghent"):
        for n, person in enumerate(people):
            person.state_changed_at = base + dt.timedelta(days=n % 3)
            person.created_at = base - dt.timedelta(days=n % 5)
        db.session.flush()
    create_person("antwerp", role="mentee", state=states.ELIGIBLE, last_name="Elsewhere")
    with in_tenant("ghent"):
        for role, state, sort in itertools.product(
            (None, "mentee", "mentor"),
            (None, states.ELIGIBLE, states.TRAINED),
            ("name", "waiting", "newest"),
        ):
            filters = Filters(role=role, state=state, sort=sort)
            expected = db.session.execute(_ordered(filtered(filters), sort)).scalars().all()
            for number in (1, 2, 3):
                page = search(Filters(role=role, state=state, sort=sort, page=number), per_page=4)
                got = [row.person.id for row in page.rows]
                assert got == expected[(page.page - 1) * 4 : page.page * 4], (role, state, sort)
        row = search(Filters(role="mentee", state=states.ELIGIBLE)).rows[0]
        (person,) = [p for p in people if p.id == row.person.id]
        assert (row.person.last_name, row.person.email) == (person.last_name, person.email)
