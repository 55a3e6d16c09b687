"""What mail adds: the sending job and the branch's outbox page (for the embedded demo)."""

from flask_babel import lazy_gettext as _l

from duo.core.mail.jobs import send
from duo.core.mail.views import bp
from duo.core.plugins import NavItem, Plugin

PLUGIN = Plugin(
    blueprints=[bp],
    navigation=[NavItem("mail.outbox", _l("Outbox"), 90)],
    jobs=[send],
)
