"""WSGI entry point for gunicorn behind a reverse proxy: ``duo.wsgi:app``.

The proxy's X-Forwarded-For/-Proto/-Host are trusted for ``DUO_PROXY_HOPS`` hops (default 1),
so that rate limits count real visitors rather than the proxy, and generated links use
the public scheme and host.
"""

import os

from werkzeug.middleware.proxy_fix import ProxyFix

from duo.app import create_app

_hops = int(os.environ.get("DUO_PROXY_HOPS", "1"))
app = create_app()
if _hops > 0:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=_hops, x_proto=_hops, x_host=_hops)  # type: ignore[method-assign]
