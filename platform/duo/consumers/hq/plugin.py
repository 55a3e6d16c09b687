"""What headquarters adds: its pages under ``/hq``."""

from duo.consumers.hq.views import bp
from duo.core.plugins import Plugin

PLUGIN = Plugin(blueprints=[bp])
