"""Issue 10 item 6: hypothesis drives every form of the pages a candidate or coordinator uses.

Each page below is opened, its POST forms are read from the HTML (action and field names),
and hypothesis posts arbitrary values to every form: NUL and other control characters,
huge strings, far dates, numbers that overflow, markup. The answer may be a redirect, a
page with messages (400) or a 404/413, never a 5xx (the test app re-raises any error, so
a crash fails here with its traceback). Runs on SQLite and, with ``DATABASE_URL``, on
PostgreSQL. Bounded: a few examples per form, no deadline.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duo.core.tenancy.context import tenant_scope
from support import PoolFactory, fuzz_settings, make_cycle, make_session

#: Examples per form; every form of every page below gets this many posts.
EXAMPLES = 8

#: Actions not fuzzed: they end the visitor's own session (then every later post is a
#: redirect to the login page, which tests nothing).
SKIPPED_ACTIONS = ("/logout", "/account/sessions", "/language")

NASTY = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "Ami\x00na",
            "\x1b[31m",
            "\u202e",
            "9999-12-31",
            "0001-01-01",
            "1900-02-30",
            "99999-01-01",
            "-1",
            "0",
            "1e309",
            "NaN",
            "99999999999999999999999",
            "25:61",
            "<script>alert(1)</script>",
            '=HYPERLINK("http://x")',
            "'; DROP TABLE people; --",
        ]
    ),
    st.builds(
        lambda c, n: c * n,
        st.sampled_from(["x", "é", "\x00", " "]),
        st.sampled_from([201, 5001, 70_000]),
    ),
)


class _Forms(HTMLParser):
    """The POST forms of a page: ``[(action, {field name: value as the page fills it})]``."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current: tuple[str, dict[str, str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self._current = (values.get("action") or "", {})
            return
        if self._current is None:
            return
        fields = self._current[1]
        name = values.get("name")
        if tag == "option" and self._select:
            if self._select not in fields or "selected" in values:
                fields[self._select] = values.get("value") or ""
            return
        if not name or name == "csrf_token":
            return
        if tag == "select":
            self._select = name
        kind = (values.get("type") or "").lower()
        if kind in ("checkbox", "radio"):
            if "checked" in values or name not in fields:
                fields[name] = values.get("value") or "y"
        elif tag != "select":
            fields.setdefault(name, values.get("value") or "")

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None
        if tag == "form" and self._current is not None:
            self.forms.append(self._current)
            self._current = None


def forms_of(html: str, page: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return [
        (action or page, fields)
        for action, fields in parser.forms
        if not any(skip in (action or page) for skip in SKIPPED_ACTIONS)
    ]


def _fuzz_form(client, action: str, filled: dict[str, str]) -> None:
    """Post the form as the page fills it, with arbitrary values in some of its fields."""
    names = sorted(filled) or ["x"]

    @given(data=st.dictionaries(st.sampled_from(names), NASTY, min_size=1, max_size=4))
    @fuzz_settings(EXAMPLES)
    def post(data: dict[str, str]) -> None:
        answer = client.post(action, data={**filled, **data})
        assert answer.status_code < 500, (action, data, answer.status_code)

    post()


def fuzz_page(client, page: str) -> int:
    """Post arbitrary values to every form of ``page``; returns how many forms there were."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    forms = forms_of(response.get_data(as_text=True), page)
    for action, filled in forms:
        _fuzz_form(client, action, filled)
    return len(forms)


def test_the_public_sign_up_form(app, db, tenants) -> None:
    make_session(tenants["brussels"], language="en")
    db.session.commit()
    client = app.test_client()
    assert fuzz_page(client, "/brussels/join?audience=mentee") >= 1
    assert fuzz_page(client, "/brussels/join?audience=mentor") >= 1


def test_the_information_session_forms(db, tenants, login) -> None:
    client = login(branches=["brussels"], locale="en")
    info_id = make_session(tenants["brussels"], language="en").id
    db.session.commit()
    assert fuzz_page(client, "/brussels/sessions/new") >= 1
    fuzz_page(client, f"/brussels/sessions/{info_id}")


def test_the_intake_and_person_forms(db, tenants, login, create_person) -> None:
    client = login(branches=["brussels"], locale="en")
    ids = [create_person("brussels", role=role).id for role in ("mentee", "mentor")]
    db.session.commit()
    for person_id in ids:
        assert fuzz_page(client, f"/brussels/people/{person_id}/intake") >= 1
        fuzz_page(client, f"/brussels/people/{person_id}")
    fuzz_page(client, "/brussels/people/import")


def test_the_training_cycle_forms(db, tenants, login) -> None:
    client = login(branches=["rotterdam"], locale="en")
    cycle_id = make_cycle(tenants["rotterdam"]).id
    db.session.commit()
    assert fuzz_page(client, "/rotterdam/training/cycles/new") >= 1
    fuzz_page(client, f"/rotterdam/training/cycles/{cycle_id}")


def test_the_duo_forms(db, tenants, login) -> None:
    from duo.duos import lifecycle

    pool = PoolFactory(db, tenants)
    mentee = pool.mentee("rotterdam", "Amina", languages={"nl": "native"})
    mentor = pool.mentor("rotterdam", "Jan", languages={"nl": "native"})
    with tenant_scope(tenants["rotterdam"].id):
        duo = lifecycle.propose(mentee, mentor)
        duo_id = duo.id
    db.session.commit()
    client = login(branches=["rotterdam"], locale="en")
    assert fuzz_page(client, f"/rotterdam/duos/{duo_id}") >= 1


def test_the_matching_and_account_forms(db, tenants, login) -> None:
    client = login(branches=["ghent"], locale="en")
    fuzz_page(client, "/ghent/matching/")
    fuzz_page(client, "/account")


@pytest.mark.parametrize("page", ["/login", "/password/forgot"])
def test_the_login_pages(client, page) -> None:
    fuzz_page(client, page)
