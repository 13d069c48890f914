"""`make backup` / `make restore`: one archive of the database and the media files
restores into an empty system with every record, history row, transition and file; a
print job whose file is gone then says so (410) instead of failing."""

import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from consignments.models import Consignment
from printing.models import PrintJob
from reviews.workflow.models import Transition
from reviews.workflow.services import record_amend
from reviews.workflow.states import Action
from tests.database import database_url
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
COUNTED = [
    "consignments_consignment",
    "consignments_historicalconsignment",
    "linkages_linkage",
    "linkages_linkageitem",
    "reviews_transition",
    "reviews_consultation",
    "payments_flow",
    "auth_user",
]


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in COUNTED
        }


def _run(script: str, archive: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [script, str(archive)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        check=True,
        capture_output=True,
        text=True,
    )


# serialized_rollback, like every transactional test: the seed comes back after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_restores_every_record_history_row_transition_and_file(tmp_path, media_root):
    call_command("loaddata", "seed", verbosity=0)
    # A workflow step, so the dump holds a transition and a history row of our own.
    record_amend(actor=UserFactory(is_superuser=True), record=Consignment.objects.first())
    assert Transition.objects.filter(action=Action.AMEND).exists()
    job = PrintJob.objects.create(kind="form2", record_ids=[1], total=1, status="done")
    job.file.save("batch.pdf", ContentFile(b"%PDF-1.7 the batch"))
    source = database_url()
    before = _counts(source)
    archive = tmp_path / "backups" / "everything.tar.gz"
    _run("ops/backup.sh", archive, DATABASE_URL=source, MEDIA_ROOT=str(media_root))
    assert archive.exists() and not Path(f"{archive}.partial").exists()

    target_name = f"restore_{uuid.uuid4().hex[:12]}"
    admin = database_url("postgres")
    restored_media = tmp_path / "empty-system" / "media"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target_name}"')
    try:
        _run(
            "ops/restore.sh",
            archive,
            DATABASE_URL=database_url(target_name),
            MEDIA_ROOT=str(restored_media),
        )
        assert _counts(database_url(target_name)) == before
        assert before["consignments_consignment"] == 11
        with psycopg.connect(database_url(target_name)) as conn:
            (name,) = conn.execute(
                "SELECT file FROM printing_printjob WHERE id = %s", [job.pk]
            ).fetchone()
        assert name == job.file.name
        assert (restored_media / name).read_bytes() == b"%PDF-1.7 the batch"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{target_name}" WITH (FORCE)')


@pytest.mark.django_db
def test_a_print_job_whose_file_is_gone_says_so_in_japanese(client, media_root):
    user = UserFactory(is_staff=True, is_superuser=True)
    job = PrintJob.objects.create(
        kind="form2", record_ids=[1], total=1, status="done", requested_by=user
    )
    job.file.save("batch.pdf", ContentFile(b"%PDF-1.7"))
    # A restore without the files: the row still names it, the storage has none.
    (media_root / job.file.name).unlink()
    client.force_login(user)
    response = client.get(reverse("printing:job_file", args=[job.pk]))
    assert response.status_code == 410
    assert "PDFのファイルがありません" in response.content.decode()
    detail = client.get(reverse("printing:job_detail", args=[job.pk])).content.decode()
    assert 'id="job-file-gone"' in detail
    assert reverse("printing:job_file", args=[job.pk]) not in detail


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    archive = tmp_path / "old.dump"
    archive.write_bytes(b"PGDMP not an archive")
    result = subprocess.run(
        ["ops/restore.sh", str(archive)],
        cwd=ROOT,
        env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "バックアップの形式ではありません" in result.stderr


def test_restore_refuses_a_missing_file(tmp_path):
    result = subprocess.run(
        ["ops/restore.sh", str(tmp_path / "none.dump")],
        cwd=ROOT,
        env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "ファイルがありません" in result.stderr
