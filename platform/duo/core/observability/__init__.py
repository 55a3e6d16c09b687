"""Watching the platform: ``/healthz``, ``/readyz``, Prometheus ``/metrics``, JSON logs.

``/healthz`` says the process answers (a liveness probe restarts it otherwise);
``/readyz`` says it can serve: the database answers, its schema is at the migrations'
head, Redis answers when configured, and the oldest due outbox job is not stuck. A
failing part is named in a 503, so a load balancer stops sending traffic and an operator
knows where to look. ``/metrics`` is open only to the networks in ``DUO_METRICS_ALLOW``.
"""
