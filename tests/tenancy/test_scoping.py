"""The ORM layer of branch isolation: automatic filters, fail-closed, refused writes."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from duo.core.tenancy.context import CrossTenantWriteError, NoTenantError, tenant_scope
from duo.people.models import Person


def test_queries_see_only_the_current_branch(db, tenants, create_person, in_tenant) -> None:
    create_person("brussels", first_name="Bruxelloise")
    create_person("antwerp", first_name="Antwerpse")
    with in_tenant("brussels"):
        names = db.session.execute(select(Person.first_name)).scalars().all()
    assert names == ["Bruxelloise"]
    with in_tenant("antwerp"):
        count = db.session.execute(select(func.count()).select_from(Person)).scalar_one()
        assert count == 1


def test_no_branch_selected_fails_closed(db, create_person) -> None:
    create_person("brussels")
    with pytest.raises(NoTenantError):
        db.session.execute(select(Person)).all()


def test_get_by_primary_key_of_another_branch_returns_nothing(db, create_person, in_tenant) -> None:
    person = create_person("brussels")
    db.session.expunge_all()
    with in_tenant("antwerp"):
        assert db.session.get(Person, (person.tenant_id, person.id)) is None


def test_update_and_delete_are_scoped(db, create_person, in_tenant) -> None:
    create_person("brussels", first_name="Keep")
    create_person("antwerp", first_name="Keep")
    with in_tenant("antwerp"):
        db.session.execute(update(Person).values(first_name="Changed"))
        db.session.execute(delete(Person).where(Person.first_name == "Changed"))
    db.session.expire_all()
    with in_tenant("brussels"):
        assert db.session.execute(select(Person.first_name)).scalars().all() == ["Keep"]


def test_new_rows_take_the_current_branch(db, tenants, in_tenant) -> None:
    with in_tenant("ghent"):
        person = Person(role="mentor", first_name="A", last_name="B", email="a@b.c", locale="nl")
        db.session.add(person)
        db.session.flush()
    assert person.tenant_id == tenants["ghent"].id


def test_writing_a_row_of_another_branch_is_refused(db, tenants, in_tenant) -> None:
    with in_tenant("ghent"), pytest.raises(CrossTenantWriteError):
        db.session.add(
            Person(
                tenant_id=tenants["lyon"].id,
                role="mentor",
                first_name="A",
                last_name="B",
                email="a@b.c",
                locale="fr",
            )
        )
        db.session.flush()
    db.session.rollback()


def test_modifying_a_loaded_row_after_switching_branch_is_refused(
    db, create_person, in_tenant
) -> None:
    person = create_person("paris")
    with in_tenant("lille"), pytest.raises(CrossTenantWriteError):
        person.first_name = "Hijacked"
        db.session.flush()
    db.session.rollback()


def test_writing_without_branch_is_refused(db) -> None:
    with pytest.raises(NoTenantError):
        db.session.add(
            Person(role="mentor", first_name="A", last_name="B", email="a@b.c", locale="fr")
        )
        db.session.flush()
    db.session.rollback()


def test_joins_and_aliases_are_filtered(db, create_person, in_tenant) -> None:
    from sqlalchemy.orm import aliased

    create_person("brussels", email="same@example.org")
    create_person("antwerp", email="same@example.org")
    other = aliased(Person)
    with tenant_scope(None):
        pass
    with in_tenant("brussels"):
        rows = db.session.execute(
            select(Person.id, other.id).join(other, other.email == Person.email)
        ).all()
    assert len(rows) == 1


def test_plain_reads_past_the_orm_are_filtered_the_same(db, create_person, in_tenant) -> None:
    """``read_in_branch`` (the rollup refresh's reads) sees only the current branch, joins
    and aliases included, and fails closed with no branch selected."""
    from sqlalchemy.orm import aliased

    from duo.core.tenancy.scoping import read_in_branch
    from duo.people.models import Profile

    create_person("brussels", first_name="Bruxelloise", email="same@example.org")
    create_person("antwerp", first_name="Antwerpse", email="same@example.org")
    other = aliased(Person)
    with in_tenant("antwerp"):
        names = read_in_branch(select(Person.first_name)).scalars().all()
        pairs = read_in_branch(
            select(Person.first_name, other.first_name).join(other, other.email == Person.email)
        ).all()
        joined = read_in_branch(
            select(Person.first_name, Profile.person_id).outerjoin(
                Profile, Profile.person_id == Person.id
            )
        ).all()
    assert names == ["Antwerpse"]
    assert pairs == [("Antwerpse", "Antwerpse")]
    assert [name for name, _ in joined] == ["Antwerpse"]
    with pytest.raises(NoTenantError):
        read_in_branch(select(Person.first_name))


def test_reads_built_once_are_filtered_for_each_branch_anew(
    db, tenants, create_person, in_tenant
) -> None:
    """``BranchRead`` (the dashboard's counts, issue 12) keeps one filtered statement per
    branch: the same read asked in Antwerp after Brussels sees Antwerp's rows only,
    subqueries included; it sees its own request's unflushed rows; it fails closed."""
    from sqlalchemy import bindparam

    from duo.core.tenancy.scoping import BranchRead
    from duo.people.models import StateChange

    for _ in range(2):
        create_person("brussels", first_name="Bruxelloise")
    create_person("antwerp", first_name="Antwerpse")
    with_history = (
        select(StateChange.id)
        .where(StateChange.person_id == Person.id, StateChange.tenant_id == Person.tenant_id)
        .exists()
    )
    read = BranchRead(
        lambda: select(func.count(), func.max(Person.first_name)).where(
            Person.first_name != bindparam("not_named"), ~with_history | with_history
        )
    )
    with in_tenant("brussels"):
        assert read(not_named="x").one() == (2, "Bruxelloise")
    with in_tenant("antwerp"):
        assert read(not_named="x").one() == (1, "Antwerpse")
        assert read(not_named="Antwerpse").one() == (0, None)
        db.session.add(
            Person(role="mentor", first_name="Zoé", last_name="N", email="z@e.org", locale="nl")
        )
        assert read(not_named="x").one() == (2, "Zoé")  # flushed first, as the ORM would
    with in_tenant("brussels"):
        assert read(not_named="x").one() == (2, "Bruxelloise")
    with pytest.raises(NoTenantError):
        read(not_named="x")


def test_a_union_built_once_is_filtered_in_each_of_its_parts(
    db, tenants, create_person, in_tenant
) -> None:
    """The duo page's history is one ``UNION ALL`` read as a ``BranchRead``: each half gets
    the branch filter, so another branch's rows never come through either half."""
    from sqlalchemy import literal, union_all

    from duo.core.tenancy.scoping import BranchRead

    create_person("brussels", first_name="Bruxelloise", role="mentor")
    create_person("antwerp", first_name="Antwerpse", role="mentor")
    create_person("antwerp", first_name="Antwerpen", role="mentee")
    read = BranchRead(
        lambda: union_all(
            select(literal("mentor"), Person.first_name).where(Person.role == "mentor"),
            select(literal("mentee"), Person.first_name).where(Person.role == "mentee"),
        )
    )
    with in_tenant("antwerp"):
        assert sorted(read().all()) == [("mentee", "Antwerpen"), ("mentor", "Antwerpse")]
    with in_tenant("brussels"):
        assert read().all() == [("mentor", "Bruxelloise")]


def test_entities_loaded_by_a_statement_built_once_stay_in_their_branch(
    db, tenants, create_person, in_tenant
) -> None:
    """``BranchLoad`` (issue 12: the person and duo pages' entity reads) runs one statement
    per branch through the ORM, which recognises it by identity and does not filter it
    again: its rows are the branch's own, and the same statement object run while working
    for another branch is refused (a second branch filter would not replace the first)."""
    from sqlalchemy import bindparam

    from duo.core.tenancy.scoping import BranchLoad, CrossTenantReadError

    brussels = create_person("brussels", first_name="Bruxelloise")
    antwerp = create_person("antwerp", first_name="Antwerpse")
    load = BranchLoad(lambda: select(Person).where(Person.id.in_(bindparam("ids", expanding=True))))
    ids = [brussels.id, antwerp.id]
    with in_tenant("antwerp"):
        found = load(ids=ids).scalars().all()
        assert [p.first_name for p in found] == ["Antwerpse"]
        assert found[0] is db.session.get(Person, (antwerp.tenant_id, antwerp.id))  # ORM objects
    with in_tenant("brussels"):
        assert [p.first_name for p in load(ids=ids).scalars()] == ["Bruxelloise"]
        built_for_brussels = load._by_branch[brussels.tenant_id]
    with in_tenant("antwerp"), pytest.raises(CrossTenantReadError):
        db.session.execute(built_for_brussels, {"ids": ids})
    with pytest.raises(NoTenantError):
        load(ids=ids)


def test_one_statement_run_for_branch_after_branch_reads_each_ones_rows(
    db, tenants, create_person
) -> None:
    """The same statement object, run for one branch, another and the first again, reads
    each time the rows of the branch it runs for: the statement cache, which compiles it
    once, never hands one branch's filter to another (a guard for any change to how the
    filter carries its branch)."""
    slugs = ("ghent", "lille", "rotterdam")
    for slug in slugs:
        create_person(slug, role="mentee", last_name=f"Of{slug}")
    statement = select(Person.last_name)
    for slug in (*slugs, *reversed(slugs), *slugs):
        with tenant_scope(tenants[slug].id):
            assert db.session.execute(statement).scalars().all() == [f"Of{slug}"], slug


def test_running_a_compiled_statement_builds_no_sql_for_the_branch_value(
    db, tenants, create_person, in_tenant, monkeypatch
) -> None:
    """The branch's value, copied by the ORM into each table it filters, was told apart
    from its copies by building a SQL comparison on every execution (40% of a small count,
    issue 12). Running an already compiled statement now builds none, every branch still
    gets its own value, and the filter's own ``==`` still builds SQL."""
    from sqlalchemy.sql import elements

    from duo.core.tenancy.scoping import BranchRead, _in_branch
    from duo.people.models import StateChange

    create_person("brussels", first_name="Bruxelloise")
    create_person("antwerp", first_name="Antwerpse")
    read = BranchRead(
        lambda: select(func.count(), func.max(Person.first_name)).where(
            select(StateChange.id).where(StateChange.person_id == Person.id).exists()
            | (Person.first_name != "")
        )
    )
    for branch, name in (("brussels", "Bruxelloise"), ("antwerp", "Antwerpse")):
        with in_tenant(branch):
            assert read().one() == (1, name)  # each branch's statement built, compiled once
    built: list[object] = []
    original = elements.BinaryExpression.__init__

    def counted(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(elements.BinaryExpression, "__init__", counted)
    with in_tenant("antwerp"):
        assert read().one() == (1, "Antwerpse")
    with in_tenant("brussels"):
        assert read().one() == (1, "Bruxelloise")
    assert built == []
    monkeypatch.undo()

    from duo.core.tenancy.scoping import _BranchValue

    value = _BranchValue("tenant_id", 1, unique=True)
    assert (value == value._clone()) is False  # another element, unlike its copies
    assert (value == value._annotate({"x": 1})) is True
    assert isinstance(Person.tenant_id == value, elements.BinaryExpression)
    assert _in_branch(1) is _in_branch(1) and _in_branch(1) is not _in_branch(2)
