"""The JIS X 0208 rule (seed 002, 第9条): text exchanged with partner systems or printed
on official forms should stay within JIS X 0201 / JIS X 0208. Characters outside it
(髙, 﨑, ①, 𠮷) may not print or may be garbled when exchanged, so staff are warned."""

from collections.abc import Mapping
from typing import Any

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


def _in_jis_x_0208(char: str) -> bool:
    char = char.translate(_CP932_VARIANTS)
    if char.isascii() or "\uff61" <= char <= "\uff9f":  # JIS X 0201 roman and kana
        return True
    if char in "\n\r\t":
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
