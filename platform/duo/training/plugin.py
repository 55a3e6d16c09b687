"""What mentor training adds (step 3): its pages and feeds, mails, reminders and to-dos."""

from flask_babel import lazy_gettext as _l

from duo.core.plugins import NavItem, Plugin
from duo.people import states
from duo.people.models import MENTOR
from duo.people.next_step import ACTIONS, StepActions
from duo.privacy import gdpr
from duo.training import jobs, privacy
from duo.training.todos import enrol_action, training_action, training_todos
from duo.training.views import bp

PLUGIN = Plugin(
    blueprints=[bp],
    navigation=[NavItem("training.index", _l("Mentor training"), 30)],
    todos=[training_todos],
    jobs=[
        jobs.send_reminders,
        jobs.send_reminder,
        jobs.session_moved,
        jobs.session_cancelled,
        jobs.enrolment_confirmed,
    ],
    periodic=[jobs.REMINDERS],
    providers=[
        (ACTIONS, StepActions((states.ELIGIBLE,), enrol_action, MENTOR)),
        (ACTIONS, StepActions((states.IN_TRAINING, states.TRAINED), training_action, MENTOR)),
        (gdpr.PERSONAL_DATA, privacy.personal_data),
        (gdpr.ERASERS, privacy.erase),
        (gdpr.LAST_ACTIVITY, privacy.last_activity),
    ],
    listeners=[(gdpr.CONSENT_WITHDRAWN, privacy.on_consent_withdrawn)],
)
