"""What duos add (steps 5 to 8): their pages, the to-do of first meetings, and the mails
that follow a duo's steps (a listener of the duo's own lifecycle event)."""

from flask_babel import lazy_gettext as _l

from duo.core.plugins import NavItem, Plugin
from duo.duos import jobs, lifecycle
from duo.duos.views import bp, duo_todos

PLUGIN = Plugin(
    blueprints=[bp],
    navigation=[NavItem("duos.index", _l("Duos"), 50)],
    todos=[duo_todos],
    jobs=[jobs.proposed],
    listeners=[(lifecycle.TRANSITIONED, jobs.enqueue_consequences)],
)
