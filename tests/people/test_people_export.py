"""Issue 14, item 5: a coordinator exports the list they see (CSV, XLSX), safely, audited."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from duo.core.audit.models import AuditEvent
from duo.core.exporting import neutralise
from duo.people import states


def test_formula_cells_are_neutralised() -> None:
    for bad in ("=1+1", "+32 2 123", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(bad) == "'" + bad
    assert neutralise("Amina") == "Amina"
    assert neutralise(3) == 3 and neutralise(None) == ""


def _people(create_person) -> None:
    create_person(
        "brussels",
        role="mentee",
        first_name="=HYPERLINK(1)",
        last_name="Zed",
        state=states.ELIGIBLE,
    )
    create_person(
        "brussels", role="mentor", first_name="Marc", last_name="Dupont", state=states.TRAINED
    )
    create_person(
        "antwerp", role="mentor", first_name="Jan", last_name="Peeters", state=states.TRAINED
    )


def test_csv_export_applies_the_filters_and_is_audited(db, login, in_tenant, create_person) -> None:
    _people(create_person)
    client = login(branches=["brussels"], locale="en")
    response = client.get("/brussels/people/export.csv?role=mentee")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Last name", "First name"]
    names = {(r[0], r[1]) for r in rows[1:]}
    assert ("Zed", "'=HYPERLINK(1)") in names
    assert all(r[2] == "mentee" for r in rows[1:])
    assert ("Dupont", "Marc") not in names and ("Peeters", "Jan") not in names
    with in_tenant("brussels"):
        event = (
            db.session.execute(select(AuditEvent).where(AuditEvent.action == "export"))
            .scalars()
            .one()
        )
        assert (event.action, event.object, event.actor_user_id) == (
            "export",
            "people.csv",
            client.user.id,
        )
        assert event.details["filters"] == {"role": "mentee"}


def test_xlsx_export_opens_in_a_spreadsheet(db, login, create_person) -> None:
    _people(create_person)
    client = login(branches=["brussels"], locale="fr")
    response = client.get("/brussels/people/export.xlsx?state=trained")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Nom"
    assert [v[:2] for v in values[1:]] == [["Dupont", "Marc"]]


def test_another_branch_and_hq_get_404(db, login, create_person) -> None:
    _people(create_person)
    assert login(branches=["antwerp"]).get("/brussels/people/export.csv").status_code == 404
    assert login(hq=True).get("/brussels/people/export.csv").status_code == 404
    assert login(branches=["brussels"]).get("/brussels/people/export.pdf").status_code == 404
