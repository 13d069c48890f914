"""The JIS X 0208 rule (seed 002, 第9条): text exchanged with partner systems or printed
on official forms should stay within JIS X 0201 / JIS X 0208. Characters outside it
(髙, 﨑, ①, 𠮷) may not print or may be garbled when exchanged, so staff are warned."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

# Windows (CP932) enters these code points for JIS X 0208 characters; they are the same
# characters on paper, so they are not worth a warning.
_CP932_VARIANTS = str.maketrans(
    {
        "\uff0d": "\u2212",
        "\uff5e": "\u301c",
        "\u2225": "\u2016",
        "\uffe0": "\u00a2",
        "\uffe1": "\u00a3",
        "\uffe2": "\u00ac",
    }
)


def to_jis_x_0208(text: str) -> str:
    """Text with Windows' code points for JIS X 0208 characters (～ － ∥ ￠ ￡ ￢) replaced
    by the standard ones (〜 − ‖ ¢ £ ¬): stored and exported that way, text converts to
    JIS strictly. Half-width katakana (JIS X 0201) stays as typed."""
    return text.translate(_CP932_VARIANTS)


def to_jis_x_0208_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """data with every text value passed through to_jis_x_0208."""
    return {
        name: to_jis_x_0208(value) if isinstance(value, str) else value
        for name, value in data.items()
    }


# C0 control characters and DEL (U+0000–U+001F, U+007F) are invisible: they are stored,
# printed as boxes or nothing, and break partner systems' files. Refused in every text
# field; tab and line ends only where a field takes lines.
LINE_CONTROLS = "\t\n\r"


def is_control(char: str) -> bool:
    return char < "\x20" or char == "\x7f"


def control_characters(text: str, *, lines: bool) -> list[str]:
    """Distinct control characters of text a field refuses, in order of appearance."""
    allowed = LINE_CONTROLS if lines else ""
    return list(dict.fromkeys(c for c in text or "" if is_control(c) and c not in allowed))


class ControlCharacterValidator:
    """Refuses the control characters a field may not hold, with a Japanese message."""

    def __init__(self, *, lines: bool):
        self.lines = lines

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        found = control_characters(value, lines=self.lines)
        if found:
            codes = "、".join(f"U+{ord(c):04X}" for c in found)
            where = "" if self.lines else "（この項目ではタブと改行も使えません）"
            raise ValidationError(
                f"入力できない制御文字（{codes}）が含まれています{where}。"
                "取り除いてから保存してください。",
                code="control_characters",
            )


SINGLE_LINE = ControlCharacterValidator(lines=False)
MULTI_LINE = ControlCharacterValidator(lines=True)


def refuse_control_characters(model_classes: Iterable[type[models.Model]]) -> None:
    """Give every text field of these models the control-character check. It runs in
    full_clean, so every service write, import and admin form refuses such text. Added
    to the field's validators as built, not to its declaration, so no migration changes."""
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                validator = MULTI_LINE
            elif isinstance(field, models.CharField):
                validator = SINGLE_LINE
            else:
                continue
            if validator not in field.validators:
                field.validators.append(validator)


def _in_jis_x_0208(char: str) -> bool:
    char = char.translate(_CP932_VARIANTS)
    if char in LINE_CONTROLS:
        return True
    if is_control(char):
        return False
    if char.isascii() or "\uff61" <= char <= "\uff9f":  # JIS X 0201 roman and kana
        return True
    try:
        # Python's ISO-2022-JP codec is exactly JIS X 0201 Roman + JIS X 0208.
        char.encode("iso2022_jp")
    except UnicodeEncodeError:
        return False
    return True


def characters_outside_jis(text: str) -> list[str]:
    """Distinct characters of text outside JIS X 0208, in order of appearance."""
    seen: dict[str, None] = {}
    for char in text or "":
        if not _in_jis_x_0208(char):
            seen.setdefault(char)
    return list(seen)
