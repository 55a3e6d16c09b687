"""gunicorn settings for duo behind a reverse proxy (nginx, Traefik, a cloud load balancer).

The app opens no connection at import time, so pre-forking is safe.
"""

import multiprocessing
import os

bind = os.environ.get("DUO_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("DUO_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("DUO_THREADS", "2"))
timeout = 60
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
wsgi_app = "duo.wsgi:app"
