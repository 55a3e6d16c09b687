"""The cycle page's enrolment chooser lists the first candidates and finds the others.

A branch of 5,000 people has some 1,700 mentors: listing them all made the cycle page
183 KB (issue 12). The chooser shows the first :data:`CHOOSER_SIZE` (waiting for a
training first, then by name), says that there are more, and a search by name or e-mail
finds anyone else, who can then be enrolled as before.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext, ngettext
from markupsafe import escape
from sqlalchemy import select

from duo.core.db import db as _db
from duo.core.tenancy.context import tenant_scope
from duo.people import states
from duo.training.models import Enrolment
from duo.training.views import cycles as cycle_views
from support import make_cycle, query_plan, sent_sql

pytestmark = pytest.mark.usefixtures("training_clock")

MORE = (
    "Only the first %(num)d people who can be enrolled are listed, those waiting for a "
    "training first: search by name or e-mail to find someone else."
)
NO_MATCH = "Nobody who can be enrolled matches “%(search)s”."


def _text(locale: str, message: str, **values: object) -> str:
    with force_locale(locale):
        if message == MORE:
            return str(escape(ngettext(MORE, MORE, values["num"])))
        return str(escape(gettext(message, **values)))


@pytest.mark.parametrize(
    ("branch", "locale"), [("lyon", "fr"), ("rotterdam", "nl"), ("brussels", "en")]
)
def test_the_chooser_lists_the_first_candidates_and_a_search_finds_the_others(
    coordinator, tenants, create_person, monkeypatch, branch, locale
) -> None:
    monkeypatch.setattr(cycle_views, "CHOOSER_SIZE", 3)
    tenant = tenants[branch]
    cycle = make_cycle(tenant)
    waiting = [
        create_person(branch, role="mentor", state=states.ELIGIBLE, last_name=f"Aa{n}")
        for n in range(3)
    ]
    later = create_person(branch, role="mentor", state=states.TRAINED, last_name="Aardvark")
    refused = create_person(branch, role="mentor", state=states.WITHDRAWN, last_name="Zed")
    page_url = f"/{branch}/training/cycles/{cycle.id}"
    ids = [str(p.id) for p in waiting]
    later_id, refused_id = str(later.id), str(refused.id)
    client = coordinator(branch, locale=locale)

    page = client.get(page_url).get_data(as_text=True)
    assert all(f'value="{i}"' in page for i in ids)  # waiting for a training: listed first
    assert f'value="{later_id}"' not in page  # alphabetically first, but not waiting
    assert 'id="more-candidates"' in page and _text(locale, MORE, num=3) in page
    assert 'id="candidate-search"' in page

    found = client.get(f"{page_url}?q=aardv").get_data(as_text=True)
    assert f'value="{later_id}"' in found and not any(f'value="{i}"' in found for i in ids)
    assert 'id="more-candidates"' not in found and 'value="aardv"' in found

    nobody = client.get(f"{page_url}?q=Zed").get_data(as_text=True)  # withdrawn: not a candidate
    assert 'id="no-candidates"' in nobody and _text(locale, NO_MATCH, search="Zed") in nobody

    enrol_url = f"{page_url}/enrol"
    # Someone found by a search is enrolled although the chooser did not list them.
    assert client.post(enrol_url, data={"person_id": later_id, "session_id": ""}).status_code == 302
    refused_page = client.post(enrol_url, data={"person_id": refused_id, "session_id": ""})
    assert refused_page.status_code == 400
    with tenant_scope(tenant.id):
        enrolled = set(_db.session.execute(select(Enrolment.person_id)).scalars())
    assert {str(i) for i in enrolled} == {later_id}
    again = client.get(f"{page_url}?q=aardv").get_data(as_text=True)
    assert f'value="{later_id}"' not in again  # enrolled in the whole cycle: no longer offered


def test_the_first_candidates_are_read_from_the_index_in_order(db, tenants, create_person) -> None:
    """At 1,700 trained mentors, sorting them all was most of the cycle page's SQL (issue
    12): the chooser's ORDER BY is the expression of ``ix_people_tenant_role_chooser``, so
    both databases read its first page from that index, in order, without a sort. Asserted
    on the plan, not on a time."""
    from duo.core.tenancy.scoping import _in_branch
    from duo.training.chooser import _candidates

    tenant = tenants["ghent"]
    cycle = make_cycle(tenant)
    for n in range(30):
        state = (states.ELIGIBLE, states.IN_TRAINING, states.TRAINED)[n % 3]
        create_person("ghent", role="mentor", state=state, last_name=f"Name{n}")
    statement = _candidates().limit(51).options(_in_branch(tenant.id))
    params = {"cycle_id": cycle.id, "roles": ["mentor"]}
    connection = _db.session.connection()
    with sent_sql(connection) as sent:
        connection.execute(statement, params).all()
    sql, values = sent[-1]
    plan = query_plan(connection, sql, values)
    if connection.dialect.name == "postgresql":
        assert any("ix_people_tenant_role_chooser" in line for line in plan), plan
        assert not any(line.lstrip(" ->").startswith("Sort") for line in plan), plan
    else:
        assert any("ix_people_tenant_role_chooser" in line for line in plan), plan
        assert not any("TEMP B-TREE FOR ORDER BY" in line for line in plan), plan
    with tenant_scope(tenant.id):
        rows = _db.session.execute(statement, params).all()
    assert [r.state for r in rows] == sorted(
        (r.state for r in rows), key=[states.ELIGIBLE, states.IN_TRAINING, states.TRAINED].index
    )
