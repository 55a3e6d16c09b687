"""Step 6: the mentoring agreement and the charter, signed by both and countersigned.

The texts come from the branch's configuration (``[duos.agreement]``, ``[duos.charter]``:
per country, overridable per branch, one text per locale, each with a version). The pair
signs in one language, :attr:`Duo.agreement_locale` (the mentee's if the branch offers it,
else the mentor's, else the branch's default), fixed at the first signature.

A signature is a typed full name that matches the person's (case and spacing aside), an
explicit checkbox, the moment and the text version. The mentee and the mentor sign
through their personal link, the coordinator countersigns on the duo page, in any order.
When the last of the three signs, the duo becomes *active*: the official start is that
moment, the planned end is start + ``programme.duration_months``, and a job renders the
signed agreement as a PDF kept with the duo (:mod:`duo.duos.pdf`).
"""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _
from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.tenancy.models import Tenant
from duo.duos import config, history, lifecycle, states
from duo.duos.lifecycle import InvalidDuoTransition
from duo.duos.models import PARTIES, Duo, DuoSignature
from duo.people.models import Person

COORDINATOR = "coordinator"
SIGNERS = (*PARTIES, COORDINATOR)


def _normal(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().replace("-", " ").split())


def signatures(duo: Duo) -> dict[str, DuoSignature]:
    rows = db.session.execute(select(DuoSignature).where(DuoSignature.duo_id == duo.id))
    return {s.party: s for s in rows.scalars()}


def locale_of(duo: Duo, tenant: Tenant, mentee: Person, mentor: Person) -> str:
    return duo.agreement_locale or config.pair_locale(tenant, mentee.locale, mentor.locale)


def texts(duo: Duo, tenant: Tenant, locale: str) -> dict[str, dict[str, str]]:
    return {
        "agreement": config.document(tenant, "agreement", locale),
        "charter": config.document(tenant, "charter", locale),
    }


def version(tenant: Tenant) -> str:
    """The version signed: the agreement's and the charter's together."""
    agreement = config.document(tenant, "agreement", tenant.default_locale)["version"]
    charter = config.document(tenant, "charter", tenant.default_locale)["version"]
    return f"{agreement}+{charter}"[:40]


def sign(
    duo: Duo,
    party: str,
    *,
    full_name: str,
    accepted: bool,
    tenant: Tenant,
    expected_name: str,
    person: Person | None = None,
    by: object | None = None,
) -> DuoSignature:
    """Record one signature; the third one makes the duo active (see module doc).

    ``expected_name`` is the signer's full name as the platform knows it; ``person`` the
    mentee or mentor signing through their link, ``by`` the coordinator countersigning.
    """
    if party not in SIGNERS:
        raise InvalidDuoTransition(_("Unknown signer."), "party")
    if duo.state != states.CONFIRMED:
        raise InvalidDuoTransition(_("This agreement is not open for signature."))
    if party in signatures(duo):
        raise InvalidDuoTransition(_("This agreement was already signed."))
    typed = " ".join((full_name or "").split())
    if not typed:
        raise InvalidDuoTransition(_("Type your full name to sign."), "full_name")
    if len(typed) > 200 or _normal(typed) != _normal(expected_name):
        raise InvalidDuoTransition(
            _("Type your full name as we know it: %(name)s.", name=expected_name), "full_name"
        )
    if not accepted:
        raise InvalidDuoTransition(
            _("Tick the box to say you have read and accept the agreement and the charter."),
            "accepted",
        )
    if duo.agreement_locale is None:
        people = {
            p.role: p
            for p in db.session.execute(
                select(Person).where(Person.id.in_([duo.mentee_id, duo.mentor_id]))
            ).scalars()
        }
        duo.agreement_locale = locale_of(duo, tenant, people["mentee"], people["mentor"])
    now = utcnow()
    signature = DuoSignature(
        tenant_id=duo.tenant_id,
        duo_id=duo.id,
        party=party,
        full_name=typed,
        accepted=True,
        signed_at=now,
        text_version=version(tenant),
        locale=duo.agreement_locale,
        by_user_id=getattr(by, "id", None),
    )
    db.session.add(signature)
    history.record(
        duo,
        "countersigned" if party == COORDINATOR else "signed",
        by=by,
        person_id=getattr(person, "id", None),
        details={"party": party, "version": signature.text_version},
    )
    db.session.flush()
    done = signatures(duo)
    if set(SIGNERS) <= set(done):
        start = max(s.signed_at for s in done.values())
        lifecycle.transition(duo, states.ACTIVE, by=by, tenant=tenant, started_at=start)
    return signature
