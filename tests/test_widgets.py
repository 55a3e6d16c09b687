"""QuickSelect writes the HTML WTForms' Select writes (issue 12: the same page, faster)."""

from __future__ import annotations

from wtforms import Form, SelectField, SelectMultipleField
from wtforms.widgets import Select

from duo.core.validation import Form as PageForm
from duo.core.widgets import QuickSelect

CHOICES = [
    ("", "Choose a person"),
    ('a"b<c>', "Ana & <Bo>"),
    (True, "yes"),
    ("x", ""),  # no label: the value is shown, as WTForms does
    ("plain", "Plain", {"data-extra": "1"}),  # extra attributes: WTForms' own writer
]


def test_quick_select_writes_what_wtforms_writes() -> None:
    class One(Form):
        field = SelectField()

    class Many(Form):
        field = SelectMultipleField()

    for form, choices, widget in (
        (One(data={"field": "x"}), CHOICES, Select()),
        (One(data={"field": 'a"b<c>'}), CHOICES, Select()),
        (Many(data={"field": ["", "x"]}), CHOICES[:4], Select(multiple=True)),
    ):
        form.field.choices = choices  # as the pages set them
        quick = QuickSelect(multiple=widget.multiple)
        assert quick(form.field, class_="wide") == widget(form.field, class_="wide")
        assert quick(form.field) == widget(form.field)


def test_page_forms_use_quick_select(app) -> None:
    class Chooser(PageForm):
        person = SelectField()

    with app.test_request_context():
        form = Chooser(meta={"csrf": False})
        form.person.choices = [("1", "One")]
        assert isinstance(form.person.widget, QuickSelect)
        assert form.person() == Select()(form.person)
