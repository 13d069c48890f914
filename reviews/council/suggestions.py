"""Which pre-approval categories fit what a section has described.

Japanese has no spaces, so texts are compared as character bigrams, each weighted by how
rare it is across the categories (a bigram every category shares, like 収納, tells
nothing). Examples count more than the rule text: a new record usually resembles an
earlier case more than the abstract rule. The system ranks; the reviewer decides.
"""

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from reviews.council.models import PreApprovalCategory

EXAMPLE_WEIGHT = 2.0


@dataclass
class Suggestion:
    category: PreApprovalCategory
    score: float
    matching_examples: list[str] = field(default_factory=list)


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
        matching = []
        for text, example_grams in examples:
            example_score = _similarity(query, example_grams, idf)
            if example_score > 0:
                score += EXAMPLE_WEIGHT * example_score
                matching.append((example_score, text))
        if score > 0:
            matching.sort(reverse=True)
            suggestions.append(Suggestion(category, round(score, 3), [t for _, t in matching]))
    return sorted(suggestions, key=lambda s: (-s.score, s.category.chapter, s.category.number))
