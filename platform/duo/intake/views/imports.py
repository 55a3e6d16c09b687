"""Importing candidates from a spreadsheet: upload, preview, confirm, and the template.

The work is :mod:`duo.people.spreadsheet` (reading the file) and :mod:`duo.people.importing`
(staging, review, confirmation); these pages only show it.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from duo.core import audit
from duo.core.auth.access import coordinator_required
from duo.intake.forms import EmptyForm, ImportUploadForm
from duo.intake.views.blueprint import bp
from duo.people import importing, spreadsheet


@bp.route("/import", methods=["GET", "POST"])
@coordinator_required
def import_upload():
    form = ImportUploadForm()
    if request.method == "GET":
        return render_template("people/import_upload.html", form=form)
    if not form.validate_on_submit():
        return render_template("people/import_upload.html", form=form), 400
    upload = form.file.data
    data = upload.stream.read(spreadsheet.MAX_BYTES + 1)
    try:
        parsed = spreadsheet.parse_upload(upload.filename or "", data)
    except spreadsheet.ImportFileError as exc:
        form.file.errors = [*form.file.errors, str(exc)]
        return render_template("people/import_upload.html", form=form), 400
    batch = importing.stage(parsed, upload.filename or "", by=current_user)
    return redirect(url_for("people.import_preview", batch_id=batch.id))


def _batch_or_404(batch_id: uuid.UUID) -> Any:
    batch = importing.find_batch(batch_id, by=current_user)
    if batch is None:
        abort(404)
    return batch


def _preview(batch: Any, status: int = 200):
    review = importing.review(batch.rows, list(g.tenant.locales))
    return (
        render_template(
            "people/import_preview.html",
            batch=batch,
            review=review,
            form=EmptyForm(),
            shown_new=review.new[:200],
            columns=batch.columns,
        ),
        status,
    )


@bp.route("/import/<uuid:batch_id>", methods=["GET"])
@coordinator_required
def import_preview(batch_id: uuid.UUID):
    batch = _batch_or_404(batch_id)
    return _preview(batch)


@bp.route("/import/<uuid:batch_id>", methods=["POST"])
@coordinator_required
def import_confirm(batch_id: uuid.UUID):
    batch = _batch_or_404(batch_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if batch.status != "pending":
        flash(_("This file was already imported."), "info")
        return redirect(url_for("people.index"))
    try:
        result = importing.confirm(batch, list(g.tenant.locales), by=current_user)
    except importing.ImportRejected as exc:
        flash(str(exc), "error")
        return _preview(batch, status=400)
    audit.record(
        audit.IMPORT,
        "people",
        actor=current_user,
        details={"created": len(result.new), "known": len(result.known)},
    )
    imported = ngettext(
        "%(num)d candidate imported", "%(num)d candidates imported", len(result.new)
    )
    skipped = ngettext(
        "%(num)d already known and skipped",
        "%(num)d already known and skipped",
        len(result.known),
    )
    flash(_("%(imported)s; %(skipped)s.", imported=imported, skipped=skipped), "success")
    return redirect(url_for("people.index", sort="newest"))


@bp.route("/import/template.csv")
@coordinator_required
def import_template():
    body = importing.template_csv(g.tenant.default_locale)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="duo-candidates-template.csv"'},
    )
