"""Which sections may hold what a request names, to help the 窓口 ask the right ones:
業務 (from the shared registers) and, through providers config.wiring registers, the
個人情報ファイル簿, scored by the two-character sequences their names share with the
request's words (Japanese has no spaces to split on). The system suggests; the clerk
asks."""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from registry.models import Business, Section

MIN_SHARED = 2
LIMIT = 8
# Words every request and register shares, which say nothing about where the data is.
COMMON = {
    "業務",
    "関す",
    "する",
    "の記",
    "記録",
    "情報",
    "個人",
    "人情",
    "事務",
    "に関",
    "ファ",
    "ァイ",
    "イル",
}


@dataclass(frozen=True)
class Suggestion:
    section: Section
    label: str  # 業務 0404-01 特別区民税・都民税に関する業務
    score: int


Provider = Callable[[set[str]], Iterable[Suggestion]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def bigrams(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text)
    pairs = set()
    for run in re.findall(r"[\w・ー]+", text):
        pairs.update(run[i : i + 2] for i in range(len(run) - 1))
    return pairs - COMMON


def shared(words: set[str], text: str) -> int:
    return len(words & bigrams(text))


def _businesses(words: set[str]) -> Iterable[Suggestion]:
    for business in Business.objects.select_related("section"):
        yield Suggestion(
            business.section,
            f"業務 {business.number} {business.name}",
            shared(words, business.name),
        )


def suggest(text: str) -> list[Suggestion]:
    words = bigrams(text)
    found = [s for provider in [_businesses, *_providers] for s in provider(words)]
    found = [s for s in found if s.score >= MIN_SHARED]
    return sorted(found, key=lambda s: -s.score)[:LIMIT]
