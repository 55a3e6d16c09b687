"""What the intake step adds: the candidates pages and their to-dos (intakes, decisions)."""

from flask_babel import lazy_gettext as _l

from duo.core.plugins import NavItem, Plugin
from duo.intake.views import bp, intake_todos

PLUGIN = Plugin(
    blueprints=[bp],
    navigation=[
        NavItem("people.index", _l("Candidates"), 20),
        NavItem("people.import_upload", _l("Import"), 95),
    ],
    todos=[intake_todos],
)
