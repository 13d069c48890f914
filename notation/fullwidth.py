"""How the official forms write numbers: full-width digits and dashes (全角)."""

_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
# Addresses print 豊洲３－３－３; registration numbers ０４０４―０１ (a horizontal bar).
_FULLWIDTH_ADDRESS = str.maketrans("0123456789-", "０１２３４５６７８９－")


def to_fullwidth_digits(text: str) -> str:
    return text.translate(_FULLWIDTH_DIGITS)


def business_number(number: str) -> str:
    """0404-01 -> ０４０４―０１"""
    return to_fullwidth_digits(number).replace("-", "―")


def address(text: str) -> str:
    """東京都江東区豊洲3-3-3 -> 東京都江東区豊洲３－３－３"""
    return text.translate(_FULLWIDTH_ADDRESS)


def category_number(chapter: int, number: int) -> str:
    """Chapter 3, category 17 -> ３‐１７ (as 事前一括承認基準(３‐１７))."""
    return to_fullwidth_digits(f"{chapter}‐{number}")
