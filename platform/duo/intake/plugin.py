"""What the intake step adds: the candidates pages and their to-dos (intakes, decisions),
intake appointments (the candidate's link page, the notices and the day-before reminders),
and a person's privacy pages (the coordinator's, and their own through a personal link).
"""

from flask_babel import lazy_gettext as _l

from duo.core.audit.views import PERSON_NAMES
from duo.core.plugins import NavItem, Plugin
from duo.intake import jobs
from duo.intake.audit_names import person_names
from duo.intake.link_views import link_bp as appointment_link_bp
from duo.intake.todos import intake_todos, schedule_action
from duo.intake.views import bp, link_bp
from duo.people import states
from duo.people.next_step import ACTIONS, StepActions

PLUGIN = Plugin(
    blueprints=[bp, link_bp, appointment_link_bp],
    navigation=[
        NavItem("people.index", _l("Candidates"), 20),
        NavItem("people.import_upload", _l("Import"), 95),
    ],
    todos=[intake_todos],
    providers=[
        (PERSON_NAMES, person_names),
        (ACTIONS, StepActions((states.REGISTERED, states.ATTENDED), schedule_action)),
    ],
    jobs=[jobs.send_notice, jobs.send_reminder, jobs.send_reminders],
    periodic=[jobs.REMINDERS],
)
