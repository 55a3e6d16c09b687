"""A person's data and consent: the coordinator's page (ledger, withdrawal, copy, erasure,
sending the personal link) and the person's own page, reached through that link.

What withdrawing does is said on both pages, in the reader's language: withdrawing a purpose
that is not required (migration background and residence status) only forgets those facts;
withdrawing the privacy consent ends taking part — the person leaves the pipeline and an
open duo, no more mails go to them, other personal links stop working, and their data is
erased after the branch's ``erasure_after_withdrawal_days`` (see :mod:`duo.privacy.gdpr`).
Every copy, withdrawal and erasure made by a coordinator is an audit entry.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from duo.core import audit, links
from duo.core.auth.access import coordinator_required, personal_link
from duo.core.auth.models import User
from duo.core.db import db
from duo.core.i18n import reader_locale
from duo.core.mail import external_url, queue_mail, render_mail
from duo.intake.forms import ConsentWithdrawForm, EmptyForm, EraseForm
from duo.intake.interview import erase_sensitive_facts
from duo.intake.views.blueprint import bp, person_or_404
from duo.people.link_pages import Invalid, Opened, open_link, opens_link, render_for
from duo.people.models import Person
from duo.privacy import config, consent, gdpr
from duo.privacy.models import COORDINATOR, FORM, GRANT, IMPORT, LINK, SYSTEM

#: The person's own page: ``/<branch>/privacy/<token>`` (no account; the link is the key).
link_bp = Blueprint(
    "my_privacy", __name__, url_prefix="/<tenant>/privacy", template_folder="../templates"
)

#: How long the personal link to the privacy page works.
LINK_VALID = timedelta(days=90)

CHANNEL_LABELS = {
    FORM: _l("sign-up form"),
    LINK: _l("personal link"),
    COORDINATOR: _l("coordinator"),
    IMPORT: _l("spreadsheet import"),
    SYSTEM: _l("the platform"),
}


def _entries(person: Person, locale: str) -> list[dict[str, Any]]:
    """The ledger, oldest first, with the purpose's title and who recorded each row."""
    rows = consent.ledger(person)
    users = {
        u.id: u.name
        for u in db.session.execute(
            select(User).where(User.id.in_({r.by_user_id for r in rows if r.by_user_id}))
        ).scalars()
    }
    titles = {p.key: p.title_in(locale) for p in config.purposes(g.tenant)}
    return [
        {
            "row": r,
            "title": titles.get(r.kind, r.kind),
            "granted": r.action == GRANT,
            "channel": CHANNEL_LABELS.get(r.channel, r.channel),
            "by": users.get(r.by_user_id) if r.by_user_id else None,
        }
        for r in rows
    ]


def _purposes(person: Person, locale: str) -> list[dict[str, Any]]:
    """Each configured purpose with the grant that stands (or None)."""
    standing = consent.standing(person)
    return [
        {
            "purpose": p,
            "title": p.title_in(locale),
            "text": p.text_in(locale),
            "grant": standing.get(p.key),
        }
        for p in config.purposes(g.tenant)
    ]


# --------------------------------------------------------------------------- coordinator


def _page(person: Person, *, status: int = 200, **forms: Any):
    locale = str(get_locale() or g.tenant.default_locale)
    erasure = gdpr.erasure_of(person.id)
    return (
        render_template(
            "privacy/person.html",
            person=person,
            purposes=_purposes(person, locale),
            entries=_entries(person, locale),
            erasure=erasure,
            erased=erasure is not None and erasure.done_at is not None,
            withdraw_form=forms.get("withdraw_form") or ConsentWithdrawForm(formdata=None),
            erase_form=forms.get("erase_form") or EraseForm(formdata=None),
            button_form=EmptyForm(formdata=None),
            delay_days=config.setting(g.tenant, "erasure_after_withdrawal_days"),
        ),
        status,
    )


@bp.route("/<uuid:person_id>/privacy")
@coordinator_required
def privacy(person_id: uuid.UUID):
    return _page(person_or_404(person_id))


def _withdraw(person: Person, form: ConsentWithdrawForm, *, channel: str, by: Any) -> str | None:
    """Withdraw the form's purpose; an error message (nothing changed) or None."""
    purpose = config.purpose(g.tenant, form.purpose.data or "")
    if purpose is None:
        return _("Unknown purpose.")
    if consent.standing(person).get(purpose.key) is None:
        return _("This consent is not given: there is nothing to withdraw.")
    if purpose.required and not form.confirm.data:
        return _("Tick the box to confirm that you understand what withdrawing does.")
    result = gdpr.withdraw(person.id, purpose.key, channel=channel, by=by, locale=person.locale)
    if purpose.key == config.SENSITIVE_FACTS or purpose.required:
        erase_sensitive_facts(person)
    audit.record(
        "consent.withdraw",
        f"person:{person.id}",
        actor=by,
        details={"purposes": list(result.purposes), "channel": channel},
        person_id=person.id,
    )
    return None


