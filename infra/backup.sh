#!/usr/bin/env bash
# Nightly logical backup of the duo database (run as the owner). Keeps 30 days.
# Usage: DATABASE_URL=postgresql://owner@host/duo BACKUP_DIR=/var/backups/duo infra/backup.sh
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL (owner)}"
dir="${BACKUP_DIR:-/var/backups/duo}"
mkdir -p "$dir"
file="$dir/duo-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --file="$file" "$DATABASE_URL"
find "$dir" -name 'duo-*.dump' -mtime +30 -delete
echo "backup written: $file"
