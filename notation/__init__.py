"""Japanese notation: era dates (和暦), full-width numbers (全角) and the JIS X 0208 rule.

The bottom of the project: every app uses it and it imports none of them."""
