"""Every template of the project, read as text: none carries what the
Content-Security-Policy blocks (a style attribute or element, an inline event handler, a
javascript: URL, an inline script). The page walk in tests/config/test_csp.py sees only
what the seed shows; this sees every branch of every template, the library templates we
override included."""

import re
from pathlib import Path

from django.conf import settings
from django.template.utils import get_app_template_dirs

BLOCKED = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "inline event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
}


def _project_templates() -> list[Path]:
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine["DIRS"]]
    dirs += [Path(d) for d in get_app_template_dirs("templates")]
    ours = [d for d in dirs if d.is_relative_to(settings.BASE_DIR) and ".venv" not in d.parts]
    return sorted(path for d in ours for path in d.rglob("*") if path.is_file())


def test_it_reads_every_template_directory():
    folders = {path.relative_to(settings.BASE_DIR).parts[0] for path in _project_templates()}
    assert {"templates", "consignments", "reviews", "publication", "printing"} <= folders


def test_no_template_carries_what_the_policy_blocks():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{text.count(chr(10), 0, match.start()) + 1}: {kind}"
        for path in _project_templates()
        for text in [path.read_text()]
        for kind, rule in BLOCKED.items()
        for match in rule.finditer(text)
    ]
    assert found == []


TITLE_BLOCK = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.S)


def test_every_title_block_is_plain_text():
    """A title block left open swallows the page's markup into <title> (the browser
    tab then shows HTML, and the content is gone from the page)."""
    found = [
        str(path.relative_to(settings.BASE_DIR))
        for path in _project_templates()
        for title in TITLE_BLOCK.findall(path.read_text())
        if "<" in title or "\n" in title.strip()
    ]
    assert found == []
