"""Date fields that accept and show the Japanese era (和暦).

Stored as ordinary dates; typed as 令和2年1月1日, R2.1.1, 平成32年1月1日 or 2020-01-01;
shown back in the era, the way the paper forms are filled in.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from notation import wareki


class WarekiDateInput(forms.TextInput):
    def __init__(self, attrs=None, *, month_only: bool = False):
        self.month_only = month_only
        placeholder = "例: 令和2年1月" if month_only else "例: 令和2年1月1日 / R2.1.1 / 2020-01-01"
        super().__init__({"placeholder": placeholder, "size": 20} | (attrs or {}))

    def format_value(self, value):
        if isinstance(value, dt.date):
            return wareki.format_month(value) if self.month_only else wareki.format_date(value)
        return super().format_value(value)


class WarekiDateFormField(forms.Field):
    month_only = False

    def __init__(self, *, widget=None, **kwargs):
        kwargs.pop("input_formats", None)
        super().__init__(widget=widget or WarekiDateInput(month_only=self.month_only), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return wareki.parse_month(value) if self.month_only else wareki.parse_date(value)
        except wareki.WarekiError as error:
            raise ValidationError(str(error), code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


class WarekiMonthFormField(WarekiDateFormField):
    month_only = True


class WarekiDateField(models.DateField):
    """A date entered and shown in the Japanese era or the Gregorian calendar."""

    form_class = WarekiDateFormField

    def formfield(self, **kwargs):
        # The admin's calendar widget would write ISO dates back; the era text box wins.
        kwargs.pop("widget", None)
        return super().formfield(**{"form_class": self.form_class} | kwargs)


class WarekiMonthField(WarekiDateField):
    """A year and month (e.g. 結合年月日 令和2年1月), stored as the first day of the month."""

    form_class = WarekiMonthFormField
