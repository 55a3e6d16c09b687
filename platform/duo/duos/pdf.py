"""The signed agreement as a PDF (WeasyPrint), in the pair's language, kept with the duo.

Rendered by a job once the duo is active (all three signatures): the text versions, names
and moments are those of the signatures, so rendering it again gives the same document.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import defer

from duo.core.db import db
from duo.core.tenancy.models import Tenant
from duo.duos import agreement, display
from duo.duos.models import Duo, DuoDocument
from duo.people.models import Person

KIND = "agreement"


def render(duo: Duo, tenant: Tenant) -> bytes:
    """The PDF bytes of ``duo``'s signed agreement."""
    from weasyprint import HTML  # heavy (pango): loaded only when a PDF is made

    people = {
        p.role: p
        for p in db.session.execute(
            select(Person).where(Person.id.in_([duo.mentee_id, duo.mentor_id]))
        ).scalars()
    }
    locale = duo.agreement_locale or tenant.default_locale
    with force_locale(locale):
        html = render_template(
            "duos/agreement_pdf.html",
            duo=duo,
            tenant=tenant,
            branch_name=tenant.display_name(locale),
            mentee=people["mentee"],
            mentor=people["mentor"],
            texts=agreement.texts(duo, tenant, locale),
            signatures=agreement.signatures(duo),
            locale=locale,
            local=display.formatter(tenant, locale),
        )
    return HTML(string=html).write_pdf()


def store(duo: Duo, tenant: Tenant) -> DuoDocument:
    """Render and keep (or replace) the agreement PDF of ``duo``."""
    content = render(duo, tenant)
    doc = document(duo)
    if doc is None:
        doc = DuoDocument(tenant_id=duo.tenant_id, duo_id=duo.id, kind=KIND)
        db.session.add(doc)
    doc.filename = f"agreement-{tenant.slug}-{str(duo.id)[:8]}.pdf"
    doc.content_type = "application/pdf"
    doc.content = content
    doc.size = len(content)
    doc.locale = duo.agreement_locale or tenant.default_locale
    doc.text_version = agreement.version(tenant)
    db.session.flush()
    return doc


def document(duo: Duo) -> DuoDocument | None:
    return db.session.execute(
        select(DuoDocument)
        .where(DuoDocument.duo_id == duo.id, DuoDocument.kind == KIND)
        .options(defer(DuoDocument.content))  # the page links to the PDF; its bytes stay put
    ).scalar_one_or_none()
