"""What the register of candidates adds: the overview's counts of mentors and mentees, and
what it holds about a person for their rights (copy, erasure, retention, withdrawal)."""

from duo.core.plugins import CARDS, Plugin
from duo.people import privacy
from duo.people.listing import overview_cards
from duo.privacy import gdpr

PLUGIN = Plugin(
    providers=[
        (CARDS, overview_cards),
        (gdpr.PERSONAL_DATA, privacy.personal_data),
        (gdpr.ERASERS, privacy.erase),
        (gdpr.LAST_ACTIVITY, privacy.last_activity),
    ],
    listeners=[(gdpr.CONSENT_WITHDRAWN, privacy.on_consent_withdrawn)],
)
