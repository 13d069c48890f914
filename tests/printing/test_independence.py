"""`printing` is shared by every app and imports none of them (apps register their
forms with it instead), so it can never become a knot in the dependency graph."""

import ast
from pathlib import Path

from django.conf import settings

PROJECT_APPS = {"registry", "reviews", "consignments", "linkages", "payments", "filebook"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_it_imports_no_project_app():
    printing = Path(settings.BASE_DIR) / "printing"
    offenders = {
        f"{path.relative_to(printing)}: {name}"
        for path in printing.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in PROJECT_APPS
    }
    assert offenders == set()
