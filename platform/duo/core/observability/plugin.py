"""What observability adds: ``/healthz``, ``/readyz`` and ``/metrics``."""

from duo.core.observability.views import bp
from duo.core.plugins import Plugin

PLUGIN = Plugin(blueprints=[bp])
