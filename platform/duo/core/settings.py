"""Settings read from environment variables, with defaults that make ``make run`` work alone.

Every variable is listed in README.md. The defaults are the embedded ones of DESIGN.md
(SQLite under ``instance/``, in-process jobs, mail kept in the outbox); production sets
``DATABASE_URL``, ``REDIS_URL`` and ``MAIL_SERVER``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parents[3]


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs: it is the driver we install."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def app_role_url(owner_url: str, role: str, password: str | None) -> str:
    """The URL the web app and workers use on PostgreSQL: same server, the unprivileged role.

    Migrations run as the owner (``DATABASE_URL``); the application must not be able to
    bypass row-level security, so it logs in as a role that owns nothing.
    """
    url = make_url(owner_url).set(username=role, password=password)
    return url.render_as_string(hide_password=False)


@dataclass
class Settings:
    instance_path: Path = field(
        default_factory=lambda: Path(_env("DUO_INSTANCE_PATH", str(REPO_ROOT / "instance")))
    )
    secret_key: str = field(default_factory=lambda: _env("SECRET_KEY", "") or "")
    database_url: str = ""
    app_database_url: str = ""
    redis_url: str | None = field(default_factory=lambda: _env("REDIS_URL"))
    tenants_path: Path = field(
        default_factory=lambda: Path(_env("DUO_TENANTS_PATH", str(REPO_ROOT / "tenants")))
    )
    mail_server: str | None = field(default_factory=lambda: _env("MAIL_SERVER"))
    mail_port: int = field(default_factory=lambda: int(_env("MAIL_PORT", "25") or 25))
    mail_username: str | None = field(default_factory=lambda: _env("MAIL_USERNAME"))
    mail_password: str | None = field(default_factory=lambda: _env("MAIL_PASSWORD"))
    mail_use_tls: bool = field(default_factory=lambda: _bool("MAIL_USE_TLS", False))
    mail_use_ssl: bool = field(default_factory=lambda: _bool("MAIL_USE_SSL", False))
    mail_timeout: int = field(default_factory=lambda: int(_env("MAIL_TIMEOUT", "30") or 30))
    mail_sender: str = field(
        default_factory=lambda: _env("MAIL_SENDER", "DUO for a JOB <no-reply@duoforajob.org>") or ""
    )
    public_url: str = field(default_factory=lambda: _env("DUO_PUBLIC_URL", "") or "")
    trusted_hosts: list[str] = field(
        default_factory=lambda: [
            h.strip() for h in (_env("DUO_TRUSTED_HOSTS", "") or "").split(",") if h.strip()
        ]
    )
    ratelimit_storage_uri: str | None = field(default_factory=lambda: _env("RATELIMIT_STORAGE_URI"))
    session_cookie_secure: bool = field(
        default_factory=lambda: _bool("SESSION_COOKIE_SECURE", False)
    )

    def __post_init__(self) -> None:
        if not self.database_url:
            default = f"sqlite:///{self.instance_path / 'duo.sqlite3'}"
            self.database_url = normalise_database_url(_env("DATABASE_URL", default) or default)
        if not self.app_database_url:
            explicit = _env("DATABASE_APP_URL")
            if explicit:
                self.app_database_url = normalise_database_url(explicit)
            elif self.is_postgres:
                self.app_database_url = app_role_url(
                    self.database_url,
                    _env("DATABASE_APP_ROLE", "duo_app") or "duo_app",
                    _env("DATABASE_APP_PASSWORD"),
                )
            else:
                self.app_database_url = self.database_url
        if not self.secret_key:
            self.secret_key = self._instance_secret()

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    def _instance_secret(self) -> str:
        """A per-installation secret kept in ``instance/`` so sessions survive restarts."""
        path = self.instance_path / "secret_key"
        try:
            return path.read_text().strip()
        except FileNotFoundError:
            self.instance_path.mkdir(parents=True, exist_ok=True)
            key = secrets.token_urlsafe(48)
            path.write_text(key)
            path.chmod(0o600)
            return key

    def flask_config(self) -> dict[str, object]:
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.app_database_url,
            "DUO_OWNER_DATABASE_URL": self.database_url,
            # hide_parameters: a database error must never write a person's data to the log
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
            "DUO_REDIS_URL": self.redis_url,
            "DUO_TENANTS_PATH": str(self.tenants_path),
            "MAIL_SERVER": self.mail_server,
            "MAIL_PORT": self.mail_port,
            "MAIL_USERNAME": self.mail_username,
            "MAIL_PASSWORD": self.mail_password,
            "MAIL_USE_TLS": self.mail_use_tls,
            "MAIL_USE_SSL": self.mail_use_ssl,
            "MAIL_TIMEOUT": self.mail_timeout,
            "MAIL_SENDER": self.mail_sender,
            "DUO_PUBLIC_URL": self.public_url,
            # Links in e-mails may be built from the request's host: accept only ours.
            "TRUSTED_HOSTS": self.trusted_hosts or None,
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage_uri or (self.redis_url or "memory://"),
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.session_cookie_secure,
            "BABEL_DEFAULT_LOCALE": "en",
            "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
            "BABEL_TRANSLATION_DIRECTORIES": str(REPO_ROOT / "translations"),
            "WTF_CSRF_TIME_LIMIT": None,
            # Uploads (spreadsheet import) are small; refuse big bodies before reading them.
            "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        }
