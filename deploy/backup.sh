#!/usr/bin/env bash
# Back up the database DATABASE_URL points at: a pg_dump custom-format archive (compressed,
# restorable table by table, in parallel). Usage: deploy/backup.sh [FILE]
# (default backups/nextgen-<UTC timestamp>.dump). The archive holds every row, audit chain
# included; keep it as private as the database.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL (postgresql://user@host:port/db)}"
url="${DATABASE_URL/postgresql+psycopg2:/postgresql:}"   # the app's SQLAlchemy spelling
url="${url/postgres:/postgresql:}"
file="${1:-backups/nextgen-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$file")"
umask 077
# Written under a temporary name: a failed dump never leaves a file that looks complete.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$file.part" "$url"
mv "$file.part" "$file"
echo "$file"
