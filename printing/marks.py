"""Checkboxes as the official forms print them: every label, ■ when ticked, □ when not."""

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


def blank(width: int) -> str:
    """An empty space to write in by hand, in ideographic spaces (white-space never
    collapses them, so the gap keeps its width in the PDF)."""
    return "\u3000" * width
