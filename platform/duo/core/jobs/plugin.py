"""What the jobs layer adds: ``duo worker``, ``duo jobs ...``, and its own housekeeping."""

from duo.core.jobs.cli import jobs, scheduler, worker
from duo.core.jobs.jobs import analyze_tables, housekeeping
from duo.core.jobs.schedule import HOUSEKEEPING
from duo.core.plugins import Plugin

PLUGIN = Plugin(
    jobs=[housekeeping, analyze_tables], periodic=[HOUSEKEEPING], commands=[worker, scheduler, jobs]
)
