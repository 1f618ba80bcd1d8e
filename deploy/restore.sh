#!/usr/bin/env bash
# Restore a deploy/backup.sh archive into the database TARGET_DATABASE_URL points at
# (default DATABASE_URL), which should be empty (a fresh `createdb`): restoring over a live
# database is refused unless --force. Usage: deploy/restore.sh FILE [--force]
set -euo pipefail

file="${1:?usage: deploy/restore.sh FILE [--force]}"
force="${2:-}"
target="${TARGET_DATABASE_URL:-${DATABASE_URL:?set TARGET_DATABASE_URL or DATABASE_URL}}"
url="${target/postgresql+psycopg2:/postgresql:}"
url="${url/postgres:/postgresql:}"

tables=$(psql "$url" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ] && [ "$force" != "--force" ]; then
    echo "refusing: the target database already has $tables tables (use a fresh one, or --force)" >&2
    exit 2
fi
pg_restore --exit-on-error --no-owner --no-privileges --single-transaction \
    ${force:+--clean --if-exists} --dbname="$url" "$file"
# The planner's statistics are not in the dump.
psql "$url" -qc "ANALYZE"
echo "restored $file"
