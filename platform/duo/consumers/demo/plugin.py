"""What the demo adds: ``duo setup`` (migrate, load the branches, seed the story)."""

from duo.consumers.demo.cli import setup
from duo.core.plugins import Plugin

PLUGIN = Plugin(commands=[setup])
