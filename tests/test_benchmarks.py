"""Every script in benchmarks/ runs at its smallest size in `make test`, so none of them
rots; the measured figures themselves are read by people, not asserted here."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.database import database_url, template_name

ROOT = Path(__file__).resolve().parent.parent


SMALLEST = {
    "pages.py": ["60", "50", "3"],
    "imports.py": ["50"],
    # Two forms: the least that gives each of the two-worker batch's halves a form.
    "pdf.py": ["--sizes", "2", "--repeat", "0"],
    # Two sizes, so the comparison runs too; a request a page for the CPU pass.
    "load.py": [
        *("--records", "5,10", "--users", "4", "--seconds", "1"),
        *("--flood", "1", "--cpu-requests", "1"),
    ],
}


def _copying(script: str) -> list[str]:
    # load.py makes a database of its own: a copy of the suite's migrated template; pdf.py
    # fills the test database rather than migrating a new SQLite file (13 s).
    if script == "load.py":
        return ["--template", template_name()]
    return ["--database-url", database_url()] if script == "pdf.py" else []


def test_every_benchmark_is_covered():
    assert {p.name for p in (ROOT / "benchmarks").glob("*.py")} == set(SMALLEST)


# serialized_rollback, like every transactional test: the seed comes back after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("script", sorted(SMALLEST))
def test_it_runs_at_its_smallest_size(script):
    env = os.environ | {"DATABASE_URL": database_url(), "SECRET_KEY": "benchmark"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *SMALLEST[script], *_copying(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # A missed target is the script's verdict for people to read (exit 1 with the table);
    # anything else, a crash above all, is rot.
    missed_target = result.returncode == 1 and "TOO SLOW" in result.stdout
    assert result.returncode == 0 or missed_target, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert result.stdout.strip()
