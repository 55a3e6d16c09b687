"""Importing candidates from CSV / XLSX: parse, preview with errors, confirm all-or-nothing."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from duo.core.db import utcnow
from duo.people import spreadsheet, states
from duo.people.models import ImportBatch, Person, Profile, StateChange
from support import ADULT_BIRTH_YEAR

HEADER = (
    "role,first_name,last_name,email,phone,language,birth_year,postcode,languages,sectors,state"
)
GOOD = (
    "\n".join(
        [
            HEADER,
            f"mentee,Amina,Benali,amina@example.org,+32 470 12 34 56,fr,{ADULT_BIRTH_YEAR},1000,"
            "fr:B2; ar:native,it,",
            "Mentor,Jan,Peeters,JAN@example.org,,nl,1958,1050,nl:native,finance; administration,"
            "attended_info_session",
            ",,,,,,,,,,",
            "mentee,Youssef,Haddad,youssef@example.org,,,,,,,",
        ]
    )
    + "\n"
)


def upload(client, body: bytes | str, filename: str = "people.csv", slug: str = "brussels"):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post(
        f"/{slug}/people/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def batch_url(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return response.headers["Location"]


def count_people(db, in_tenant, slug="brussels") -> int:
    with in_tenant(slug):
        return db.session.execute(select(func.count()).select_from(Person)).scalar()


# --------------------------------------------------------------------------- parsing (no db)


def test_parse_csv_with_semicolons_bom_aliases_and_blank_lines() -> None:
    body = (
        "\ufeffRole;First name;Last-Name;E-mail;Favourite colour\n"
        "\nmentor;Jan;Peeters;j@x.org;blue\n"
    )
    parsed = spreadsheet.parse_upload("export.csv", body.encode("utf-8"))
    assert parsed.columns == ["role", "first_name", "last_name", "email"]
    assert parsed.ignored_columns == ["Favourite colour"]
    assert parsed.rows == [
        {
            "line": 3,
            "cells": {
                "role": "mentor",
                "first_name": "Jan",
                "last_name": "Peeters",
                "email": "j@x.org",
            },
        }
    ]


def test_parse_xlsx() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["role", "first_name", "last_name", "email", "birth_year"])
    sheet.append(["mentee", "Amina", "Benali", "amina@example.org", ADULT_BIRTH_YEAR])
    sheet.append([None, None, None, None, None])
    sheet.append(["mentor", "Jan", "Peeters", "jan@example.org", 1958.0])
    out = io.BytesIO()
    book.save(out)
    parsed = spreadsheet.parse_upload("people.xlsx", out.getvalue())
    assert [r["cells"]["birth_year"] for r in parsed.rows] == [str(ADULT_BIRTH_YEAR), "1958"]
    assert [r["line"] for r in parsed.rows] == [2, 4]


@pytest.mark.parametrize(
    ("filename", "body", "message"),
    [
        ("people.csv", "role,first_name,last_name,email\n".encode("utf-16"), "not a CSV"),
        (
            "people.csv",
            "role,first_name,last_name,email\nmentee,Zoë,X,z@x.org\n".encode("latin-1"),
            "not encoded in UTF-8",
        ),
        ("people.csv", b"role,first_name,email\nmentee,Amina,a@x.org\n", "last_name is missing"),
        ("people.csv", b"name;mail\nA;a@x.org\n", "are missing"),
        ("people.csv", b"", "empty"),
        ("people.csv", b"role,first_name,last_name,email\n", "no rows"),
        ("people.pdf", b"%PDF-1.4 something", "Upload a CSV or XLSX file"),
        ("people.xls", b"\xd0\xcf\x11\xe0 legacy", "save it as XLSX or CSV"),
        ("people.xlsx", b"PK\x03\x04 not really a zip", "not a readable XLSX"),
        (
            "people.csv",
            b"role,first_name,last_name,email\n" + b"x" * (2 * 1024 * 1024),
            "too large",
        ),
    ],
)
def test_bad_files_are_refused_with_a_message(filename, body, message) -> None:
    with pytest.raises(spreadsheet.ImportFileError) as err:
        spreadsheet.parse_upload(filename, body)
    assert message in str(err.value)


def test_too_many_rows() -> None:
    body = "role,first_name,last_name,email\n" + "mentee,A,B,a@x.org\n" * (spreadsheet.MAX_ROWS + 1)
    with pytest.raises(spreadsheet.ImportFileError, match="more than"):
        spreadsheet.parse_upload("big.csv", body.encode())


# --------------------------------------------------------------------------- pages


def test_upload_preview_confirm_and_reimport_creates_no_duplicates(db, in_tenant, login) -> None:
    client = login(branches=["brussels"], locale="en")
    before = count_people(db, in_tenant)
    preview_url = batch_url(upload(client, GOOD))
    assert count_people(db, in_tenant) == before  # a preview writes no person
    html = client.get(preview_url).get_data(as_text=True)
    assert "Import 3 candidates" in html and "Lines to fix" not in html

    response = client.post(preview_url)
    assert response.status_code == 302
    assert count_people(db, in_tenant) == before + 3
    listing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 candidates imported; 0 already known and skipped." in listing
    with in_tenant("brussels"):
        jan = db.session.execute(
            select(Person).where(Person.email == "jan@example.org")
        ).scalar_one()
        assert (jan.role, jan.locale, jan.birth_year, jan.state) == (
            "mentor",
            "nl",
            1958,
            states.ATTENDED,
        )
        profile = db.session.execute(
            select(Profile).where(Profile.person_id == jan.id)
        ).scalar_one()
        assert profile.sectors == ["finance", "administration"]
        assert profile.languages == {"nl": "native"} and profile.postcode == "1050"
        amina = db.session.execute(
            select(Person).where(Person.email == "amina@example.org")
        ).scalar_one()
        assert amina.state == states.REGISTERED and amina.locale == "fr"
        amina_profile = db.session.execute(
            select(Profile).where(Profile.person_id == amina.id)
        ).scalar_one()
        assert amina_profile.target_sector == "it" and amina_profile.sectors == []
        steps = (
            db.session.execute(
                select(StateChange.to_state)
                .where(StateChange.person_id == jan.id)
                .order_by(StateChange.at)
            )
            .scalars()
            .all()
        )
        assert steps == [states.REGISTERED, states.ATTENDED]
        # the stored upload keeps no copy of the people once imported
        batch = db.session.execute(select(ImportBatch)).scalars().one()
        assert batch.rows == [] and batch.imported_count == 3

    # Confirming again does nothing; re-importing the same file creates nobody twice.
    assert client.post(preview_url).status_code == 302
    second = batch_url(upload(client, GOOD))
    html = client.get(second).get_data(as_text=True)
    assert "nothing to import" in html
    assert client.post(second).status_code == 302
    assert count_people(db, in_tenant) == before + 3


def test_rows_with_errors_are_shown_at_their_line_and_block_the_import(
    db, in_tenant, login
) -> None:
    body = "\n".join(
        [
            HEADER,
            "mentee,Amina,Benali,not-an-email,,fr,1890,,fr:B9,it; finance,",
            "pilot,Jan,Peeters,jan@example.org,,de,,,,,hired",
            "mentee,Youssef,Haddad,youssef@example.org,,,,,,,",
            "mentee,Youssef,Again,YOUSSEF@example.org,,,,,,,",
            "mentor,,Nameless,n@example.org,,,,,,space,",
        ]
    )
    client = login(branches=["brussels"], locale="en")
    before = count_people(db, in_tenant)
    url = batch_url(upload(client, body))
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (
        "Not a valid e-mail address.",
        "Write a year between 1900",
        "is not a language with a level",
        "Write mentor or mentee.",
        "Use one of the branch's languages",
        "Same e-mail address and role as line 4.",
        "This column is required.",
        "Unknown sector",
    ):
        assert text.replace("'", "&#39;") in html, text
    lines = re.findall(r'<th scope="row" class="num" rowspan="\d+">(\d+)</th>', html)
    assert lines == ["2", "3", "5", "6"]
    # Confirming anyway is refused: 400, nothing written.
    response = client.post(url)
    assert response.status_code == 400
    assert count_people(db, in_tenant) == before


def test_errors_follow_the_coordinators_language(app, db, in_tenant, coordinator) -> None:
    """Rows are validated when shown, so messages use the reader's current language."""
    from flask_babel import force_locale, gettext
    from markupsafe import escape

    body = HEADER + "\nmentee,Amina,Benali,not-an-email,,,,,,,\n"
    client = coordinator("brussels")  # French: the branch's first language
    url = batch_url(upload(client, body))
    with app.test_request_context(), force_locale("fr"):
        french = gettext("Not a valid e-mail address.")
    html = client.get(url).get_data(as_text=True)
    assert 'lang="fr"' in html and str(escape(french)) in html
    client.post("/language", data={"locale": "nl"})
    with app.test_request_context(), force_locale("nl"):
        dutch = gettext("Not a valid e-mail address.")
    html = client.get(url).get_data(as_text=True)
    assert 'lang="nl"' in html and str(escape(dutch)) in html


