#!/usr/bin/env bash
# Logical backup of the duo database in pg_dump's custom format (compressed, restorable
# table by table with pg_restore). Run as the owner, nightly; keeps RETENTION_DAYS.
#
#   DATABASE_URL=postgresql://duo_owner@host/duo BACKUP_DIR=/var/backups/duo infra/backup.sh
#
# Prints the file written. The dump holds personal data: keep the directory encrypted
# and readable by the operators only (umask 077 below).
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL (the owner)}"
dir="${BACKUP_DIR:-/var/backups/duo}"
retention="${RETENTION_DAYS:-30}"
umask 077
mkdir -p "$dir"
file="$dir/duo-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --file="$file.partial" "$DATABASE_URL"
pg_restore --list "$file.partial" >/dev/null  # a dump that cannot be listed is no backup
mv "$file.partial" "$file"
find "$dir" -name 'duo-*.dump' -mtime "+$retention" -delete
echo "$file"
