#!/bin/sh
# Back up the PostgreSQL database named by DATABASE_URL into one file (pg_dump's custom
# format: compressed, restorable table by table). Usage: ops/backup.sh FILE
set -eu
: "${DATABASE_URL:?DATABASE_URL を設定してください（postgres://...）}"
file="${1:?バックアップ先のファイル名を指定してください}"
mkdir -p "$(dirname "$file")"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$file.partial"
# Only a complete dump takes the final name, so a failed run never looks like a backup.
mv "$file.partial" "$file"
echo "バックアップしました: $file"
