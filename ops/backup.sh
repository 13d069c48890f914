#!/bin/sh
# Back up everything the product keeps into one archive: the PostgreSQL database named
# by DATABASE_URL (pg_dump's custom format, as database.dump) and the files under
# MEDIA_ROOT (print batches' PDFs, kept import files, as media/). Usage: ops/backup.sh FILE
set -eu
: "${DATABASE_URL:?DATABASE_URL を設定してください（postgres://...）}"
file="${1:?バックアップ先のファイル名を指定してください}"
media="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/media}"
mkdir -p "$(dirname "$file")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" \
    --file="$work/database.dump"
# The files are copied after the dump: a file the dump names is then in the archive
# unless housekeeping removed it in between (its page then says the file is gone).
mkdir -p "$work/media"
if [ -d "$media" ]; then
    cp -a "$media/." "$work/media/"
fi
tar -czf "$file.partial" -C "$work" database.dump media
# Only a complete archive takes the final name, so a failed run never looks like a backup.
mv "$file.partial" "$file"
echo "バックアップしました: $file"
