"""What the audit log adds: the branch's log page (coordinators only), and the listener
that writes staff accounts' security events into it."""

from flask_babel import lazy_gettext as _l

from duo.core.audit import install, on_security_event
from duo.core.audit.views import bp
from duo.core.auth.events import SECURITY_EVENT
from duo.core.plugins import NavItem, Plugin

PLUGIN = Plugin(
    blueprints=[bp],
    navigation=[NavItem("audit.index", _l("Audit log"), 96)],
    listeners=[(SECURITY_EVENT, on_security_event)],
    on_install=[install],
)
