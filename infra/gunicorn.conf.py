"""gunicorn settings for duo behind a reverse proxy (Caddy in compose.yaml, an Ingress in k8s).

The app opens no connection at import time, so pre-forking is safe. The access log is
off: the app writes one JSON line per request itself (route template, status, duration,
request id; no path with ids or tokens, no query string, no address), see
``duo.core.observability.logs``. With several workers, Prometheus counters are shared
through ``PROMETHEUS_MULTIPROC_DIR`` (a writable, emptied-at-start directory).
"""

import multiprocessing
import os
import shutil

bind = os.environ.get("DUO_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("DUO_WORKERS", min(multiprocessing.cpu_count() * 2 + 1, 8)))
threads = int(os.environ.get("DUO_THREADS", "2"))
timeout = 60
graceful_timeout = 30
keepalive = 5
# Only the proxy may tell us who the client is (duo.wsgi applies ProxyFix for one hop).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
errorlog = "-"
loglevel = os.environ.get("DUO_LOG_LEVEL", "info")
wsgi_app = "duo.wsgi:app"


def on_starting(server):  # noqa: ANN001, ANN201
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def child_exit(server, worker):  # noqa: ANN001, ANN201
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
