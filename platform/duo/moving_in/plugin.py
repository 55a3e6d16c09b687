"""What the move-in adds: its pages (reached from the candidates import page)."""

from duo.core.plugins import Plugin
from duo.moving_in.views import bp

PLUGIN = Plugin(blueprints=[bp])
