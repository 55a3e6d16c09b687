"""WSGI entry point for gunicorn behind a reverse proxy: ``duo.wsgi:app``.

The proxy's X-Forwarded-For/-Proto/-Host are trusted for ``DUO_PROXY_HOPS`` hops (default
1), and only on connections from ``DUO_TRUSTED_PROXIES`` (default: this machine; see
:mod:`duo.core.proxies`), so that rate limits count real visitors rather than the proxy,
and nobody else can pose as one. Production refuses to start without ``DUO_PUBLIC_URL``:
personal links in e-mails must never take their domain from a request's ``Host``.
"""

import os

from duo.app import create_app
from duo.core.proxies import DEFAULT_TRUSTED, TrustedProxyFix

_hops = int(os.environ.get("DUO_PROXY_HOPS", "1"))
#: A web worker migrates nothing: no Flask-Migrate (nor Alembic) in its memory.
app = create_app({"DUO_MIGRATE_COMMANDS": False})
if not app.config.get("DUO_PUBLIC_URL"):
    raise RuntimeError(
        "DUO_PUBLIC_URL is not set: personal links would take their domain from the "
        "request. Set it to the address people reach the site at, e.g. https://duo.example.org"
    )
if _hops > 0:
    app.wsgi_app = TrustedProxyFix(
        app.wsgi_app, os.environ.get("DUO_TRUSTED_PROXIES", DEFAULT_TRUSTED), _hops
    )
