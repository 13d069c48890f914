"""What `manage.py import` and `manage.py export` share: which register a name means,
whose rights apply (`--user`), and the file names exports are given.

Both take a register's resource (the one the admin uses, with its checks and the review
workflow), never the library's plain model route, which writes and reads any field. The
registers are the resources EXCHANGE_RESOURCES names: the apps that own them are found
through that one list, never imported from here."""

import contextlib
import datetime as dt

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import models
from django.utils.module_loading import import_string

from exchange.resources import RegisterResource
from printing.http import dated_attachment, dated_file_name


def register_resources() -> dict[str, type[RegisterResource]]:
    """The resource of every register in EXCHANGE_RESOURCES, by its model's label."""
    resources = {}
    for path in settings.EXCHANGE_RESOURCES:
        resource_class = import_string(path)
        resources.setdefault(resource_class._meta.model._meta.label_lower, resource_class)
    return resources


def register_resource(name: str, *, verb: str = "取り込めません") -> type[RegisterResource]:
    """The resource a command's argument names, if it is a register's."""
    try:
        found = import_string(name)
    except ImportError:
        found = None
    if isinstance(found, type) and issubclass(found, RegisterResource):
        return found
    resources = register_resources()
    label = name.lower()
    if found is None and label.count(".") == 1:
        with contextlib.suppress(LookupError, ValueError):
            label = apps.get_model(name)._meta.label_lower
    if label in resources:
        return resources[label]
    names = "、".join(sorted(r.__module__ + "." + r.__name__ for r in set(resources.values())))
    raise CommandError(f"「{name}」は{verb}。扱えるのは台帳（{names}）だけです。")


def command_user(username: str | None):
    """The user a `--user` names, or None when none is given."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"ユーザー「{username}」が見つかりません。") from None


def file_error(path, error: OSError, verb: str) -> CommandError:
    """A file the command cannot read or write, in Japanese (strerror is English)."""
    if isinstance(error, FileNotFoundError):
        return CommandError(f"ファイル「{path}」が見つかりません。")
    why = "（権限がありません）" if isinstance(error, PermissionError) else ""
    return CommandError(f"ファイル「{path}」を{verb}{why}。")


def export_file_name(model: type[models.Model], extension: str, on: dt.date | None = None) -> str:
    """外部委託記録票_20261130.xlsx: the register and the day, as every download is named."""
    return dated_file_name(str(model._meta.verbose_name), extension, on)


def export_disposition(model: type[models.Model], extension: str, on: dt.date | None = None) -> str:
    """The Content-Disposition of a register's file: its Japanese name, and the model's
    name (consignment_20261130.xlsx) for a client that reads only ASCII."""
    return dated_attachment(str(model._meta.verbose_name), model._meta.model_name, extension, on)
