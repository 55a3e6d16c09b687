"""What password reset adds: the "forgot your password" pages (a mailed link that sets the
password only; the login still asks for the second factor)."""

from duo.core.password_reset.views import bp
from duo.core.plugins import Plugin

PLUGIN = Plugin(blueprints=[bp])
