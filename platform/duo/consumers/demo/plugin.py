"""What the demo adds: ``duo setup`` (migrate, load the branches, seed the story) and
``duo demo seed --branch SLUG`` (the story for a branch onboarded later)."""

from duo.consumers.demo.cli import demo_group, setup
from duo.core.plugins import Plugin

PLUGIN = Plugin(commands=[setup, demo_group])
