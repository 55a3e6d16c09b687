"""What staff accounts add: the login and two-step pages, the account page (password,
own sessions), and the ``duo users`` commands."""

from duo.core.auth.cli import users
from duo.core.auth.views import blueprints
from duo.core.plugins import Plugin

PLUGIN = Plugin(blueprints=blueprints, commands=[users])
