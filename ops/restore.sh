#!/bin/sh
# Restore an archive made by ops/backup.sh into an empty system: the database into the
# one named by DATABASE_URL (which must exist and be empty), the files into MEDIA_ROOT
# (created when missing). Usage: ops/restore.sh FILE
set -eu
: "${DATABASE_URL:?DATABASE_URL を設定してください（postgres://...）}"
file="${1:?復元するバックアップファイルを指定してください}"
test -f "$file" || { echo "ファイルがありません: $file" >&2; exit 1; }
media="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/media}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$file" -C "$work" database.dump media || {
    echo "バックアップの形式ではありません（database.dump と media/ を含む .tar.gz）: $file" >&2
    exit 1
}
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$work/database.dump"
mkdir -p "$media"
cp -a "$work/media/." "$media/"
echo "復元しました: $file（データベースと $media のファイル）"
