"""What the dashboard frame adds: a branch's overview page, first in the navigation."""

from duo.core.dashboard.navigation import OVERVIEW
from duo.core.dashboard.views import bp
from duo.core.plugins import Plugin

PLUGIN = Plugin(blueprints=[bp], navigation=[OVERVIEW])
