"""The move-in's forms: a file to upload (one per kind on the page) and the confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from duo.core.validation import Form


class UploadForm(Form):
    file = FileField(
        _l("Spreadsheet (CSV or XLSX)"),
        validators=[FileRequired(message=_l("Choose a file to upload."))],
    )


class ConfirmForm(Form):
    """The confirmation button: only its CSRF token."""
