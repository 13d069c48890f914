"""Load the seed records without ever overwriting what is already in the register.

`loaddata` writes every object of a fixture over the row with the same primary key, so
running it again undid work done since (an amended seed record went back to 承認済み with
no end date). This command only adds the objects whose key is missing: an empty
register gets the whole seed, a register in use keeps every row as it is. It lives in
reviews because the seed's records are reviewed records: their approved content is
stored as they are loaded. It names the fixtures and imports no app that holds them."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from reviews.workflow.models import ReviewedRecord
from reviews.workflow.services import records_fill_approved_content

# The Nerima seed, then the drafts of its two 業務's 個人情報ファイル簿 entries, which the
# proposal service built from the seed's records (filebook.proposals; no source document
# holds them, and tests/filebook/test_seed.py keeps the two in step), then Shinjuku's
# agenda item (資料９), which builds on its section, business and linkages.
SEED_FIXTURES = ["seed", "filebook", "agenda"]


class Command(BaseCommand):
    help = (
        "初期データ（fixtures/seed.json、filebook.json、agenda.json）のうち、"
        "まだ登録されていないものだけを追加します。登録済みの行は変更しません。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "fixtures", nargs="*", default=SEED_FIXTURES, help="fixtures/ 内の名前（順に読み込む）"
        )

    def handle(self, *args, fixtures: list[str], verbosity: int = 1, **options) -> None:
        paths = [find_fixture(name) for name in fixtures]
        loaded = [(path, *load_missing(path)) for path in paths]
        # Seed records arrive approved: keep what they show now as what was approved, so
        # a later change to an organisation or business does not alter them.
        for model in apps.get_models():
            if issubclass(model, ReviewedRecord):
                records_fill_approved_content(model=model)
        if verbosity:
            for path, added, kept in loaded:
                self.stdout.write(
                    f"{path.name}: {added}件を追加、登録済みの{kept}件はそのままです。"
                )


def find_fixture(name: str) -> Path:
    for directory in settings.FIXTURE_DIRS:
        for candidate in (Path(directory) / name, Path(directory) / f"{name}.json"):
            if candidate.is_file():
                return candidate
    raise CommandError(f"初期データ「{name}」が fixtures/ にありません。")


def load_missing(path: Path, using: str = DEFAULT_DB_ALIAS) -> tuple[int, int]:
    """Add the fixture's objects whose primary key is not in the database; return
    (added, kept). All or nothing, in one transaction."""
    kept = 0
    added: list = []
    models = set()
    with transaction.atomic(using=using), path.open(encoding="utf-8") as stream:
        objects = list(serializers.deserialize("json", stream, using=using))
        existing: dict[type, set] = {}
        for obj in objects:
            model = type(obj.object)
            if model not in existing:
                existing[model] = set(model._base_manager.using(using).values_list("pk", flat=True))
            if obj.object.pk in existing[model]:
                kept += 1
                continue
            # A raw save (as loaddata's): the object's own fields and lists, no signals'
            # side effects, no history rows for data nobody typed.
            obj.save(using=using)
            existing[model].add(obj.object.pk)
            models.add(model)
            added.append(obj)
        for obj in added:
            if obj.deferred_fields:
                obj.save_deferred_fields(using=using)
        if models:
            # Explicit keys were written: later inserts must not reuse them.
            connection = connections[using]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
                    cursor.execute(sql)
    return len(added), kept
