"""What the README and docs/ say about the code's structure is checked here, not trusted:
every repository path they name exists, every project app is named in the architecture
page and the glossary, and the layer order the architecture page draws is the one
import-linter enforces."""

import functools
import importlib
import os
import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
# A repository path as the docs write one: no blanks, placeholders (<app>) or URLs.
PATH = re.compile(r"[A-Za-z0-9_.\-/]+")
PATH_ENDINGS = (".py", ".html", ".md", ".sh")


def _prose(doc: Path) -> str:
    return FENCE.sub("", doc.read_text(encoding="utf-8"))


def _named_paths(text: str) -> set[str]:
    return {
        span
        for span in CODE.findall(text)
        if PATH.fullmatch(span)
        and not span.startswith(("/", "."))
        and ("/" in span or span.endswith(PATH_ENDINGS))
    }


# Not the repository's own files: the virtualenv, collected static files, runtime output.
SKIPPED_DIRS = {".git", ".venv", "staticfiles", "media", "node_modules", "__pycache__"}


@functools.cache
def _repository() -> tuple[set[str], set[str]]:
    """(every file and folder path under ROOT, every file name)."""
    paths, names = set(), set()
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_DIRS]
        here = Path(folder).relative_to(ROOT)
        paths.update(str(here / name) for name in [*subfolders, *files])
        names.update(files)
    return paths, names


def _exists(path: str) -> bool:
    paths, names = _repository()
    if "/" not in path:
        return path in names  # a file named beside its folder: `reviews/workflow/`: `states.py`
    if path.rstrip("/") in paths:
        return True
    # Templates are named as Django finds them (admin/reviews/workflow_step.html).
    return path.endswith(".html") and any(p.endswith(f"templates/{path}") for p in paths)


def test_it_finds_every_path_the_docs_name():
    missing = [
        f"{doc.relative_to(ROOT)}: `{path}`"
        for doc in DOCS
        for path in sorted(_named_paths(_prose(doc)))
        if not _exists(path)
    ]
    assert not missing, "paths named in the docs that do not exist:\n" + "\n".join(missing)


def test_it_finds_every_file_the_docs_link_to():
    missing = [
        f"{doc.relative_to(ROOT)}: ({target})"
        for doc in DOCS
        for target in LINK.findall(_prose(doc))
        if not target.startswith(("http://", "https://", "mailto:", "#"))
        and not (doc.parent / target.split("#")[0]).exists()
    ]
    assert not missing, "broken links in the docs:\n" + "\n".join(missing)


def _resolves(dotted: str) -> bool:
    """Whether `module.name…` names something importable: the longest module prefix, then
    attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_it_finds_every_module_and_function_the_docs_name():
    apps = "|".join(_project_apps())
    dotted = re.compile(rf"(?:{apps})(?:\.[A-Za-z_]\w*)+")
    missing = [
        f"{doc.relative_to(ROOT)}: `{span}`"
        for doc in DOCS
        for span in sorted(set(CODE.findall(_prose(doc))))
        if dotted.fullmatch(span) and not _resolves(span)
    ]
    assert not missing, "names in the docs that do not resolve:\n" + "\n".join(missing)


def _project_apps() -> list[str]:
    tops = {entry.split(".")[0] for entry in settings.INSTALLED_APPS}
    return sorted(name for name in tops if (ROOT / name / "__init__.py").exists())


def test_the_architecture_page_and_the_glossary_name_every_app():
    apps = _project_apps()
    assert "reviews" in apps and "config" in apps
    for page in ("architecture.md", "glossary.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        unnamed = [app for app in apps if f"`{app}/" not in text]
        assert not unnamed, f"docs/{page} does not name {unnamed}"


def _layer_lines(layers: list[str]) -> list[str]:
    # "a | b" and "a|b" are the same layer line.
    return [" | ".join(part.strip() for part in line.split("|")) for line in layers]


def _documented_layers() -> list[str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"^```layers\n(.*?)^```", text, re.S | re.M)
    assert block, "docs/architecture.md has no ```layers block"
    return _layer_lines([line for line in block.group(1).splitlines() if line.strip()])


def _enforced_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config.get("tool", {}).get("importlinter", {}).get("contracts", [])
    # The project's layers contract is the one with config on top; reviews may have its own.
    layered = [c for c in contracts if c.get("type") == "layers" and c["layers"][0] == "config"]
    assert len(layered) == 1, (
        "pyproject.toml needs one import-linter layers contract topped by config"
    )
    return _layer_lines(layered[0]["layers"])


def test_the_documented_layers_are_the_enforced_ones():
    assert _documented_layers() == _enforced_layers()
