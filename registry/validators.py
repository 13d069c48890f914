import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


@deconstructible
class BusinessNumberValidator:
    """業務登録番号 follows the ward's pattern, read from settings at validation time so a
    ward can change it without a migration."""

    def __call__(self, value: str) -> None:
        # ASCII: \d must not match full-width digits, which belong only on the printed form.
        if not re.fullmatch(settings.BUSINESS_NUMBER_PATTERN, value or "", flags=re.ASCII):
            raise ValidationError(
                "業務登録番号「%(value)s」の形式が正しくありません（例: %(example)s）。",
                code="invalid_business_number",
                params={"value": value, "example": settings.BUSINESS_NUMBER_EXAMPLE},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BusinessNumberValidator)
