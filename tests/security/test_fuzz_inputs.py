"""Issue 10 item 6: hypothesis drives the config loader, the spreadsheet import and the
eligibility engine with arbitrary input (NUL bytes, huge strings, far dates, wrong types).

Each must answer with its own clear error (``ConfigError`` naming the file and field,
``ImportFileError`` or a line to fix in the preview, an eligibility outcome with reasons),
and never with another exception or a 5xx.
"""

from __future__ import annotations

import io
import json
import math
import shutil
import string
from datetime import date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from duo.core.settings import REPO_ROOT
from duo.core.tenancy.config import load_tenants
from duo.core.tenancy.config.problems import ConfigError
from duo.eligibility.engine import Evaluation, evaluate
from duo.people import schemas as import_columns
from duo.people import spreadsheet

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)

ODD_TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "\x00", "a\x00b", "9999-12-31", "-1", "1e309", "=1+1", "@SUM(A1)"]),
    st.builds(
        lambda c, n: c * n, st.sampled_from(["x", "\x00", "é"]), st.sampled_from([300, 5000])
    ),
)
FAR_DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    ODD_TEXT,
    FAR_DATES,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ODD_TEXT, inner, max_size=4),
    max_leaves=12,
)

# --------------------------------------------------------------------------- the config loader

BRANCH_KEYS = [
    "slug",
    "country",
    "name",
    "locales",
    "timezone",
    "contact_email",
    "programme",
    "eligibility",
    "training",
    "matching",
    "closed_days",
    "working_languages",
]
TOML_VALUES = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.floats(allow_nan=False),
        st.text(max_size=30),
        FAR_DATES,
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.text(string.ascii_lowercase, min_size=1, max_size=8), inner, max_size=3
        )
    ),
    max_leaves=10,
)


def toml(value: object) -> str:
    """A value in TOML's inline syntax (enough for what the strategies draw)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def toml_document(data: dict) -> str:
    return "".join(f"{json.dumps(k)} = {toml(v)}\n" for k, v in data.items())


def _folder(tmp: Path) -> Path:
    root = tmp / "tenants"
    if not root.exists():
        shutil.copytree(REPO_ROOT / "tenants" / "countries", root / "countries")
    for old in root.glob("*.toml"):
        old.unlink()
    return root


def _loads_or_explains(root: Path) -> None:
    try:
        load_tenants(root)
    except ConfigError as exc:
        assert "new.toml" in str(exc)


def test_the_config_loader_explains_any_branch_file(tmp_path) -> None:
    base = (REPO_ROOT / "tenants" / "brussels.toml").read_text(encoding="utf-8")

    @given(
        changes=st.dictionaries(st.sampled_from(BRANCH_KEYS), TOML_VALUES, min_size=1, max_size=3)
    )
    @BOUNDED
    def some_values(changes) -> None:
        import tomllib

        data = tomllib.loads(base)
        data.update(changes)
        root = _folder(tmp_path)
        (root / "new.toml").write_text(toml_document(data), encoding="utf-8")
        _loads_or_explains(root)

    @given(raw=st.binary(max_size=300) | ODD_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
    @BOUNDED
    def any_bytes(raw: bytes) -> None:
        root = _folder(tmp_path)
        (root / "new.toml").write_bytes(raw)
        _loads_or_explains(root)

    some_values()
    any_bytes()


# --------------------------------------------------------------------------- the import

COLUMNS = list(import_columns.COLUMNS)  # every column the import reads
ROWS = st.lists(st.lists(ODD_TEXT, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=4)


def _csv(rows: list[list[str]]) -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(c.replace(",", ";") for c in row) for row in rows]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_parsing_any_file_gives_rows_or_a_clear_error() -> None:
    @given(body=st.binary(max_size=400), name=st.sampled_from(["a.csv", "a.xlsx", "a", "a.txt"]))
    @BOUNDED
    def any_bytes(body: bytes, name: str) -> None:
        try:
            spreadsheet.parse_upload(name, body)
        except spreadsheet.ImportFileError as exc:
            assert str(exc)

    any_bytes()


def test_uploading_odd_rows_never_crashes(db, login) -> None:
    client = login(branches=["brussels"], locale="en")
    cells = st.one_of(
        st.none(),
        st.integers(-(2**40), 2**40),
        st.floats(allow_nan=False),
        FAR_DATES,
        st.text(string.ascii_letters + string.digits + string.punctuation + " é", max_size=40),
    )

    def post(body: bytes, filename: str) -> None:
        response = client.post(
            "/brussels/people/import",
            data={"file": (io.BytesIO(body), filename)},
            content_type="multipart/form-data",
        )
        assert response.status_code in (302, 400, 413), response.status_code
        if response.status_code == 302:  # the preview, then the confirmation
            preview = response.headers["Location"]
            assert client.get(preview).status_code == 200
            assert client.post(preview).status_code in (302, 400)

    @given(rows=ROWS)
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def csv_rows(rows) -> None:
        post(_csv(rows), "people.csv")

    @given(rows=st.lists(st.lists(cells, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=3))
    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def xlsx_rows(rows) -> None:
        post(_xlsx(rows), "people.xlsx")

    csv_rows()
    xlsx_rows()


# --------------------------------------------------------------------------- the engine

FACT_NAMES = [
    "birth_date",
    "birth_year",
    "languages",
    "years_experience",
    "volunteer",
    "available_six_months",
    "seeking_job_study_or_internship",
    "registered_jobseeker",
    "other_barriers",
    "migration_background",
    "allowed_to_work",
]


def _all_rules() -> list[list[dict]]:
    configs = load_tenants(REPO_ROOT / "tenants")
    found = []
    for config in configs.values():
        for rules in config.as_dict()["eligibility"].values():
            found.append(rules)
    return found


def test_the_engine_decides_on_any_facts() -> None:
    rule_sets = _all_rules()
    facts = st.dictionaries(st.sampled_from(FACT_NAMES), VALUES, max_size=len(FACT_NAMES))

    @given(rules=st.sampled_from(rule_sets), facts=facts, today=FAR_DATES)
    @BOUNDED
    def decide(rules, facts, today) -> None:
        result = evaluate(rules, facts, today)
        assert isinstance(result, Evaluation)
        assert len(result.results) == len(rules)
        json.dumps(result.as_dict())  # stored as JSON with the decision

    decide()
