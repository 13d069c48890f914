"""The one rule for text that a spreadsheet program could run as a formula, for CSV and
xlsx alike (docs/features/exchange.md, 「数式に見える文字列」).

A cell whose text starts with = + - @, a tab or a carriage return, or with the
full-width ＝ ＋ － ＠ (Japanese Excel turns those into formulas as well), is written with
one leading apostrophe. So is text that already starts with an apostrophe, so that
reading the cell back removes exactly the one apostrophe writing added: export and
import are inverses for every text, and a round trip changes nothing. A lone "-" (the
sheet's "nothing", also as － or −) is left as it is. An apostrophe a clerk typed before other text
("'03") is kept.
"""

from typing import Any

# U+2212 is the JIS X 0208 minus that stored text holds for a typed full-width －
# (notation.jis): the same key on the keyboard, so it is escaped too.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "\u2212")
_APOSTROPHE = "'"
# A minus alone is the sheets' "nothing" (the file book prints − for none): no formula.
_LONE_MINUS = {"-", "－", "\u2212"}


def _needs_escape(text: str) -> bool:
    return text.startswith((*FORMULA_START, _APOSTROPHE)) and text not in _LONE_MINUS


def escape_cell(value: Any) -> Any:
    """A cell's value as written to a CSV or xlsx file."""
    if isinstance(value, str) and _needs_escape(value):
        return _APOSTROPHE + value
    return value


def unescape_cell(value: Any) -> Any:
    """A cell's value as read from a CSV or xlsx file: escape_cell undone."""
    if isinstance(value, str) and value.startswith(_APOSTROPHE) and _needs_escape(value[1:]):
        return value[1:]
    return value
