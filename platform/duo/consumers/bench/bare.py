"""The baseline application: Flask and Jinja rendering a page of a given size, nothing else.

Its own module, importing nothing of duo, so that a server running it (the throughput
and memory figures) holds what Flask itself needs and no more.
"""

from __future__ import annotations

from flask import Flask, render_template_string

__all__ = ["bare_app"]

_BARE_TEMPLATE = (
    "<!doctype html><html><head><title>{{ title }}</title></head><body>"
    "{% for line in lines %}<p>{{ line }}</p>{% endfor %}</body></html>"
)


def bare_app() -> Flask:
    """The baseline: Flask and Jinja rendering ``n`` bytes of HTML, nothing else."""
    app = Flask("bare")

    @app.route("/<int:size>")
    def page(size: int) -> str:
        lines = ["x" * 90] * max(0, (size - 100) // 97)
        return render_template_string(_BARE_TEMPLATE, title="bare", lines=lines)

    return app
