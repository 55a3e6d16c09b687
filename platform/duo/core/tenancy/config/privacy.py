"""Schema of the ``[privacy]`` section: consent purposes with their text versions, and the
retention periods (read by :mod:`duo.privacy`).

Each purpose is what a person may consent to (``privacy_notice`` at sign-up,
``sensitive_facts`` at the intake): a ``version`` recorded with every grant and withdrawal
(change it whenever the wording changes), a ``title`` and the ``text`` the person reads, in
every locale of the branch (the loader checks), and ``required``: a required purpose is
what taking part rests on, so withdrawing it ends taking part. A branch overrides a purpose
by its ``key``. ``retention_years``: people with no activity for that long are
pseudonymised; ``mail_body_days``: the bodies of mails older than that are deleted;
``erasure_after_withdrawal_days``: after the privacy consent is withdrawn, the person's
data is erased that many days later (time to correct a mistake).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from marshmallow import ValidationError, validates_schema

from duo.core.tenancy.config import validators as check
from duo.core.tenancy.config.fields import Boolean, Integer, List, Nested, Text, Translations
from duo.core.tenancy.config.steps import _unique_keys
from duo.core.tenancy.config.strict import StrictSchema

#: The purposes the platform's code asks for: every branch must define them.
KNOWN_PURPOSES = ("privacy_notice", "sensitive_facts")


class PurposeSchema(StrictSchema):
    key = Text(required=True, validate=check.identifier)
    version = Text(required=True, validate=check.identifier)
    required = Boolean()
    title = Translations(required=True)
    text = Translations(required=True)

    @validates_schema
    def _check_identity(self, data: dict, *, partial: Any = None, **kwargs: Any) -> None:
        if partial and "key" not in data:
            raise ValidationError({"key": [check.missing()]})


class PrivacySchema(StrictSchema):
    retention_years = Integer(required=True, validate=check.at_least(1))
    mail_body_days = Integer(required=True, validate=check.at_least(1))
    erasure_after_withdrawal_days = Integer(required=True, validate=check.at_least(0))
    purposes = List(Nested(PurposeSchema), required=True, non_empty=True)

    @validates_schema
    def _check_purposes(self, data: dict, *, partial: Any = None, **kwargs: Any) -> None:
        errors = _unique_keys(data.get("purposes"), "purposes")
        if not partial and "purposes" in data:
            keys = {item.get("key") for item in data["purposes"]}
            missing = [key for key in KNOWN_PURPOSES if key not in keys]
            if missing:
                errors["purposes"] = [
                    gettext("missing the purpose %(value)s", value=check.listed(missing))
                ]
        if errors:
            raise ValidationError(errors)


def translation_places(merged: dict) -> list[tuple[tuple, Any]]:
    """(path, translations) of every purpose's title and text."""
    places: list[tuple[tuple, Any]] = []
    for index, item in enumerate(merged.get("privacy", {}).get("purposes", [])):
        for name in ("title", "text"):
            places.append((("privacy", "purposes", index, name), item.get(name)))
    return places
