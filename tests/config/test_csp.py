"""Content-Security-Policy: scripts and styles come only from our static files. Every
page of the project (every URL pattern, found by walking the resolver) is opened as a
user who may see it; each carries the policy, and no HTML page has an inline script, an
inline event handler, a style element or a style attribute that the policy would block."""

import re

import pytest

from tests.url_walk import Visitor, ensure_objects, routes_to_walk

pytestmark = pytest.mark.usefixtures("seed")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)


def _problems(response, url: str) -> list[str]:
    policy = response.get("Content-Security-Policy", "")
    if not policy:
        return [f"{url}: no Content-Security-Policy header"]
    found = []
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    if "'self'" not in script_src or "unsafe-inline" in script_src:
        found.append(f"{url}: script-src {script_src}")
    style_src = re.search(r"style-src ([^;]*)", policy).group(1)
    if style_src.strip() != "'self'":
        found.append(f"{url}: style-src {style_src}")
    if "frame-ancestors 'none'" not in policy or "object-src 'none'" not in policy:
        found.append(f"{url}: {policy}")
    if not response["Content-Type"].startswith("text/html"):
        return found
    html = response.content.decode()
    for rule in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE, JAVASCRIPT_URL):
        if match := rule.search(html):
            found.append(f"{url}: {html[max(match.start() - 60, 0) : match.end() + 60]!r}")
    return found


def test_every_page_carries_the_policy_and_no_inline_script_or_style():
    ensure_objects()
    routes, _skipped = routes_to_walk()
    visitor = Visitor()
    found, opened = [], 0
    for route in routes:
        try:
            for role, _user, url, response, _obj in visitor.open(route):
                if response.status_code != 200:
                    found.append(f"{route.path}: {url} gave {response.status_code} as {role}")
                    continue
                opened += 1
                found += _problems(response, url)
        except LookupError as error:
            found.append(str(error))
    assert not found, "\n".join(found)
    assert opened >= len(routes)
