"""Settings from the environment that protect production."""

from __future__ import annotations

from appfactory import build_app, make_settings, migrate_and_load


def test_trusted_hosts_refuse_a_forged_host(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DUO_TRUSTED_HOSTS", "duo.example.org")
    app = build_app(make_settings(tmp_path, None))
    migrate_and_load(app)
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "duo.example.org"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400


def test_proxy_headers_are_trusted_in_the_wsgi_entry_point(monkeypatch, tmp_path) -> None:
    import importlib

    monkeypatch.setenv("DUO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DUO_PUBLIC_URL", "https://duo.example.org")
    import duo.wsgi

    module = importlib.reload(duo.wsgi)
    assert type(module.app.wsgi_app).__name__ == "TrustedProxyFix"
