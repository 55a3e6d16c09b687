"""What matching adds (step 4): the matching sessions' pages and the to-do of waiting mentees."""

from flask_babel import lazy_gettext as _l

from duo.core.plugins import NavItem, Plugin
from duo.matching import privacy
from duo.matching.views import bp, free_mentors_todos, matching_action, waiting_todos
from duo.people import states
from duo.people.models import MENTEE, MENTOR
from duo.people.next_step import ACTIONS, StepActions
from duo.privacy import gdpr

PLUGIN = Plugin(
    blueprints=[bp],
    navigation=[NavItem("matching.index", _l("Matching"), 40)],
    todos=[waiting_todos, free_mentors_todos],
    providers=[
        (ACTIONS, StepActions((states.ELIGIBLE,), matching_action, MENTEE)),
        (ACTIONS, StepActions((states.TRAINED,), matching_action, MENTOR)),
        (gdpr.PERSONAL_DATA, privacy.personal_data),
    ],
)
