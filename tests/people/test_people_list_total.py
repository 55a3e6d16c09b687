"""The candidates list's total (and so its pager) is the number of people the filters keep,
whether it comes from the counts per role and state or from counting in SQL."""

from __future__ import annotations

import itertools

from sqlalchemy import func, select

from duo.people import states
from duo.people.listing import Filters, filtered, search


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
