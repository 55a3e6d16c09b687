"""What tenancy adds to the app: the ``duo tenants`` commands."""

from duo.core.plugins import Plugin
from duo.core.tenancy.cli import tenants

PLUGIN = Plugin(commands=[tenants])