@bp.route("/<uuid:person_id>/privacy/withdraw", methods=["POST"])
@coordinator_required
def privacy_withdraw(person_id: uuid.UUID):
    person = person_or_404(person_id)
    form = ConsentWithdrawForm()
    if not form.validate_on_submit():
        return _page(person, status=400, withdraw_form=form)
    error = _withdraw(person, form, channel=COORDINATOR, by=current_user)
    if error is not None:
        form.purpose.errors = [*form.purpose.errors, error]
        return _page(person, status=400, withdraw_form=form)
    flash(_("The consent is withdrawn."), "success")
    return redirect(url_for("people.privacy", person_id=person.id))


@bp.route("/<uuid:person_id>/privacy/export.json")
@coordinator_required
def privacy_export(person_id: uuid.UUID):
    """Everything held about the person, as JSON; the copy is an audit entry."""
    person = person_or_404(person_id)
    document = gdpr.export(person.id)
    audit.record(
        "export",
        f"person:{person.id}.json",
        actor=current_user,
        details={"sections": sorted(k for k, v in document.items() if isinstance(v, list | dict))},
        person_id=person.id,
    )
    name = f"{g.tenant.slug}-person-{person.id}.json"
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/<uuid:person_id>/privacy/erase", methods=["POST"])
@coordinator_required
def privacy_erase(person_id: uuid.UUID):
    person = person_or_404(person_id)
    form = EraseForm()
    if gdpr.is_erased(person.id):
        flash(_("This person's data is already erased."), "error")
        return _page(person, status=400)
    if not form.validate_on_submit():
        return _page(person, status=400, erase_form=form)
    gdpr.erase(person.id, by=current_user)
    audit.record(
        "erase", f"person:{person.id}", actor=current_user, details={}, person_id=person.id
    )
    flash(_("The person's personal data is erased; the figures still count them."), "success")
    return redirect(url_for("people.privacy", person_id=person.id))


@bp.route("/<uuid:person_id>/privacy/link", methods=["POST"])
@coordinator_required
def privacy_send_link(person_id: uuid.UUID):
    """E-mail the person a fresh link to their privacy page (older ones stop working)."""
    person = person_or_404(person_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if gdpr.mail_withheld(person.id):
        flash(_("No mail goes to this person any more: their consent was withdrawn."), "error")
        return _page(person, status=400)
    _link, token = links.issue(
        person.id,
        gdpr.LINK_OBJECT,
        person.id,
        gdpr.LINK_PURPOSE,
        valid_for=LINK_VALID,
        by=current_user,
    )
    locale = person.locale if person.locale in g.tenant.locales else g.tenant.default_locale
    mail = render_mail(
        "privacy/mail/link",
        locale,
        person=person,
        link=external_url("my_privacy.page", tenant=g.tenant.slug, token=token),
        branch_name=g.tenant.display_name(locale),
        contact_email=g.tenant.contact_email,
    )
    queue_mail(person.email, mail.subject, mail.text, html=mail.html, person=person,
               kind="privacy.link")  # fmt: skip
    flash(_("The link to their privacy page is on its way to %(email)s.", email=person.email),
          "success")  # fmt: skip
    return redirect(url_for("people.privacy", person_id=person.id))


# --------------------------------------------------------------------------- the person


def _open(token: str) -> Opened | Invalid:
    return open_link(
        token, gdpr.LINK_PURPOSE, "privacy/link_invalid.html", object_type=gdpr.LINK_OBJECT
    )


def _link_page(token: str, person: Person, status: int = 200, form: Any = None):
    locale = reader_locale(person)
    return render_for(
        "privacy/link.html",
        person,
        status,
        person=person,
        token=token,
        purposes=_purposes(person, locale),
        entries=_entries(person, locale),
        erasure=gdpr.erasure_of(person.id),
        form=form or ConsentWithdrawForm(formdata=None),
        delay_days=config.setting(g.tenant, "erasure_after_withdrawal_days"),
    )


@link_bp.route("/<token>")
@personal_link
@opens_link(_open)
def page(opened: Opened, token: str):
    person = opened.person
    links.opened(opened.link)
    return _link_page(token, person)


@link_bp.route("/<token>/withdraw", methods=["POST"])
@personal_link
@opens_link(_open)
def withdraw(opened: Opened, token: str):
    person = opened.person
    with force_locale(reader_locale(person)):
        form = ConsentWithdrawForm()
        if not form.validate_on_submit():
            return _link_page(token, person, 400, form)
        error = _withdraw(person, form, channel=LINK, by=None)
        if error is not None:
            form.purpose.errors = [*form.purpose.errors, error]
            return _link_page(token, person, 400, form)
        flash(_("Your consent is withdrawn."), "success")
    return redirect(url_for("my_privacy.page", token=token))
