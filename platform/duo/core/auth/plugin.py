"""What staff accounts add: the login pages and the ``duo users`` commands."""

from duo.core.auth.cli import users
from duo.core.auth.views import bp
from duo.core.plugins import Plugin

PLUGIN = Plugin(blueprints=[bp], commands=[users])
