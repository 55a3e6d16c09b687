"""Reporting's jobs: the per-branch refresh (debounced after changes) and the nightly one."""

from duo.reporting import listeners, refresh  # noqa: F401  (registers jobs and listeners)
