"""duo: the platform on which DUO for a JOB runs its mentoring programme.

The package stays cheap to import (no Flask app, no connections) so that domain modules
such as ``duo.matching.solver`` can be used by tests and benchmarks on their own.
"""

from __future__ import annotations

from typing import Any


def create_app(*args: Any, **kwargs: Any):
    """Build the Flask application (see :mod:`duo.app`)."""
    from duo.app import create_app as _create_app  # lazy: `import duo` stays cheap

    return _create_app(*args, **kwargs)
