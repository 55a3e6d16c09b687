"""WSGI entry point for gunicorn: ``duo.wsgi:app``."""

from duo.app import create_app

app = create_app()
