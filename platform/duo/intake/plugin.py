"""What the intake step adds: the candidates pages and their to-dos (intakes, decisions),
intake appointments (the candidate's link page, the notices and the day-before reminders).
"""

from flask_babel import lazy_gettext as _l

from duo.core.plugins import NavItem, Plugin
from duo.intake import jobs
from duo.intake.link_views import link_bp
from duo.intake.todos import intake_todos
from duo.intake.views import bp

PLUGIN = Plugin(
    blueprints=[bp, link_bp],
    navigation=[
        NavItem("people.index", _l("Candidates"), 20),
        NavItem("people.import_upload", _l("Import"), 95),
    ],
    todos=[intake_todos],
    jobs=[jobs.send_notice, jobs.send_reminder, jobs.send_reminders],
    periodic=[jobs.REMINDERS],
)
