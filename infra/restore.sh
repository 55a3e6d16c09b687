#!/usr/bin/env bash
# Restore a backup made by backup.sh into an EMPTY database (a fresh one: never over the
# live database), as the owner, in one transaction: all of it or nothing.
#
#   DATABASE_URL=postgresql://duo_owner@host/duo_restored infra/restore.sh /var/backups/duo/duo-....dump
#
# Row-level security, its policies and the grants to the application role come with the
# dump; the role itself is global to the server and is created here if it is missing
# (DATABASE_APP_ROLE, default duo_app). Then point the app at the restored database and
# check /readyz.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL (the owner, of an empty database)}"
dump="${1:?usage: restore.sh FILE.dump}"
role="${DATABASE_APP_ROLE:-duo_app}"
[[ "$role" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "bad role name: $role" >&2; exit 2; }
tables=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [[ "$tables" != "0" ]]; then
    echo "refusing to restore: the target database already has $tables tables" >&2
    exit 1
fi
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
        CREATE ROLE \"$role\" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF; END \$\$"
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -c "ANALYZE"
echo "restored $dump"
