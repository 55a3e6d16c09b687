"""Registers the shared fixtures of ``tests/support.py`` for every test (see its docstring)."""

pytest_plugins = ["support"]
