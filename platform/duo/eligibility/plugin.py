"""What eligibility adds to the app: what its decisions hold about a person, for their
copy and erasure (its pages are the intake's)."""

from duo.core.plugins import Plugin
from duo.eligibility import privacy
from duo.privacy import gdpr

PLUGIN = Plugin(
    providers=[
        (gdpr.PERSONAL_DATA, privacy.personal_data),
        (gdpr.ERASERS, privacy.erase),
    ]
)
