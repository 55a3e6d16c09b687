"""PostgreSQL row-level security: the second isolation layer.

Each branch-owned table has RLS enabled and *forced*, with one policy that compares the
row's ``tenant_id`` with the transaction-local setting ``duo.tenant_id``. The setting is
made with ``SET LOCAL`` whenever a transaction begins and whenever the scope changes
inside one, so it disappears at COMMIT/ROLLBACK: a pooled connection handed to the next
request carries nothing over. ``SET LOCAL`` rather than ``set_config()``: Citus passes
``SET LOCAL`` on to the shards' connections (``citus.propagate_set_commands = 'local'``),
a function call it does not. ``SET`` takes no bind parameters, so the value is written
into the statement by :func:`setting_sql`, which accepts only an integer id or nothing.
The application logs in as a role that owns no table
and has no BYPASSRLS; migrations run as the owner.
"""

from __future__ import annotations

import os
from contextlib import suppress

from sqlalchemy import event, exc
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from duo.core.db import db
from duo.core.tenancy.context import Scope, current_scope, on_scope_change

SETTING = "duo.tenant_id"
POLICY = "tenant_isolation"


def enable_rls_sql(table: str) -> list[str]:
    """The statements a migration runs for a new branch-owned table."""
    # One branch, the one set for the transaction, and no alternative: no setting lets the
    # application role see two branches' rows at once (HQ reads rollups, duo.reporting).
    predicate = f"tenant_id = NULLIF(current_setting('{SETTING}', true), '')::integer"
    check = predicate
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
        f'CREATE POLICY {POLICY} ON "{table}" USING ({predicate}) WITH CHECK ({check})',
    ]


def disable_rls_sql(table: str) -> list[str]:
    return [
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY',
    ]


#: Tables the application may only add to and read (the audit log): every (re)grant of the
#: application role takes UPDATE, DELETE and TRUNCATE on them back.
APPEND_ONLY_TABLES = ("audit_events",)


def append_only_sql(role: str) -> list[str]:
    """Revoke changes of the append-only tables that exist (migrations run in order)."""
    return [
        f"""DO $$ BEGIN
            IF to_regclass('public.{table}') IS NOT NULL THEN
                REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM "{role}";
            END IF;
        END $$"""
        for table in APPEND_ONLY_TABLES
    ]


def app_role_sql(role: str) -> list[str]:
    """Create the login role the application uses, and grant it data access only."""
    return [
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
            END IF;
        END $$""",
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE "
        f'ON TABLES TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "{role}"',
        *append_only_sql(role),
    ]


def app_role_name() -> str:
    return os.environ.get("DATABASE_APP_ROLE") or "duo_app"


def migrate_app_role(op) -> None:
    """In a migration: (re)grant the application role its data access (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    role = app_role_name()
    for statement in app_role_sql(role):
        op.execute(statement)
    password = os.environ.get("DATABASE_APP_PASSWORD")
    if password:
        quoted = password.replace("'", "''")
        op.execute(f"ALTER ROLE \"{role}\" PASSWORD '{quoted}'")


def migrate_enable(op, table: str) -> None:
    """In a migration: every new branch-owned table calls this right after creating it."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in enable_rls_sql(table):
            op.execute(statement)


def migrate_disable(op, table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in disable_rls_sql(table):
            op.execute(statement)


def setting_sql(tenant_id: int | None) -> str:
    """The ``SET LOCAL`` statement for a scope; the value is checked, then quoted."""
    if tenant_id is None:
        tenant = ""
    elif isinstance(tenant_id, int) and not isinstance(tenant_id, bool):
        tenant = str(int(tenant_id))
    else:
        raise TypeError(f"a tenant id is an integer, not {tenant_id!r}")
    return f"SET LOCAL {SETTING} = '{tenant}'"


def apply_setting(connection: Connection, scope: Scope | None = None) -> None:
    if connection.dialect.name != "postgresql":
        return
    scope = scope or current_scope()
    connection.exec_driver_sql(setting_sql(scope.tenant_id))


@event.listens_for(Session, "after_begin")
def _set_on_begin(session: Session, transaction, connection: Connection) -> None:
    apply_setting(connection)


def _sessions_to_update() -> list[Session]:
    try:
        session = db.session()
    except RuntimeError:  # outside an application context: nothing open to update
        return []
    return [session]


def _on_scope_change(scope: Scope) -> None:
    """A scope change inside an open transaction must reach the database immediately."""
    for session in _sessions_to_update():
        if not session.in_transaction():
            continue
        connection = session.connection()
        if connection.dialect.name != "postgresql" or connection.closed:
            continue
        # If the transaction already failed it can only be rolled back; the next one
        # applies the setting afresh when it begins.
        with suppress(exc.InternalError):
            apply_setting(connection, scope)


on_scope_change(_on_scope_change)
