"""One validation layer: every form and schema of the code goes through duo.core.validation."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, timedelta

import marshmallow
import wtforms
from flask_wtf import FlaskForm

import duo
from duo.core import validation
from duo.core.db import utcnow


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def _import_everything() -> None:
    for module in pkgutil.walk_packages(duo.__path__, "duo."):
        # duo.wsgi builds the production app (it refuses to start without DUO_PUBLIC_URL)
        if not module.name.startswith("duo.consumers.bench") and module.name != "duo.wsgi":
            importlib.import_module(module.name)


def test_every_form_and_schema_uses_the_validation_layer(app) -> None:
    _import_everything()
    ours = lambda cls: cls.__module__.startswith("duo.") and cls.__module__ != validation.__name__  # noqa: E731
    forms = [c for c in _all_subclasses(wtforms.Form) if ours(c)]
    schemas = [c for c in _all_subclasses(marshmallow.Schema) if ours(c)]
    assert len(forms) > 20 and len(schemas) > 5
    bad = [
        f"{c.__module__}.{c.__name__}"
        for c in forms
        if issubclass(c, FlaskForm) and not issubclass(c, validation.Form)
    ]
    bad += [
        f"{c.__module__}.{c.__name__}"
        for c in forms
        if not issubclass(c, FlaskForm) and not issubclass(c, validation.SubForm)
    ]
    bad += [f"{c.__module__}.{c.__name__}" for c in schemas if not issubclass(c, validation.Schema)]
    assert bad == [], f"forms or schemas outside duo.core.validation: {bad}"


def test_text_rules(app) -> None:
    with app.test_request_context():
        assert validation.text_error("Amina Benali") is None
        assert validation.text_error("a\x00b") is not None
        assert validation.text_error("two\nlines") is not None
        assert validation.text_error("two\r\nlines", multiline=True) is None
        assert validation.text_error("tab\tinside") is None
        assert validation.text_error("\x1b[31m", multiline=True) is not None
        assert validation.text_error("x" * 301) is not None
        assert validation.text_error("x" * 40, max_length=40) is None
        assert validation.text_error("x" * 41, max_length=40) is not None


def test_date_rules(app) -> None:
    today = utcnow().date()
    with app.test_request_context():
        assert validation.date_error(today) is None
        assert validation.date_error(today + timedelta(days=365 * 4)) is None
        assert validation.date_error(today + timedelta(days=365 * 5 + 2)) is not None
        assert validation.date_error(date(9999, 12, 31)) is not None
        assert validation.date_error(date(1899, 12, 31)) is not None


def test_a_schema_refuses_control_characters_and_far_dates(app) -> None:
    class Probe(validation.Schema):
        name = marshmallow.fields.String()
        day = marshmallow.fields.Date()

    with app.test_request_context():
        errors = Probe().validate({"name": "a\x00", "day": utcnow().date().isoformat()})
        assert list(errors) == ["name"]
        errors = Probe().validate({"name": "fine", "day": "9999-12-31"})
        assert list(errors) == ["day"]
        assert Probe().validate({"name": "fine", "day": utcnow().date().isoformat()}) == {}
