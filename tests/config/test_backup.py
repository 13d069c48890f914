"""`make backup` / `make restore`: a dump of the register restores into an empty database
with every record, history row and transition."""

import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command

from consignments.models import Consignment
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


# serialized_rollback, like every transactional test: the seed comes back after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_restores_every_record_history_row_and_transition(tmp_path):
    call_command("loaddata", "seed", verbosity=0)
    # A workflow step, so the dump holds a transition and a history row of our own.
    record_amend(actor=UserFactory(is_superuser=True), record=Consignment.objects.first())
    assert Transition.objects.filter(action=Action.AMEND).exists()
    source = database_url()
    before = _counts(source)
    dump = tmp_path / "backups" / "register.dump"
    subprocess.run(
        ["ops/backup.sh", str(dump)],
        cwd=ROOT,
        env={"DATABASE_URL": source, "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    assert dump.exists() and not Path(f"{dump}.partial").exists()

    target_name = f"restore_{uuid.uuid4().hex[:12]}"
    admin = database_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target_name}"')
    try:
        subprocess.run(
            ["ops/restore.sh", str(dump)],
            cwd=ROOT,
            env={"DATABASE_URL": database_url(target_name), "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
        )
        assert _counts(database_url(target_name)) == before
        assert before["consignments_consignment"] == 11
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{target_name}" WITH (FORCE)')


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
