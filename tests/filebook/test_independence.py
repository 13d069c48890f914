"""Nothing imports `filebook` except the project's configuration: it registers its
check with payments.rules and its PDF with printing.kinds from its AppConfig.ready()."""

from pathlib import Path

from django.conf import settings

from tests.printing.test_independence import imported_modules

ALLOWED = {"filebook", "config", "tests", ".venv"}


def test_no_app_imports_filebook():
    base = Path(settings.BASE_DIR)
    offenders = {
        str(path.relative_to(base))
        for path in base.rglob("*.py")
        if path.relative_to(base).parts[0] not in ALLOWED
        and any(name.split(".")[0] == "filebook" for name in imported_modules(path))
    }
    assert offenders == set()
