#!/bin/sh
# Restore a backup made by ops/backup.sh into the database named by DATABASE_URL, which
# must exist and should be empty. Usage: ops/restore.sh FILE
set -eu
: "${DATABASE_URL:?DATABASE_URL を設定してください（postgres://...）}"
file="${1:?復元するバックアップファイルを指定してください}"
test -f "$file" || { echo "ファイルがありません: $file" >&2; exit 1; }
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$file"
echo "復元しました: $file"
