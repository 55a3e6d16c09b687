"""What languages add: the language switcher's route."""

from duo.core.i18n.views import bp
from duo.core.plugins import Plugin

PLUGIN = Plugin(blueprints=[bp])
