"""The move-in pages: the three files in their order with their templates, the upload, the
preview with every row's errors, and the confirmation. Coordinators of the branch only.

The work is :mod:`duo.people.spreadsheet` (reading), :mod:`duo.people.importing` (staging)
and :mod:`duo.moving_in.importer` (review and writing); these pages only show it.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from duo.core.auth.access import coordinator_required
from duo.core.exporting import FORMATS as MIMETYPES
from duo.moving_in import importer
from duo.moving_in.forms import ConfirmForm, UploadForm
from duo.moving_in.kinds import FORMATS, KINDS, Kind, template
from duo.moving_in.review import review as review_file
from duo.people import importing, spreadsheet

bp = Blueprint("moving_in", __name__, url_prefix="/<tenant>/move-in", template_folder="templates")


def _kind_or_404(kind: str) -> Kind:
    if kind not in KINDS:
        abort(404)
    return KINDS[kind]


def _index(forms: dict[str, UploadForm], status: int = 200):
    return render_template("moving_in/index.html", kinds=KINDS, forms=forms), status


def _forms() -> dict[str, UploadForm]:
    return {key: UploadForm(prefix=key, formdata=None) for key in KINDS}


@bp.route("/", methods=["GET"])
@coordinator_required
def index():
    return _index(_forms())


@bp.route("/<kind>", methods=["POST"])
@coordinator_required
def upload(kind: str):
    spec = _kind_or_404(kind)
    forms = _forms()
    form = forms[kind] = UploadForm(prefix=kind)
    if not form.validate_on_submit():
        return _index(forms, 400)
    data = form.file.data.stream.read(spreadsheet.MAX_BYTES + 1)
    filename = form.file.data.filename or ""
    try:
        parsed = spreadsheet.parse_upload(
            filename, data, columns=spec.columns, required=spec.required, aliases=spec.aliases
        )
    except spreadsheet.ImportFileError as exc:
        form.file.errors = [*form.file.errors, str(exc)]
        return _index(forms, 400)
    batch = importing.stage(parsed, filename, by=current_user, kind=kind)
    return redirect(url_for("moving_in.preview", kind=kind, batch_id=batch.id))


@bp.route("/<kind>/template.<fmt>")
@coordinator_required
def template_file(kind: str, fmt: str):
    spec = _kind_or_404(kind)
    if fmt not in FORMATS:
        abort(404)
    return Response(
        template(spec, fmt, g.tenant.default_locale),
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="duo-{kind}-template.{fmt}"'},
    )


def _batch_or_404(kind: str, batch_id: uuid.UUID):
    _kind_or_404(kind)
    batch = importing.find_batch(batch_id, by=current_user, kind=kind)
    if batch is None:
        abort(404)
    return batch


def _preview(batch, status: int = 200):
    review = review_file(batch.kind, batch.rows, g.tenant, list(g.tenant.locales))
    return (
        render_template(
            "moving_in/preview.html",
            batch=batch,
            kind=KINDS[batch.kind],
            review=review,
            form=ConfirmForm(),
            shown_new=review.new[:200],
        ),
        status,
    )


@bp.route("/<kind>/<uuid:batch_id>", methods=["GET"])
@coordinator_required
def preview(kind: str, batch_id: uuid.UUID):
    return _preview(_batch_or_404(kind, batch_id))


@bp.route("/<kind>/<uuid:batch_id>", methods=["POST"])
@coordinator_required
def confirm(kind: str, batch_id: uuid.UUID):
    batch = _batch_or_404(kind, batch_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if batch.status != "pending":
        flash(_("This file was already imported."), "info")
        return redirect(url_for("moving_in.index"))
    try:
        result = importer.confirm(batch, g.tenant, list(g.tenant.locales), by=current_user)
    except importing.ImportRejected as exc:
        flash(str(exc), "error")
        return _preview(batch, status=400)
    imported = ngettext("%(num)d row imported", "%(num)d rows imported", len(result.new))
    skipped = ngettext(
        "%(num)d already known and skipped",
        "%(num)d already known and skipped",
        len(result.known),
    )
    flash(_("%(imported)s; %(skipped)s.", imported=imported, skipped=skipped), "success")
    return redirect(url_for("moving_in.index"))
