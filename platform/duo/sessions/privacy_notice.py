"""The privacy notice shown at sign-up (page and API), and its version.

Consent is recorded with the branch's current version of the ``privacy_notice`` purpose
(its ``[privacy]`` configuration, see :mod:`duo.privacy.config`): whoever changes the
wording below must bump that version, so that what each person agreed to stays
identifiable.
"""

from __future__ import annotations

from flask_babel import gettext as _

from duo.core.tenancy.models import Tenant
from duo.privacy.consent import PRIVACY_NOTICE, current_version


def version() -> str:
    return current_version(PRIVACY_NOTICE)


def paragraphs(tenant: Tenant, locale: str) -> list[str]:
    """The notice in the current locale (call under force_locale for another one)."""
    branch = tenant.display_name(locale)
    return [
        _(
            "DUO for a JOB %(branch)s uses the data you give here (your name, e-mail address, "
            "phone number, year of birth and how you heard of us) to organise your information "
            "session and, if you wish to continue, your intake interview.",
            branch=branch,
        ),
        _(
            "Only the coordinators of the branch can see it. It is never sold, and never used "
            "for anything else."
        ),
        _("We keep it only as long as the programme needs it."),
        _(
            "You may ask for a copy of your data, or for it to be corrected or deleted, at any "
            "time, by writing to %(email)s.",
            email=tenant.contact_email,
        ),
    ]
