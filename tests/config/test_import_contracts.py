"""The import contracts in pyproject.toml hold, and they cover every package of the
project: `make test` fails on a broken layer even when lint is skipped, and a new app
cannot stay outside the layers by not being listed."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
CONFIG = tomllib.loads((BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]


def project_packages() -> set[str]:
    # The tests import every app; they are no layer of the project.
    return {path.parent.name for path in BASE_DIR.glob("*/__init__.py")} - {"tests"}


def test_it_checks_every_package():
    assert set(CONFIG["root_packages"]) == project_packages()


def test_it_puts_every_package_in_a_layer():
    (layers,) = (c["layers"] for c in CONFIG["contracts"] if c["id"] == "layers")
    listed = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    assert listed == project_packages()


def test_the_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [lint_imports, "--no-cache", "--no-logo"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout
