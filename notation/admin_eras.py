"""Era dates and fiscal years in the admin, as everywhere else: read-only dates and times
(令和元年5月1日, 令和8年11月30日 13:05), and year filters by fiscal year (令和8年度)
instead of Django's Gregorian years."""

import datetime as dt

from django.contrib import admin
from django.db import models
from django.utils import timezone

from notation import wareki


def era_text(value: dt.date | dt.datetime, *, month_only: bool = False) -> str:
    """A date, month or local date and time in the era."""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{wareki.format_date(local.date())} {local:%H:%M}"
    if month_only:
        return wareki.format_month(value)
    return wareki.format_date(value)


def fiscal_year_filter(field_name: str, title: str = "年度") -> type[admin.SimpleListFilter]:
    """A list filter by fiscal year (April to March) of a date, date-time or year field,
    offering the years the records span, newest first."""

    class FiscalYearFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}_fy"

        def lookups(self, request, model_admin):
            values = model_admin.get_queryset(request).values_list(field_name, flat=True)
            years = {self._fiscal_year(value) for value in values if value is not None}
            return [(str(year), wareki.format_fiscal_year(year)) for year in sorted(years)[::-1]]

        def queryset(self, request, queryset):
            if not self.value() or not self.value().isdigit():
                return queryset
            year = int(self.value())
            field = queryset.model._meta.get_field(field_name)
            if not isinstance(field, models.DateField):
                return queryset.filter(**{field_name: year})
            start, end = dt.date(year, 4, 1), dt.date(year + 1, 4, 1)
            if isinstance(field, models.DateTimeField):
                zone = timezone.get_current_timezone()
                start, end = (
                    dt.datetime.combine(day, dt.time(), tzinfo=zone) for day in (start, end)
                )
            return queryset.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})

        @staticmethod
        def _fiscal_year(value) -> int:
            if isinstance(value, dt.datetime):
                value = timezone.localtime(value).date() if timezone.is_aware(value) else value
            return wareki.fiscal_year(value) if isinstance(value, dt.date) else int(value)

    FiscalYearFilter.title = title
    FiscalYearFilter.__name__ = f"FiscalYearFilter_{field_name}"
    return FiscalYearFilter


def era_column(field_name: str, description: str):
    """A changelist column showing a date or date-time field in the era, sortable."""

    @admin.display(description=description, ordering=field_name)
    def column(obj) -> str:
        value = getattr(obj, field_name)
        return era_text(value) if value is not None else ""

    column.__name__ = f"{field_name}_era"
    return column
