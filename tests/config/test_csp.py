"""Content-Security-Policy: scripts and styles come only from our static files. Every
URL pattern of the project (found by walking the resolver) is opened as a user who may
see it, or accounted for by a rule of tests/url_walk.py; each opened page carries the
policy, and no HTML page has an inline script, an inline event handler, a style element,
a style attribute or a javascript: URL that the policy would block."""

import os
import re

import pytest

from tests.url_walk import Page, Walk

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)
# "seed" only tells pytest-django the tests need the (seeded) test database; the walk is
# the session's (tests/conftest.py).
pytestmark = [pytest.mark.usefixtures("seed"), pytest.mark.xdist_group("url-walk")]


@pytest.fixture
def walk(url_walk) -> Walk:
    return url_walk


def test_the_walk_s_tests_share_one_worker(request):
    # The walk takes about 15 s; its tests are grouped so one worker walks once, which
    # pytest-xdist shows by the group's name at the end of the node id.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        assert request.node.nodeid.endswith("@url-walk"), request.node.nodeid


def _problems(page: Page) -> list[str]:
    policy = page.headers.get("Content-Security-Policy", "")
    if not policy:
        return [f"{page.url}: no Content-Security-Policy header"]
    found = []
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    if "'self'" not in script_src or "unsafe-inline" in script_src:
        found.append(f"{page.url}: script-src {script_src}")
    style_src = re.search(r"style-src ([^;]*)", policy).group(1)
    if style_src.strip() != "'self'":
        found.append(f"{page.url}: style-src {style_src}")
    if "frame-ancestors 'none'" not in policy or "object-src 'none'" not in policy:
        found.append(f"{page.url}: {policy}")
    if not page.headers.get("Content-Type", "").startswith("text/html"):
        return found
    html = page.content.decode()
    for rule in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE, JAVASCRIPT_URL):
        if match := rule.search(html):
            found.append(f"{page.url}: {html[max(match.start() - 60, 0) : match.end() + 60]!r}")
    return found


def test_every_url_pattern_is_opened_or_skipped_with_a_reason(walk):
    assert not walk.failures, "\n".join(walk.failures)
    assert len(walk.pages) > 150


def test_every_page_carries_the_policy_and_no_inline_script_or_style(walk):
    found = [problem for page in walk.pages for problem in _problems(page)]
    assert not found, "\n".join(found)
