"""Moving a running branch onto the platform: trained mentors, duos and outcomes imported
from CSV / XLSX, previewed row by row, written all together or not at all, and counted."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from duo.duos import states as duo_states
from duo.duos.models import Duo, DuoStateChange
from duo.evaluation.models import Outcome, OutcomeAsk
from duo.moving_in.kinds import DUOS, KINDS, MENTORS, OUTCOMES, template
from duo.people import spreadsheet
from duo.people import states as pstates
from duo.people.models import ImportBatch, Person, StateChange
from duo.reporting.models import ALL, RollupCell
from duo.reporting.refresh import refresh_now
from duo.training.models import Attendance, TrainingCycle
from duo.training.status import trained_mentor_ids
from support import today

#: The year the imported spreadsheets start in: two years before the clock's, so that every
#: date they hold (up to September of the next year) is over, as a running branch's history is.
BASE = today().year - 2

MENTORS_CSV = (
    "first_name,last_name,email,trained_on,language,birth_year,sectors\n"
    f"Jan,Peeters,jan@example.org,{BASE}-03-15,nl,1958,finance\n"
    f"Els,Janssens,ELS@example.org,01/09/{BASE},,1960,\n"
)
DUOS_ROWS = [
    [
        "mentor_email", "mentee_email", "start", "state", "end", "stop_reason",
        "mentee_first_name", "mentee_last_name", "mentee_birth_year", "mentee_sector",
    ],
    ["jan@example.org", "amina@example.org", f"{BASE}-04-02", "ended", f"{BASE}-10-01", "",
     "Amina", "El Idrissi", "2001", "healthcare"],
    ["els@example.org", "youssef@example.org", f"{BASE + 1}-01-06", "active", "", "",
     "Youssef", "Haddad", "", ""],
    ["jan@example.org", "sara@example.org", f"{BASE}-11-04", "stopped", f"{BASE + 1}-01-15",
     "Moved abroad", "Sara", "Diallo", "", ""],
    ["jan@example.org", "amina@example.org", f"{BASE + 1}-03-03", "evaluated",
     f"{BASE + 1}-09-01", "", "", "", "", ""],
]  # fmt: skip
OUTCOMES_CSV = (
    "mentee_email;duo_start;months_after;outcome;outcome_date;contract_type;hours_per_week;"
    "job_started_on\n"
    f"amina@example.org;{BASE}-04-02;0;looking;;;;\n"
    f"amina@example.org;{BASE}-04-02;3;job;{BASE + 1}-01-10;fixed_term;38;{BASE}-12-01\n"
    f"sara@example.org;{BASE}-11-04;0;training;;;;\n"
)


def xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_of(rows: list[list[str]]) -> str:
    return "\n".join(",".join(row) for row in rows) + "\n"


def upload(client, kind: str, body: bytes | str, filename: str = "file.csv", slug="brussels"):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post(
        f"/{slug}/move-in/{kind}",
        data={f"{kind}-file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def preview_url(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return response.headers["Location"]


def token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    return found.group(1) if found else ""


def import_file(client, kind: str, body, filename: str = "file.csv") -> str:
    url = preview_url(upload(client, kind, body, filename))
    html = client.get(url).get_data(as_text=True)
    assert "Lines to fix" not in html, html[-4000:]
    response = client.post(url, data={"csrf_token": token(client, url)})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return url


def snapshot(db, in_tenant, slug: str = "brussels") -> dict[str, int]:
    with in_tenant(slug):
        return {
            model.__tablename__: db.session.execute(
                select(func.count()).select_from(model)
            ).scalar_one()
            for model in (
                Person,
                StateChange,
                Duo,
                DuoStateChange,
                Outcome,
                OutcomeAsk,
                TrainingCycle,
                Attendance,
            )
        }


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_template_has_a_header_and_an_example_row(app, kind, fmt) -> None:
    spec = KINDS[kind]
    with app.test_request_context():
        body = template(spec, fmt, "fr")
    parsed = spreadsheet.parse_upload(
        f"t.{fmt}", body, columns=spec.columns, required=spec.required, aliases=spec.aliases
    )
    assert parsed.columns == list(spec.columns)
    assert len(parsed.rows) == 1 and parsed.rows[0]["line"] == 2
    assert {k: v for k, v in parsed.rows[0]["cells"].items() if v}.keys() >= set(spec.required)


def test_templates_are_downloaded_from_the_move_in_page(db, coordinator) -> None:
    client = coordinator("brussels", locale="en")
    html = client.get("/brussels/move-in/").get_data(as_text=True)
    for kind in KINDS:
        for fmt in ("csv", "xlsx"):
            assert f"/brussels/move-in/{kind}/template.{fmt}" in html
    response = client.get("/brussels/move-in/duos/template.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert "attachment" in response.headers["Content-Disposition"]
    assert client.get("/brussels/move-in/duos/template.pdf").status_code == 404
    assert client.get("/brussels/move-in/people/template.csv").status_code == 404
    assert "/brussels/move-in/" in client.get("/brussels/people/import").get_data(as_text=True)


# --------------------------------------------------------------------------- the journey


def test_mentors_duos_and_outcomes_come_in_once_and_are_counted(
    app, db, tenants, in_tenant, coordinator
) -> None:
    client = coordinator("brussels", locale="en")
    brussels = tenants["brussels"]
    before = snapshot(db, in_tenant)

    import_file(client, MENTORS, MENTORS_CSV)
    with in_tenant("brussels"):
        mentors = {
            p.email.lower(): p
            for p in db.session.execute(select(Person).where(Person.role == "mentor")).scalars()
        }
        jan, els = mentors["jan@example.org"], mentors["els@example.org"]
        assert jan.state == els.state == pstates.TRAINED
        assert {jan.id, els.id} <= trained_mentor_ids(brussels.id)
        steps = [c.to_state for c in jan.history]
        assert steps == [
            pstates.REGISTERED,
            pstates.INTAKE_DONE,
            pstates.ELIGIBLE,
            pstates.IN_TRAINING,
            pstates.TRAINED,
        ]
        assert jan.history[-1].at.date().isoformat() == f"{BASE}-03-15"

    import_file(client, DUOS, xlsx(DUOS_ROWS), "duos.xlsx")
    with in_tenant("brussels"):
        duos = list(db.session.execute(select(Duo).order_by(Duo.started_at)).scalars())
        people = {p.id: p for p in db.session.execute(select(Person)).scalars()}
        assert [(people[d.mentee_id].first_name, d.state) for d in duos] == [
            ("Amina", duo_states.ENDED),
            ("Sara", duo_states.STOPPED),
            ("Youssef", duo_states.ACTIVE),
            ("Amina", duo_states.EVALUATED),
        ]
        amina = people[duos[0].mentee_id]
        assert amina.state == pstates.ALUMNI
        assert people[duos[1].mentee_id].state == pstates.ELIGIBLE
        assert people[duos[2].mentee_id].state == people[duos[2].mentor_id].state == pstates.IN_DUO
        assert people[duos[0].mentor_id].state == pstates.TRAINED
        assert duos[1].stop_reason == "Moved abroad"
        path = [
            c.to_state
            for c in db.session.execute(
                select(DuoStateChange)
                .where(DuoStateChange.duo_id == duos[3].id)
                .order_by(DuoStateChange.at)
            ).scalars()
        ]
        assert path[:4] == ["proposed", "first_meeting", "confirmed", "active"]
        assert path[4:] == ["ended", "evaluated"]

    import_file(client, OUTCOMES, OUTCOMES_CSV)
    with in_tenant("brussels"):
        outcomes = list(db.session.execute(select(Outcome)).scalars())
        assert sorted((o.months_after, o.status) for o in outcomes) == [
            (0, "looking"),
            (0, "training"),
            (3, "job"),
        ]
        asks = list(db.session.execute(select(OutcomeAsk)).scalars())
        assert len(asks) == 3 and all(a.answered_at is not None for a in asks)

    # Their pages open like any other: duos, people, the past training cycle, the lists.
    with in_tenant("brussels"):
        duo_ids = [d.id for d in duos]
        person_ids = [d.mentee_id for d in duos] + [jan.id, els.id]
        cycle_ids = list(db.session.execute(select(TrainingCycle.id)).scalars())
    paths = [f"/brussels/duos/{i}" for i in duo_ids]
    paths += [f"/brussels/people/{i}" for i in person_ids]
    paths += [f"/brussels/training/cycles/{i}" for i in cycle_ids]
    paths += ["/brussels/", "/brussels/duos/", "/brussels/people/", "/brussels/training/"]
    for path in paths:
        assert client.get(path).status_code == 200, path

    # Importing the same three files again changes nothing.
    after = snapshot(db, in_tenant)
    for kind, body, name in (
        (MENTORS, MENTORS_CSV, "m.csv"),
        (DUOS, xlsx(DUOS_ROWS), "d.xlsx"),
        (OUTCOMES, OUTCOMES_CSV, "o.csv"),
    ):
        url = preview_url(upload(client, kind, body, name))
        html = client.get(url).get_data(as_text=True)
        assert "Everything in this file is already on the platform" in html, html[-3000:]
    assert snapshot(db, in_tenant) == after
    assert after["duos"] == before["duos"] + 4 and after["outcomes"] == before["outcomes"] + 3

    # The reporting rollups count the imported duos and outcomes, in their months.
    refresh_now(brussels.id)

    def cell(measure: str, month: str, dimension: str = ALL, category: str = ALL) -> int:
        year, number = map(int, month.split("-"))
        return (
            db.session.execute(
                select(func.sum(RollupCell.count)).where(
                    RollupCell.tenant_id == brussels.id,
                    RollupCell.measure == measure,
                    RollupCell.dimension == dimension,
                    RollupCell.category == category,
                    RollupCell.month == date(year, number, 1),
                )
            ).scalar()
            or 0
        )

    assert cell("duos.started", f"{BASE}-04") >= 1
    assert cell("duos.completed", f"{BASE}-10") >= 1
    assert cell("duos.stopped", f"{BASE + 1}-01", "reason", "during_accompaniment") >= 1
    assert cell("duos.active_end", f"{BASE + 1}-02") >= 1
    assert cell("funnel.trained", f"{BASE}-03") >= 1
    assert cell("outcomes.recorded", f"{BASE + 1}-01", "status", "job") >= 1
    # the outcome indicators count each followed mentee once, in the month their duo ended
    positive = db.session.execute(
        select(func.sum(RollupCell.count)).where(
            RollupCell.tenant_id == brussels.id,
            RollupCell.measure == "outcomes.positive",
            RollupCell.dimension == ALL,
        )
    ).scalar()
    assert (positive or 0) >= 1


# --------------------------------------------------------------------------- bad input


def test_a_row_with_an_error_blocks_the_whole_file(db, in_tenant, coordinator) -> None:
    client = coordinator("brussels", locale="en")
    before = snapshot(db, in_tenant)
    body = MENTORS_CSV + "Bad,Row,bad@example.org,2999-01-01,,,\n"
    url = preview_url(upload(client, MENTORS, body))
    html = client.get(url).get_data(as_text=True)
    assert "Lines to fix" in html and "Import 3 rows" not in html
    response = client.post(url, data={"csrf_token": token(client, url)})
    assert response.status_code == 400
    assert "nothing was imported" in response.get_data(as_text=True)
    assert snapshot(db, in_tenant) == before


def _mentor(client) -> None:
    import_file(client, MENTORS, MENTORS_CSV)


MENTOR_HEADER = "first_name,last_name,email,trained_on\n"
DUO_HEADER = "mentor_email,mentee_email,start,state,end,mentee_first_name,mentee_last_name\n"


@pytest.mark.parametrize(
    ("kind", "body", "column", "message"),
    [
        (MENTORS, MENTOR_HEADER + "A,B,a@x.org,2999-01-01\n",
         "trained_on", "This date is in the future"),
        (MENTORS, MENTOR_HEADER + "A,B,a@x.org,1850-01-01\n",
         "trained_on", "Enter a date between"),
        (MENTORS, MENTOR_HEADER + "A,B,a@x.org,15 March\n",
         "trained_on", "Write a date such as"),
        (MENTORS, MENTOR_HEADER + "A" * 300 + f",B,a@x.org,{BASE}-01-01\n",
         "first_name", "Keep it under"),
        (MENTORS, MENTOR_HEADER + f"=HYPERLINK(\"x\"),B,a@x.org,{BASE}-01-01\n",
         "first_name", "A formula is not accepted here"),
        (MENTORS, MENTOR_HEADER + f"A,B,a@x.org,{BASE}-01-01\n"
         f"C,D,A@x.org,{BASE}-01-01\n",
         "email", "Same e-mail address as line 2"),
        (DUOS, DUO_HEADER + f"jan@example.org,n@x.org,{BASE}-01-01,finished,{BASE}-06-01,N,M\n",
         "state", "Use one of: active, ended, evaluated, stopped"),
        (DUOS, DUO_HEADER + f"jan@example.org,n@x.org,{BASE}-06-01,ended,{BASE}-01-01,N,M\n",
         "end", "The end is before the start"),
        (DUOS, DUO_HEADER + f"jan@example.org,n@x.org,{BASE}-06-01,ended,,N,M\n",
         "end", "Give the day this duo ended or stopped"),
        (DUOS, DUO_HEADER + f"jan@example.org,n@x.org,{BASE}-06-01,active,{BASE}-09-01,N,M\n",
         "end", "A running (active) duo has no end date yet"),
        (DUOS, DUO_HEADER + f"nobody@example.org,n@x.org,{BASE}-06-01,active,,N,M\n",
         "mentor_email", "import the mentors file first"),
        (DUOS, DUO_HEADER + f"jan@example.org,n@x.org,{BASE}-06-01,active,,,\n",
         "mentee_email", "fill in mentee_first_name"),
        (DUOS, DUO_HEADER + f"jan@example.org,n@x.org,{BASE}-01-01,ended,{BASE}-06-01,N,M\n"
         f"jan@example.org,o@x.org,{BASE}-05-01,active,,O,P\n",
         "mentor_email", "overlaps the duo of line 2"),
        (DUOS, "mentor_email,mentee_email,start,state,end,coordinator_email,mentee_first_name,"
         f"mentee_last_name\njan@example.org,n@x.org,{BASE}-01-01,ended,{BASE}-06-01,x@x.org,N,M\n",
         "coordinator_email", "Nobody with this e-mail address coordinates this branch"),
        (OUTCOMES, f"mentee_email,duo_start,months_after,outcome\nn@x.org,{BASE}-01-01,5,job\n",
         "months_after", "Use one of the follow-up points"),
        (OUTCOMES, f"mentee_email,duo_start,months_after,outcome\nn@x.org,{BASE}-01-01,3,hired\n",
         "outcome", "Use one of: job"),
        (OUTCOMES, f"mentee_email,duo_start,months_after,outcome\nn@x.org,{BASE}-01-01,3,job\n",
         "mentee_email", "import the duos file first"),
    ],
)  # fmt: skip
def test_bad_rows_are_shown_at_their_column_and_change_nothing(
    db, in_tenant, coordinator, kind, body, column, message
) -> None:
    client = coordinator("brussels", locale="en")
    if kind == DUOS:
        _mentor(client)
    before = snapshot(db, in_tenant)
    url = preview_url(upload(client, kind, body))
    html = client.get(url).get_data(as_text=True)
    assert f"<code>{column}</code>" in html, html[-3000:]
    assert str(escape(message)) in html, html[-3000:]
    response = client.post(url, data={"csrf_token": token(client, url)})
    assert response.status_code == 400
    assert snapshot(db, in_tenant) == before


@pytest.mark.parametrize(
    ("body", "filename", "message"),
    [
        (f"first_name,last_name,email,trained_on\nA,B,a@x.org,{BASE}-01-01\x00\n".encode(), "m.csv",
         "This is not a CSV file"),
        (b"first_name,last_name,mail\nA,B,a@x.org\n", "m.csv", "trained_on is missing"),
        (b"role,first_name,last_name,email\nmentor,A,B,a@x.org\n", "m.csv", "is missing"),
        (b"PK\x03\x04 broken", "m.xlsx", "not a readable XLSX"),
        (b"", "m.csv", "The file is empty"),
    ],
)  # fmt: skip
def test_bad_files_are_400_with_the_message_and_change_nothing(
    db, in_tenant, coordinator, body, filename, message
) -> None:
    client = coordinator("brussels", locale="en")
    before = snapshot(db, in_tenant)
    response = upload(client, MENTORS, body, filename)
    assert response.status_code == 400
    assert str(escape(message)) in response.get_data(as_text=True)
    assert snapshot(db, in_tenant) == before


def test_messages_are_in_the_readers_language(app, db, coordinator) -> None:
    from flask_babel import force_locale, gettext

    client = coordinator("brussels")  # French, the branch's first language
    body = "first_name,last_name,email,trained_on\nA,B,a@x.org,2999-01-01\n"
    url = preview_url(upload(client, MENTORS, body))
    for locale in ("fr", "nl"):
        client.post("/language", data={"locale": locale})
        with app.test_request_context(), force_locale(locale):
            expected = gettext("This date is in the future: only the past is imported.")
        html = client.get(url).get_data(as_text=True)
        assert f'lang="{locale}"' in html and str(escape(expected)) in html


def test_a_duo_changed_since_it_was_imported_is_an_error(db, in_tenant, coordinator) -> None:
    client = coordinator("brussels", locale="en")
    _mentor(client)
    first = DUO_HEADER + f"jan@example.org,n@x.org,{BASE}-01-01,active,,N,M\n"
    import_file(client, DUOS, first)
    changed = DUO_HEADER + f"jan@example.org,n@x.org,{BASE}-01-01,ended,{BASE}-06-01,N,M\n"
    url = preview_url(upload(client, DUOS, changed))
    html = client.get(url).get_data(as_text=True)
    assert "already on the platform as" in html


# --------------------------------------------------------------------------- access


def test_another_branch_and_hq_get_404(db, in_tenant, coordinator, hq_client) -> None:
    owner = coordinator("brussels", locale="en")
    url = preview_url(upload(owner, MENTORS, MENTORS_CSV))
    other = coordinator("antwerp", locale="en")
    for path in ("/brussels/move-in/", "/brussels/move-in/mentors/template.csv", url):
        assert other.get(path).status_code == 404
        assert hq_client.get(path).status_code == 404
    assert upload(other, MENTORS, MENTORS_CSV).status_code == 404
    # The batch's id under the other branch's own address is not theirs either.
    assert other.get(url.replace("/brussels/", "/antwerp/")).status_code == 404
    # Another coordinator of the same branch cannot open the uploader's preview.
    colleague = coordinator("brussels", locale="en")
    assert colleague.get(url).status_code == 404
    # A candidates preview is not a move-in preview, and the other way round.
    assert owner.get(url.replace("/move-in/mentors/", "/people/import/")).status_code == 404
    assert owner.get(url.replace("/mentors/", "/duos/")).status_code == 404
    with in_tenant("brussels"):
        assert db.session.execute(select(func.count()).select_from(ImportBatch)).scalar() >= 1


def test_xlsx_formulas_and_control_characters_are_refused(db, in_tenant, coordinator) -> None:
    client = coordinator("brussels", locale="en")
    before = snapshot(db, in_tenant)
    rows = [
        ["first_name", "last_name", "email", "trained_on"],
        ['=CONCAT("J","an")', "Peeters", "jan@example.org", f"{BASE}-03-15"],
    ]
    url = preview_url(upload(client, MENTORS, xlsx(rows), "m.xlsx"))
    html = client.get(url).get_data(as_text=True)
    assert "A formula is not accepted here" in html
    assert client.post(url, data={"csrf_token": token(client, url)}).status_code == 400
    body = f"first_name,last_name,email,trained_on\nEls,Jans\x01sens,els@example.org,{BASE}-03-15\n"
    url = preview_url(upload(client, MENTORS, body))
    html = client.get(url).get_data(as_text=True)
    assert "Remove the invisible control characters" in html
    assert client.post(url, data={"csrf_token": token(client, url)}).status_code == 400
    assert snapshot(db, in_tenant) == before


def test_the_candidates_import_refuses_formulas_too(db, in_tenant, coordinator) -> None:
    client = coordinator("brussels", locale="en")
    body = "role,first_name,last_name,email,phone\nmentee,@SUM(A1),B,a@x.org,+32 470 12 34 56\n"
    response = client.post(
        "/brussels/people/import",
        data={"file": (io.BytesIO(body.encode()), "p.csv")},
        content_type="multipart/form-data",
    )
    html = client.get(preview_url(response)).get_data(as_text=True)
    assert "A formula is not accepted here" in html and "<code>first_name</code>" in html
    assert "<code>phone</code>" not in html  # a phone number is not a formula


def test_is_formula() -> None:
    for text in ("=1+1", "@SUM(A1)", '+HYPERLINK("x")', "-2+3*cmd", "\tx"):
        assert spreadsheet.is_formula(text), text
    for text in ("+32 470 12 34 56", "-3", "Jan", f"{BASE}-03-15", "", "a=b"):
        assert not spreadsheet.is_formula(text), text


def test_people_already_on_the_platform_are_moved_on_not_created_again(
    db, tenants, in_tenant, coordinator, create_person
) -> None:
    client = coordinator("brussels", locale="en")
    jan = create_person("brussels", role="mentor", email="Jan@Example.org", state="registered")
    amina = create_person(
        "brussels", role="mentee", email="amina@example.org", state="attended_info_session"
    )
    with in_tenant("brussels"):
        jan_id, amina_id = jan.id, amina.id
    import_file(client, MENTORS, MENTORS_CSV)
    rows = [DUOS_ROWS[0], DUOS_ROWS[1]]
    import_file(client, DUOS, csv_of(rows))
    with in_tenant("brussels"):
        people = {
            p.email.lower(): p
            for p in db.session.execute(
                select(Person).where(Person.email.ilike("%example.org"))
            ).scalars()
        }
        assert people["jan@example.org"].id == jan_id
        assert people["amina@example.org"].id == amina_id
        assert people["jan@example.org"].state == pstates.TRAINED
        assert people["amina@example.org"].state == pstates.ALUMNI
        assert people["amina@example.org"].first_name == "Amina"  # kept as on the platform
        count = db.session.execute(
            select(func.count()).select_from(Person).where(Person.email.ilike("amina@%"))
        ).scalar()
        assert count == 1
