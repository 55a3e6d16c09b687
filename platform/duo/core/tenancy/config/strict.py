"""The schema every section of the tenant config files is built on.

The files are written by people: a key the schema does not know is a typo that would
otherwise change nothing, silently, so it is an error, and the messages are ours, in the
current locale.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from marshmallow import RAISE

from duo.core.validation import Schema


class StrictSchema(Schema):
    """Unknown keys are errors; schema-level messages are ours, in the current locale."""

    class Meta:
        unknown = RAISE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "unknown": gettext("unknown field"),
            "type": gettext("must be a table"),
        }
