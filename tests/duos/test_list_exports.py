"""Issue 14, item 5, for the lists of information sessions, training and duos: the list a
coordinator sees as CSV or XLSX, with the page's filters, formula cells neutralised, an
audit entry; another branch's coordinator and HQ get nothing."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from duo.core.audit.models import AuditEvent
from duo.core.tenancy.context import tenant_scope
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.people import states
from support import make_cycle, make_session, past


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return list(sheet.iter_rows(values_only=True))


def _audit(db, in_tenant, branch: str = "brussels") -> list[AuditEvent]:
    with in_tenant(branch):
        exports = select(AuditEvent).where(AuditEvent.action == "export")
        return list(db.session.execute(exports.order_by(AuditEvent.at)).scalars())


@pytest.fixture
def duos(db, tenants, create_person):
    """Two Brussels duos (one active, one proposed, its mentee named like a formula) and
    one of Antwerp."""

    def pair(branch: str, state: str, mentee_name: str) -> None:
        mentee = create_person(branch, role="mentee", first_name=mentee_name,
                               last_name="Diallo", state=states.IN_DUO)  # fmt: skip
        mentor = create_person(branch, role="mentor", first_name="Luc",
                               last_name="Martin", state=states.IN_DUO)  # fmt: skip
        with tenant_scope(tenants[branch].id):
            db.session.add(Duo(mentee_id=mentee.id, mentor_id=mentor.id, state=state))
            db.session.flush()

    pair("brussels", duo_states.ACTIVE, "Amina")
    pair("brussels", duo_states.PROPOSED, "=HYPERLINK(1)")
    pair("antwerp", duo_states.ACTIVE, "Jan")


def test_duos_export_applies_the_state_filter_and_is_audited(db, in_tenant, login, duos) -> None:
    client = login(branches=["brussels"], locale="en")
    page = client.get("/brussels/duos/?state=active").get_data(as_text=True)
    assert "/brussels/duos/export.csv?state=active" in page
    rows = _csv(client.get("/brussels/duos/export.csv?state=active"))
    assert rows[0][:3] == ["Mentee", "Mentor", "State"]
    assert [r[0] for r in rows[1:]] == ["Amina Diallo"]
    [event] = _audit(db, in_tenant)
    assert (event.action, event.object, event.actor_user_id) == (
        "export",
        "duos.csv",
        client.user.id,
    )
    assert event.details == {"rows": 1, "filters": {"state": "active"}}


def test_duos_export_neutralises_formulas_in_xlsx(db, in_tenant, login, duos) -> None:
    client = login(branches=["brussels"], locale="en")
    rows = _xlsx(client.get("/brussels/duos/export.xlsx"))
    mentees = sorted(r[0] for r in rows[1:])
    assert mentees == ["'=HYPERLINK(1) Diallo", "Amina Diallo"]
    assert "Jan Diallo" not in mentees  # Antwerp's
    assert _audit(db, in_tenant)[0].object == "duos.xlsx"


def test_sessions_export_applies_the_period_and_neutralises(db, in_tenant, tenants, login) -> None:
    brussels = tenants["brussels"]
    make_session(brussels, place="=cmd|' /C calc'!A0")
    make_session(brussels, starts_at=past(10), place="Rue du Progrès 1")
    make_session(tenants["antwerp"], place="Antwerpen Centraal")
    client = login(branches=["brussels"], locale="en")
    page = client.get("/brussels/sessions/").get_data(as_text=True)
    assert "/brussels/sessions/export.csv?period=upcoming" in page
    upcoming = _csv(client.get("/brussels/sessions/export.csv?period=upcoming"))
    assert upcoming[0][:3] == ["Date", "Time", "Where"]
    assert [r[2] for r in upcoming[1:]] == ["'=cmd|' /C calc'!A0"]
    everything = _xlsx(client.get("/brussels/sessions/export.xlsx"))
    assert sorted(r[2] for r in everything[1:]) == ["'=cmd|' /C calc'!A0", "Rue du Progrès 1"]
    assert ":00:00" not in "".join(str(c) for r in everything for c in r)
    events = _audit(db, in_tenant)
    assert [e.object for e in events] == ["sessions.csv", "sessions.xlsx"]
    assert events[0].details == {"rows": 1, "filters": {"period": "upcoming"}}


@pytest.mark.usefixtures("training_clock")
def test_training_export_of_one_cycle_or_all(db, in_tenant, tenants, login) -> None:
    brussels = tenants["brussels"]
    one = make_cycle(brussels, title="@Autumn cycle", count=2)
    make_cycle(brussels, title="Spring cycle", count=3)
    other = make_cycle(tenants["antwerp"], title="Antwerp cycle", count=2)
    with in_tenant("brussels"):
        one_id = one.id
    with in_tenant("antwerp"):
        other_id = other.id
    client = login(branches=["brussels"], locale="en")
    page = client.get(f"/brussels/training/cycles/{one_id}").get_data(as_text=True)
    assert f"/brussels/training/export.csv?cycle={one_id}" in page
    rows = _csv(client.get(f"/brussels/training/export.csv?cycle={one_id}"))
    assert rows[0][:2] == ["Cycle", "No."]
    assert {r[0] for r in rows[1:]} == {"'@Autumn cycle"} and len(rows) == 3
    everything = _xlsx(client.get("/brussels/training/export.xlsx"))
    assert sorted({r[0] for r in everything[1:]}) == ["'@Autumn cycle", "Spring cycle"]
    assert client.get(f"/brussels/training/export.csv?cycle={other_id}").status_code == 404
    assert client.get("/brussels/training/export.csv?cycle=nope").status_code == 404
    events = _audit(db, in_tenant)
    assert [e.object for e in events] == ["training.csv", "training.xlsx"]
    assert events[0].details["filters"] == {"cycle": str(one_id)}


EXPORTS = (
    "/brussels/duos/export.csv",
    "/brussels/duos/export.xlsx?state=active",
    "/brussels/sessions/export.csv",
    "/brussels/sessions/export.xlsx?period=past",
    "/brussels/training/export.csv",
    "/brussels/training/export.xlsx",
    "/brussels/people/export.csv",
)


def test_another_branch_and_hq_get_404_and_nothing_is_audited(
    db, in_tenant, login, hq_client, duos
) -> None:
    antwerp = login(branches=["antwerp"])
    for client in (antwerp, hq_client):
        for path in EXPORTS:
            response = client.get(path)
            assert response.status_code == 404, path
            assert "Amina" not in response.get_data(as_text=True)
    assert _audit(db, in_tenant) == [] and _audit(db, in_tenant, "antwerp") == []


def test_an_unknown_format_is_404(login) -> None:
    client = login(branches=["brussels"])
    for path in ("/brussels/duos/export.pdf", "/brussels/sessions/export.ods",
                 "/brussels/training/export.txt"):  # fmt: skip
        assert client.get(path).status_code == 404
