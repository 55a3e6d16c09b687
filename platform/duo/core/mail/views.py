"""The branch's outbox of e-mails: a coordinator-only page.

In the embedded demo (no ``MAIL_SERVER``) this is where mails "arrive" (DESIGN: "written
to the outbox and shown to staff in a dev page"); with SMTP it is the log of what was
sent, so a coordinator can check that a candidate was written to.
"""

from __future__ import annotations

import base64
import uuid

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from duo.core.auth.access import coordinator_required
from duo.core.dashboard import navigation
from duo.core.db import db
from duo.core.mail import jobs as mail_jobs
from duo.core.mail.models import OutgoingMail

bp = Blueprint("mail", __name__, url_prefix="/<tenant>/outbox", template_folder="templates")

navigation.register("mail.outbox", _l("Outbox"), 90)

PAGE_SIZE = 50


@bp.route("")
@coordinator_required
def outbox():  # noqa: ANN201
    try:
        # Bounded: a huge page number would overflow the database's OFFSET (a 500).
        page = max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        page = 1
    total = db.session.execute(select(func.count()).select_from(OutgoingMail)).scalar_one()
    mails = (
        db.session.execute(
            select(OutgoingMail)
            .order_by(OutgoingMail.created_at.desc(), OutgoingMail.id)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
        .scalars()
        .all()
    )
    return render_template(
        "mail/outbox.html",
        mails=mails,
        page=page,
        has_next=page * PAGE_SIZE < total,
        total=total,
        smtp=bool(current_app.config.get("MAIL_SERVER")),
    )


def _mail_or_404(mail_id: uuid.UUID) -> OutgoingMail:
    mail = db.session.execute(
        select(OutgoingMail).where(OutgoingMail.id == mail_id)
    ).scalar_one_or_none()
    if mail is None:
        abort(404)
    return mail


@bp.route("/<uuid:mail_id>")
@coordinator_required
def message(mail_id: uuid.UUID):  # noqa: ANN201
    return render_template("mail/message.html", mail=_mail_or_404(mail_id))


@bp.route("/<uuid:mail_id>/attachments/<int:index>")
@coordinator_required
def attachment(mail_id: uuid.UUID, index: int) -> Response:
    mail = _mail_or_404(mail_id)
    if index >= len(mail.attachments or []):
        abort(404)
    item = mail.attachments[index]
    return Response(
        base64.b64decode(item["data"]),
        mimetype=item["content_type"].split(";")[0],
        headers={"Content-Disposition": f'attachment; filename="{item["filename"]}"'},
    )


@bp.route("/<uuid:mail_id>/retry", methods=["POST"])
@coordinator_required
def retry(mail_id: uuid.UUID):  # noqa: ANN201
    """A mail whose every attempt failed: send it again (the outbox page's button)."""
    mail = _mail_or_404(mail_id)
    if mail_jobs.retry(mail):
        flash(_("The e-mail will be sent again."), "success")
    else:
        flash(_("This e-mail is not waiting for a retry."), "error")
    return redirect(url_for("mail.outbox"))
