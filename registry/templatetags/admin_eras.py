from django import template
from django.contrib.admin.helpers import AdminReadonlyField
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from notation.admin_eras import era_text
from registry.fields import WarekiMonthField

register = template.Library()


@register.filter
def readonly_contents(field: AdminReadonlyField) -> str:
    """A read-only field's contents, with model dates and times in the era (Django's own
    display writes 2019年4月1日) and yes/no as words (Django's is an icon whose text
    is alt="False")."""
    name = field.field["name"]
    if isinstance(name, str):
        try:
            model_field = field.form._meta.model._meta.get_field(name)
        except (FieldDoesNotExist, AttributeError):
            model_field = None
        if isinstance(model_field, models.BooleanField):
            value = getattr(field.form.instance, name, None)
            if value is not None:
                return "該当" if value else "非該当"
        if isinstance(model_field, models.DateField):
            value = getattr(field.form.instance, name, None)
            if value is not None:
                return era_text(value, month_only=isinstance(model_field, WarekiMonthField))
    return field.contents()
