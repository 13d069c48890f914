"""Checkboxes as the official forms print them: every label, ■ when ticked, □ when not."""

from collections.abc import Iterable
from dataclasses import dataclass

CHECKED = "■"
UNCHECKED = "□"


@dataclass(frozen=True)
class Checkbox:
    checked: bool
    label: str

    @property
    def mark(self) -> str:
        return CHECKED if self.checked else UNCHECKED

    def __str__(self) -> str:
        return f"{self.mark} {self.label}"


def checkbox_list(options: Iterable, chosen: Iterable) -> list[Checkbox]:
    """Every option in its order, ticked when it is among `chosen` (compared by pk)."""
    chosen_pks = {option.pk for option in chosen}
    return [Checkbox(option.pk in chosen_pks, option.label) for option in options]


def blank(width: int) -> str:
    """An empty space to write in by hand, in ideographic spaces (white-space never
    collapses them, so the gap keeps its width in the PDF)."""
    return "\u3000" * width
