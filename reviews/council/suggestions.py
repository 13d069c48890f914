"""Which pre-approval categories fit what a section has described.

Japanese has no spaces, so texts are compared as character bigrams, each weighted by how
rare it is across the categories (a bigram every category shares, like 収納, tells
nothing). Examples count more than the rule text: a new record usually resembles an
earlier case more than the abstract rule. The system ranks; the reviewer decides.

Below NO_FIT_THRESHOLD even the best category shares only common words with the
description (業務, 委託): `assess` then says that no category fits and a consultation
(諮問) is needed, with the score and the words that matched as the reason.
"""

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from reviews.council.models import PreApprovalCategory

EXAMPLE_WEIGHT = 2.0
# The seed's fitting descriptions score 1.4 and more (区民税の収納業務を委託); a 保育園給食
# allergy list, which fits no category, scores 0.6 on 業務 and 委託 alone.
NO_FIT_THRESHOLD = 1.0


@dataclass
class Suggestion:
    category: PreApprovalCategory
    score: float
    matching_examples: list[str] = field(default_factory=list)
    #: the description's character pairs the category shares, most telling first
    shared_terms: list[str] = field(default_factory=list)


@dataclass
class Assessment:
    """The ranked categories, and whether none fits well enough to apply a category."""

    suggestions: list[Suggestion]
    needs_consultation: bool
    reason: str = ""


def _bigrams(text: str) -> Counter:
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(ch for ch in text if ch.isalnum())
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _similarity(query: Counter, document: Counter, idf: dict[str, float]) -> float:
    shared = query.keys() & document.keys()
    return sum(idf.get(gram, 0.0) * min(query[gram], document[gram]) for gram in shared)


def rank_categories(description: str, categories=None) -> list[Suggestion]:
    """Categories ordered from best fit to worst; those sharing nothing are left out."""
    if categories is None:
        categories = PreApprovalCategory.objects.prefetch_related("examples")
    categories = list(categories)
    documents = {
        category.pk: (
            _bigrams(category.rule),
            [(example.text, _bigrams(example.text)) for example in category.examples.all()],
        )
        for category in categories
    }
    document_frequency: Counter = Counter()
    for rule_grams, examples in documents.values():
        grams = set(rule_grams)
        for _, example_grams in examples:
            grams |= set(example_grams)
        document_frequency.update(grams)
    total = len(categories)
    idf = {
        gram: math.log((1 + total) / (1 + count)) + 0.1
        for gram, count in document_frequency.items()
    }

    query = _bigrams(description)
    suggestions = []
    for category in categories:
        rule_grams, examples = documents[category.pk]
        score = _similarity(query, rule_grams, idf)
        shared = set(query) & set(rule_grams)
        matching = []
        for text, example_grams in examples:
            example_score = _similarity(query, example_grams, idf)
            if example_score > 0:
                score += EXAMPLE_WEIGHT * example_score
                matching.append((example_score, text))
                shared |= set(query) & set(example_grams)
        if score > 0:
            matching.sort(reverse=True)
            terms = sorted(shared, key=lambda gram: (-idf.get(gram, 0.0), gram))
            suggestions.append(
                Suggestion(category, round(score, 3), [t for _, t in matching], terms)
            )
    return sorted(suggestions, key=lambda s: (-s.score, s.category.chapter, s.category.number))


def assess(description: str, categories=None) -> Assessment:
    """rank_categories, with a verdict: below NO_FIT_THRESHOLD no category fits and the
    item needs a consultation (the reviewer still decides)."""
    suggestions = rank_categories(description, categories)
    if not suggestions:
        return Assessment([], True, "入力内容と共通する語を含む類型も事例もありません。")
    best = suggestions[0]
    if best.score >= NO_FIT_THRESHOLD:
        return Assessment(suggestions, False)
    terms = "、".join(f"「{term}」" for term in best.shared_terms[:5])
    return Assessment(
        suggestions,
        True,
        f"最も近い類型 {best.category.printed_number} でも一致度が {best.score:.1f} で、"
        f"目安の {NO_FIT_THRESHOLD:.1f} に届きません（共通するのは {terms} だけです）。",
    )
