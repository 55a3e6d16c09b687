"""The ``duo`` command: Flask's CLI with the app factory and every capability's commands."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from duo.app import create_app


def _create(*args: object, **kwargs: object):
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create, help="DUO for a JOB platform commands.")
def main() -> None:
    pass
