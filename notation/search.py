"""Search text as residents type it: full- and half-width forms, upper and lower case,
hiragana and katakana all match (ＮＴＴ = ntt, ｴﾇ = エヌ = えぬ). The same folding is
applied to what is stored (the write services keep folded columns) and to what is
searched, so the database compares plain text on PostgreSQL and on SQLite alike."""

import unicodedata

# Hiragana ぁ (U+3041) … ゖ (U+3096) sit 0x60 below their katakana.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_HIRAGANA_TO_KATAKANA).strip()
