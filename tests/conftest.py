"""Registers the shared fixtures of the ``tests/support`` package for every test (see its
docstring)."""

pytest_plugins = ["support", "support.history", "support.smtp"]
