"""What reporting adds: a branch's figures page, HQ's API, the refresh jobs (after changes,
debounced, and nightly), and the ``duo tokens`` / ``duo reporting`` commands.

The refresh after a change is requested by SQLAlchemy session listeners
(:mod:`duo.reporting.listeners`), attached once per process by ``on_install``, which also
registers the indicators of steps 7-8 (:mod:`duo.reporting.impact`).
"""

from flask_babel import lazy_gettext as _l

from duo.core.plugins import NavItem, Plugin
from duo.reporting import impact, listeners, refresh, report
from duo.reporting.api import api_bp
from duo.reporting.cli import report as report_command
from duo.reporting.cli import reporting, tokens
from duo.reporting.views import bp

PLUGIN = Plugin(
    blueprints=[bp, api_bp],
    navigation=[NavItem("reporting.branch", _l("Figures"), 98)],
    jobs=[refresh.refresh_branch, refresh.refresh_all, report.make_annual_report],
    periodic=[refresh.NIGHTLY],
    commands=[tokens, reporting, report_command],
    on_install=[listeners.connect, impact.install],
)
