"""What duos add (steps 5 to 7): the coordinator's duo pages and the person's "my duo" pages,
the to-dos of every duo step and of the daily health check, the mails that follow a duo's
steps (a listener of the duo's own lifecycle event), and the daily jobs."""

from flask_babel import lazy_gettext as _l

from duo.core.plugins import NavItem, Plugin
from duo.duos import jobs, lifecycle, privacy
from duo.duos.views import blueprints, duo_todos, open_duo
from duo.people import states as person_states
from duo.people.next_step import ACTIONS, StepActions
from duo.privacy import gdpr

PLUGIN = Plugin(
    blueprints=blueprints,
    navigation=[NavItem("duos.index", _l("Duos"), 50)],
    todos=[duo_todos],
    jobs=[
        jobs.proposed,
        jobs.invite,
        jobs.declined,
        jobs.sign_request,
        jobs.started,
        jobs.fresh_link,
        jobs.daily,
        jobs.check_in_reminder,
        jobs.digest,
    ],
    periodic=[jobs.HEALTH],
    listeners=[
        (lifecycle.TRANSITIONED, jobs.enqueue_consequences),
        (gdpr.CONSENT_WITHDRAWN, privacy.on_consent_withdrawn),
    ],
    providers=[
        (ACTIONS, StepActions((person_states.MATCHED, person_states.IN_DUO), open_duo)),
        (gdpr.PERSONAL_DATA, privacy.personal_data),
        (gdpr.ERASERS, privacy.erase),
        (gdpr.LAST_ACTIVITY, privacy.last_activity),
    ],
)
