"""Render a mail in its recipient's language, and build the absolute links it carries.

A mail template is a pair beside the capability's page templates:
``<name>.txt`` defines the blocks ``subject`` and ``body`` (plain text, not escaped) and
``<name>.html`` (optional) the HTML alternative. Both are rendered under
:func:`flask_babel.force_locale`, so one request can write mails in several languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, g, has_request_context, url_for
from flask_babel import force_locale
from jinja2 import Template, TemplateNotFound

_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str | None


def _block(template: Template, name: str, context: dict[str, Any]) -> str:
    if name not in template.blocks:
        raise LookupError(f"mail template {template.name} has no block {name!r}")
    return "".join(template.blocks[name](template.new_context(context)))


def _tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)) + "\n"


def render_mail(name: str, locale: str, **context: Any) -> RenderedMail:
    """Render ``<name>.txt`` (subject + body) and ``<name>.html`` in ``locale``."""
    env = current_app.jinja_env
    with force_locale(locale):
        ctx = dict(context, mail_locale=locale)
        current_app.update_template_context(ctx)
        text_template = env.get_template(f"{name}.txt")
        subject = " ".join(_block(text_template, "subject", ctx).split())
        text = _tidy_text(_block(text_template, "body", ctx))
        try:
            html_template = env.get_template(f"{name}.html")
        except TemplateNotFound:
            html = None
        else:
            html = html_template.render(ctx)
    return RenderedMail(subject=subject, text=text, html=html)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for a mail, in a request or in a job.

    ``DUO_PUBLIC_URL`` (the address people reach the site at, behind the proxy) wins;
    without it a request's own host is used, and a job falls back to localhost. No request
    context is pushed for this: its teardown would end the current branch scope.
    """
    base = current_app.config.get("DUO_PUBLIC_URL") or ""
    if (
        "tenant" not in values
        and has_request_context()
        and g.get("tenant") is not None
        and current_app.url_map.is_endpoint_expecting(endpoint, "tenant")
    ):
        values["tenant"] = g.tenant.slug
    if not base:
        if has_request_context():
            return url_for(endpoint, _external=True, **values)
        base = "http://localhost:5000"
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc,
        script_name=parts.path.rstrip("/") or "/",
        url_scheme=parts.scheme or "https",
    )
    return adapter.build(endpoint, values, force_external=True)
