"""What the intake step adds: the candidates pages and their to-dos (intakes, decisions), and
a person's privacy pages (the coordinator's, and their own through a personal link)."""

from flask_babel import lazy_gettext as _l

from duo.core.plugins import NavItem, Plugin
from duo.intake.todos import intake_todos
from duo.intake.views import bp, link_bp

PLUGIN = Plugin(
    blueprints=[bp, link_bp],
    navigation=[
        NavItem("people.index", _l("Candidates"), 20),
        NavItem("people.import_upload", _l("Import"), 95),
    ],
    todos=[intake_todos],
)
