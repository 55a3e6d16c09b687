"""Issue 10 item 4: a scope change leaves no other branch's object reachable by get().

``session.get()`` reads the identity map before any query, so before the branch filter: a
person loaded while working for Brussels must not come back while working for Antwerp.
"""

from __future__ import annotations

from duo.people.models import Person


def test_get_does_not_return_another_branchs_cached_object(db, tenants, in_tenant, create_person):
    person = create_person("brussels")
    key = (person.tenant_id, person.id)
    with in_tenant("brussels"):
        assert db.session.get(Person, key) is person  # cached, and ours
    with in_tenant("antwerp"):
        assert db.session.get(Person, key) is None
        assert db.session.get(Person, (tenants["antwerp"].id, person.id)) is None
    assert db.session.get(Person, key) is None  # no branch selected: nothing
    with in_tenant("brussels"):
        assert db.session.get(Person, key) is person  # back home, still there


def test_get_one_refuses_too(db, in_tenant, create_person) -> None:
    import pytest
    from sqlalchemy.exc import NoResultFound

    person = create_person("ghent")
    with in_tenant("lille"), pytest.raises(NoResultFound):
        db.session.get_one(Person, (person.tenant_id, person.id))


def test_the_apps_own_session_class_filters_too(app, tenants, in_tenant) -> None:
    from duo.core.db import VisibleGet, db

    with app.app_context():
        assert isinstance(db.session(), VisibleGet)