def test_bad_uploads_are_400_with_the_message_at_the_field(db, in_tenant, login) -> None:
    client = login(branches=["brussels"], locale="en")
    before = count_people(db, in_tenant)
    for body, filename, message in [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png", "Upload a CSV or XLSX file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.csv", "not a CSV"),
        (b"role;first_name\n", "people.csv", "are missing"),
        (
            "role,first_name,last_name,email\nmentee,Zoë,X,z@x.org\n".encode("cp1252"),
            "people.csv",
            "not encoded in UTF-8",
        ),
    ]:
        response = upload(client, body, filename)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, filename
        assert message in html and 'id="file-error"' in html
    response = client.post("/brussels/people/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file to upload." in response.get_data(
        as_text=True
    )
    assert count_people(db, in_tenant) == before
    with in_tenant("brussels"):
        assert db.session.execute(select(func.count()).select_from(ImportBatch)).scalar() == 0


def test_a_preview_belongs_to_its_uploader_and_expires(db, in_tenant, login) -> None:
    alice = login(branches=["brussels"], locale="en")
    bob = login(branches=["brussels"], locale="en")
    url = batch_url(upload(alice, GOOD))
    assert bob.get(url).status_code == 404
    assert bob.post(url).status_code == 404
    with in_tenant("brussels"):
        db.session.execute(update(ImportBatch).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert alice.get(url).status_code == 404
    assert alice.post(url).status_code == 404


def test_import_pages_of_another_branch_are_404(db, in_tenant, coordinator) -> None:
    paris = coordinator("paris")
    url = batch_url(upload(paris, GOOD, slug="paris"))
    before = count_people(db, in_tenant, "paris")
    lyon = coordinator("lyon")
    lyon_url = url.replace("/paris/", "/lyon/")
    assert lyon.get(url).status_code == 404
    assert lyon.post(url).status_code == 404
    assert lyon.get(lyon_url).status_code == 404
    assert lyon.post(lyon_url).status_code == 404
    assert (
        lyon.post(
            "/paris/people/import",
            data={"file": (io.BytesIO(GOOD.encode()), "a.csv")},
            content_type="multipart/form-data",
        ).status_code
        == 404
    )
    assert lyon.get("/paris/people/import/template.csv").status_code == 404
    assert count_people(db, in_tenant, "paris") == before


def test_template_csv_has_every_column_and_imports_cleanly(db, in_tenant, login) -> None:
    client = login(branches=["rotterdam"], locale="en")
    response = client.get("/rotterdam/people/import/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.decode("utf-8-sig").splitlines()[0] == HEADER
    url = batch_url(upload(client, body, slug="rotterdam"))
    html = client.get(url).get_data(as_text=True)
    assert "Import 2 candidates" in html
