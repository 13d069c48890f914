"""The column types every register's spreadsheet resource is built from, and the base
resource (RegisterResource) the registers' own resources extend.

Spreadsheets identify records by what a clerk sees (業務登録番号, 名称と住所), never by
database ids, and accept what other wards' Excel registers contain: era dates in any
usual notation, Excel date cells, full-width digits, ■/○/✓/1 for ticked boxes.
"""

import copy
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.utils.encoding import force_str
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader

from notation import wareki
from notation.jis import to_jis_x_0208

# What clerks type for a ticked or an empty box. Anything else is refused, so a typo
# never silently unticks a condition of the contract.
TICKED = {
    "■",
    "☑",
    "○",
    "◯",
    "●",
    "◎",
    "✓",
    "✔",
    "レ",
    "1",
    "はい",
    "有",
    "あり",
    "TRUE",
    "YES",
    "Y",
}
UNTICKED = {"□", "☐", "", "0", "いいえ", "無", "なし", "×", "✗", "✕", "ー", "-", "FALSE", "NO", "N"}
LIST_SEPARATOR = "、"
_LIST_SPLIT = re.compile(r"[、,，;；\n]+")
# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def normalise_text(value: Any) -> str:
    """Full-width digits and letters to ASCII, surrounding blanks removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def stored_text(value: Any) -> str:
    """Text as the services store it: surrounding blanks removed, Windows' look-alikes as
    their JIS X 0208 characters, full-width letters kept (ＤＸ is not DX). Cells that name
    a record by its text (a contractor, a partner) are looked up in this form, so an
    exported name finds its record again; numbers Excel stored as numbers lose '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return to_jis_x_0208(str(value).strip())


def normalise_header(header: Any) -> str:
    text = normalise_text(header).replace(" ", "")
    return text.replace("(", "（").replace(")", "）").replace(":", "：")


_OPENING, _CLOSING = "（(「『【", "）)」』】"


def split_list(value: Any) -> list[str]:
    """Split a cell of items at 、 , ; or line breaks, but not inside brackets:
    車両番号（標板番号、分類番号）is one item. Item names keep their full-width text."""
    text = "" if value is None else str(value)
    parts, current, depth = [], [], 0
    for char in text:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        if depth == 0 and _LIST_SPLIT.fullmatch(char):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


# --- widgets: one cell <-> one Python value -------------------------------------------


class TextWidget(widgets.CharWidget):
    """Text as typed, in the form the services store it (stored_text), so a natural key
    cell finds its record."""

    def clean(self, value, row=None, **kwargs):
        return stored_text(value)

    def comparable(self, value) -> str:
        """A cell as this column reads it: ＤＸ and DX are different text."""
        return stored_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class NumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value)
        if not text:
            return None
        if not re.fullmatch(r"\d+", text):
            raise ValueError("数字で入力してください。")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class WarekiDateWidget(widgets.Widget):
    """和暦で書き出し、和暦・西暦・H31.4.1・Excel の日付セルを読み込む。"""

    def __init__(self, *, month_only: bool = False):
        super().__init__()
        self.month_only = month_only

    def clean(self, value, row=None, **kwargs) -> dt.date | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.replace(day=1) if self.month_only else value
        if isinstance(value, int | float) and not isinstance(value, bool):
            # A date cell read without its format arrives as Excel's serial number.
            if not 1 <= value < 2958466:
                raise ValueError("日付として読めません。")
            date = _EXCEL_EPOCH + dt.timedelta(days=int(value))
            return date.replace(day=1) if self.month_only else date
        text = normalise_text(value)
        if not text:
            return None
        # WarekiError is a ValueError carrying a Japanese message.
        return wareki.parse_month(text) if self.month_only else wareki.parse_date(text)

    def render(self, value, obj=None, **kwargs) -> str:
        if not value:
            return ""
        return wareki.format_month(value) if self.month_only else wareki.format_date(value)


def parse_tick(value: Any) -> bool:
    text = normalise_text(value).upper()
    if text in TICKED:
        return True
    if text in UNTICKED:
        return False
    raise ValueError("チェック欄は ■（あり）か □（なし）で入力してください（○・✓・1 も可）。")


class TickWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        return parse_tick(value)

    def render(self, value, obj=None, **kwargs) -> str:
        return "■" if value else "□"


class LookupWidget(widgets.Widget):
    """A cell naming a related record by its natural key. Looked-up records are cached
    for the duration of one import so a 10,000-row file does not query per row."""

    def __init__(
        self,
        *,
        find: Callable[[str], Any],
        show: Callable[[Any], str],
        normalise: Callable[[Any], str] = normalise_text,
    ):
        super().__init__()
        self.find = find
        self.show = show
        self.normalise = normalise
        self.cache: dict[str, Any] = {}

    def clean(self, value, row=None, **kwargs):
        key = self.normalise(value)
        if not key:
            return None
        if key not in self.cache:
            self.cache[key] = self.find(key)
        return self.cache[key]

    def comparable(self, value) -> str:
        """A cell as this column reads it: two spellings that find the same record."""
        return self.normalise(value)

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else self.show(value)


class LookupListWidget(LookupWidget):
    """Several related records in one cell, separated by 「、」 or line breaks."""

    def clean(self, value, row=None, **kwargs) -> list:
        return [super(LookupListWidget, self).clean(part) for part in split_list(value)]

    def render(self, value, obj=None, **kwargs) -> str:
        return LIST_SEPARATOR.join(self.show(item) for item in value or [])


# --- columns: one header <-> one attribute --------------------------------------------


class Column(fields.Field):
    """A column whose errors name the column and the value, in Japanese."""

    def __init__(self, attribute: str, column_name: str, widget=None, **kwargs):
        super().__init__(
            attribute=attribute, column_name=column_name, widget=widget or TextWidget(), **kwargs
        )

    def clean(self, row, **kwargs):
        try:
            return super().clean(row, **kwargs)
        except ValueError as error:
            raise ValueError(
                cell_message(self.column_name, row.get(self.column_name), error)
            ) from None

    def pending(self, instance) -> dict:
        return instance.__dict__.setdefault("_import_pending", {})

    def exporter(self, shared: dict) -> Callable[[Any], Any]:
        """The cell of a record just read for an export (RegisterResource.export_rows),
        as export() renders it. `shared` is one dict per export, for what columns may
        read once per row between them."""
        return self.export


def cell_message(column: str, value: Any, reason: Any) -> str:
    shown = "" if value is None else str(value)
    return f"「{column}」の値「{shown}」: {reason}"


class RelatedListColumn(Column):
    """A many-to-many relation as one cell. The value is kept on the instance until it
    has been saved (a new record has no id yet), then written by save_m2m()."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        self.pending(instance)[self.attribute] = self.clean(row, **kwargs)

    def get_value(self, instance):
        pending = instance.__dict__.get("_import_pending", {})
        if self.attribute in pending:
            items = pending[self.attribute]
        elif instance.pk is None:
            items = []
        else:
            items = list(getattr(instance, self.attribute).all())
        return sorted(items, key=lambda item: item.pk)

    def exporter(self, shared: dict) -> Callable[[Any], Any]:
        items_of = shared.get(f"{self.attribute}:items")
        if items_of is None:
            return self.export
        render = self.widget.render
        return lambda instance: render(sorted(items_of(instance), key=lambda item: item.pk))


class CheckboxColumn(Column):
    """One label of a form's checkbox list as its own ■/□ column, the way the paper form
    lays the boxes out. The columns of a list are combined into one relation on save."""

    def __init__(self, attribute: str, column_name: str, code: str):
        super().__init__(attribute, column_name, widget=TickWidget())
        self.code = code

    def save(self, instance, row, is_m2m=False, **kwargs):
        ticks = self.pending(instance).setdefault(f"{self.attribute}:ticks", {})
        ticks[self.code] = self.clean(row, **kwargs)

    def get_value(self, instance) -> bool:
        ticks = instance.__dict__.get("_import_pending", {}).get(f"{self.attribute}:ticks", {})
        if self.code in ticks:
            return ticks[self.code]
        if instance.pk is None:
            return False
        return any(option.pk == self.code for option in getattr(instance, self.attribute).all())

    def exporter(self, shared: dict) -> Callable[[Any], Any]:
        # The list's codes as the export read them for all its records, or else once per
        # row for all the list's columns (20 boxes on Form 2), not once per box.
        codes_of = shared.setdefault(f"{self.attribute}:codes", _RowCodes(self.attribute))
        render, code = self.widget.render, self.code
        return lambda instance: render(code in codes_of(instance))


class _RowCodes:
    """The codes a record's checkbox list holds, kept for the record last asked about:
    the columns of one list are written one after another for each row."""

    def __init__(self, attribute: str):
        self.attribute = attribute
        self.instance = None
        self.codes: set = set()

    def __call__(self, instance) -> set:
        if instance is not self.instance:
            self.codes = {option.pk for option in getattr(instance, self.attribute).all()}
            self.instance = instance
        return self.codes


def checkbox_columns(attribute: str, prefix: str, options: Iterable) -> dict[str, CheckboxColumn]:
    """Columns 「記録の種別：経済活動」… for every option of a checkbox list, in form order.
    The header carries the label up to its parenthesised examples, which keeps headers
    short; the full label is accepted on import as well."""
    columns = {}
    for option in options:
        short = re.split(r"\s*[(（]", option.label, maxsplit=1)[0].strip()
        column = CheckboxColumn(attribute, f"{prefix}：{short}", option.code)
        column.aliases = (f"{prefix}：{option.label}", option.label, short)
        columns[f"{attribute}__{option.code}"] = column
    return columns


# --- the instance loader: existing records by natural key, loaded once ----------------


class NaturalKeyInstanceLoader(BaseInstanceLoader):
    """Finds the existing record a row describes by the resource's natural key, from one
    query for the whole file rather than one per row."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        # Later records win when two share a key (see RegisterResource.get_match_queryset).
        self.instances = {
            resource.natural_key_of(instance): instance
            for instance in resource.get_match_queryset()
        }

    def get_instance(self, row):
        try:
            key = self.resource.natural_key_from_row(row)
        except ValueError:
            # The same error is reported for the cell when the row is imported.
            return None
        return self.instances.get(key)


# --- the base resource ----------------------------------------------------------------


class _NoDiff:
    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance) -> None:
        pass

    def as_html(self) -> list:
        return []


def _related_paths(tree: dict, prefix: str = "") -> list[str]:
    """A queryset's select_related tree ({"business": {"section": {}}}) as lookups."""
    paths = []
    for name, children in tree.items():
        paths += _related_paths(children, f"{prefix}{name}__") if children else [prefix + name]
    return paths


class RegisterResource(resources.ModelResource):
    """Shared behaviour of every register's spreadsheet: Japanese headers, natural keys,
    messages that name the row, the column and the value, and nothing saved unless the
    whole file is valid (the admin and the background task both roll back on errors)."""

    #: attribute names whose values identify a record, in the resource's own terms.
    natural_key: tuple[str, ...] = ()
    #: column names a file must have.
    required_columns: tuple[str, ...] = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        use_bulk = True
        batch_size = 1000
        # Rows read (and relations prefetched) per query on export.
        chunk_size = 1000
        instance_loader_class = NaturalKeyInstanceLoader

    def __init__(self, *, user=None, html_diff: bool = True, **kwargs):
        super().__init__(**kwargs)
        if not html_diff:
            # Nobody reads a row-by-row diff of a background import; it costs time.
            self._meta = copy.copy(self._meta)
            self._meta.skip_html_diff = True
        self.user = user
        #: called with the number of rows done, for the progress bar.
        self.on_row: Callable[[int], None] | None = None
        # Columns in the order Meta.fields lists them (the form's order).
        order = [*(self._meta.fields or ()), *self.fields]
        self.fields = type(self.fields)((name, self.fields[name]) for name in dict.fromkeys(order))
        self._excel_row = 0
        self._current_row: dict = {}
        self._rows_by_key: dict[tuple, int] = {}

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        # All or nothing on every path (admin, background task, `manage.py import`): one
        # invalid row rolls back the whole file.
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def get_diff_class(self):
        # Without a preview to show, the row-by-row diff would only cost time.
        return _NoDiff if self._meta.skip_html_diff else super().get_diff_class()

    def get_import_order(self):
        # Columns in declaration order, including those added per instance (checkboxes).
        return tuple(self.fields)

    def get_export_order(self):
        return tuple(self.fields)

    def export(self, queryset=None, **kwargs):
        headers, rows = self.export_rows(queryset, kwargs.get("export_fields"))
        # The writer names the sheet after the register (not "Tablib Dataset").
        return tablib.Dataset(*rows, headers=headers, title=self.export_title())

    def export_title(self) -> str:
        return str(self._meta.model._meta.verbose_name)

    def export_rows(self, queryset=None, selected_fields=None) -> tuple[list[str], Iterator]:
        """The headers and rows of an export, the cells as the library's export() renders
        them (tests/exchange/test_export_rows.py compares the two). Each column's way to
        its cell is looked up once per export rather than once per cell, which is what
        the library's export_field() spends most of a large export on."""
        export_fields = self.get_export_fields(selected_fields)
        queryset = self.filter_export(self.get_queryset() if queryset is None else queryset)
        shared: dict = {}
        if isinstance(queryset, QuerySet):
            shared = self._lists_read(queryset, export_fields)
            queryset = self._without_prefetches(queryset, shared)
        names = {id(field): name for name, field in self.fields.items()}
        cells = [self._cell_of(names[id(field)], field, shared) for field in export_fields]
        rows = ([cell(instance) for cell in cells] for instance in self.iter_queryset(queryset))
        return [force_str(field.column_name) for field in export_fields], rows

    def _cell_of(self, name: str, field: fields.Field, shared: dict) -> Callable[[Any], Any]:
        # As the library's export_field(): a dehydrate method first, then the column.
        method = field.get_dehydrate_method(name)
        if not callable(method):
            method = getattr(self, method, None)
        if method is not None:
            return method
        return field.exporter(shared) if isinstance(field, Column) else field.export

    def _lists_read(self, queryset: QuerySet, export_fields) -> dict:
        """The list relations the list columns read (RelatedListColumn, checkbox_columns),
        for all the records of the export: per list one query on its table of pairs and
        one for the records they name, each record built once. A prefetch would build a
        related manager and a queryset per row and list and a model instance per pair
        (90,000 for 10,000 Form 2 records). Keyed as the columns' exporter() looks them
        up: "<list>:items" (records), "<list>:codes" (ticked codes)."""
        shared: dict = {}
        model = self._meta.model._meta
        for column in export_fields:
            if not isinstance(column, RelatedListColumn | CheckboxColumn):
                continue
            kind = "items" if isinstance(column, RelatedListColumn) else "codes"
            field = model.get_field(column.attribute)
            if not field.many_to_many or f"{column.attribute}:{kind}" in shared:
                continue
            through = field.remote_field.through._meta
            record = through.get_field(field.m2m_field_name()).attname
            target = through.get_field(field.m2m_reverse_field_name()).attname
            pairs = list(
                through.model.objects.filter(
                    **{f"{record}__in": queryset.values("pk")}
                ).values_list(record, target)
            )
            named = {pk for _, pk in pairs}
            if kind == "items":
                named = field.related_model._default_manager.in_bulk(named)
            by_record: dict[Any, list] = {}
            for pk, target_pk in pairs:
                if target_pk in named:  # a record deleted since the pairs were read
                    item = named[target_pk] if kind == "items" else target_pk
                    by_record.setdefault(pk, []).append(item)
            if kind == "codes":
                by_record = {pk: set(codes) for pk, codes in by_record.items()}
            shared[f"{column.attribute}:{kind}"] = lambda instance, by_record=by_record: (
                by_record.get(instance.pk, ())
            )
        return shared

    def _without_prefetches(self, queryset: QuerySet, shared: dict) -> QuerySet:
        """The queryset without the prefetches of the lists _lists_read() read."""
        read = {key.split(":")[0] for key in shared}
        return queryset.prefetch_related(None).prefetch_related(
            *(lookup for lookup in queryset._prefetch_related_lookups if lookup not in read)
        )

    def iter_queryset(self, queryset):
        """The records of an export in chunks, each with its prefetched relations. The
        library pages with a Paginator when relations are prefetched, which repeats the
        whole filter (a background export's 10,000 ids) in every page's query; Django's
        iterator reads the rows once and prefetches per chunk."""
        if not isinstance(queryset, QuerySet):
            yield from queryset
            return
        if queryset._prefetch_related_lookups and not queryset.query.order_by:
            queryset = queryset.order_by("pk")  # the order the library's pages have
        yield from queryset.iterator(chunk_size=self.get_chunk_size())

    def export_queryset_for(self, user):
        """What `user` may export: the whole register, unless a subclass limits it."""
        return self.get_queryset()

    def filter_export(self, queryset, **kwargs):
        """Load the relations the columns read as the resource's own queryset does: the
        admin hands over its changelist's queryset, which would cost a query per row
        and checkbox list."""
        own = self.get_queryset()
        queryset = queryset.prefetch_related(*own._prefetch_related_lookups)
        if isinstance(own.query.select_related, dict):
            queryset = queryset.select_related(*_related_paths(own.query.select_related))
        return queryset

    def insert_columns(self, after: str, columns: dict[str, fields.Field]) -> None:
        """Put columns built from the database (a checkbox list's labels) after `after`."""
        arranged = {}
        for name, field in self.fields.items():
            arranged[name] = field
            if name == after:
                arranged.update(columns)
        self.fields = type(self.fields)(arranged)

    # Natural keys -------------------------------------------------------------------

    def natural_key_of(self, instance) -> tuple:
        return tuple(
            self._field_by_attribute(name).get_value(instance) for name in self.natural_key
        )

    def natural_key_from_row(self, row) -> tuple:
        return tuple(self._field_by_attribute(name).clean(row) for name in self.natural_key)

    def _field_by_attribute(self, attribute: str) -> fields.Field:
        for field in self.fields.values():
            if field.attribute == attribute:
                return field
        raise KeyError(attribute)

    def get_import_id_fields(self):
        return []

    def get_match_queryset(self):
        """The records a row may name. Where two share a natural key, the later one in
        this queryset is the one a row updates."""
        return self.get_queryset()

    # Headers ------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        aliases: dict[str, str] = {}
        for field in self.fields.values():
            for name in (field.column_name, *getattr(field, "aliases", ())):
                aliases[normalise_header(name)] = field.column_name
        dataset.headers = [
            aliases.get(normalise_header(header), normalise_text(header))
            for header in dataset.headers or []
        ]
        missing = [name for name in self.required_columns if name not in dataset.headers]
        if missing:
            # Without its key columns no row can be read: report the file once, not
            # every row.
            del dataset[0 : len(dataset)]
            raise ValueError(
                "ファイルに必要な列がありません: "
                + "、".join(f"「{name}」" for name in missing)
                + "。1行目に列の見出しを入れてください（書き出したファイルの見出しが使えます）。"
            )

    def _check_import_id_fields(self, headers):
        # Replaced by the required_columns check in before_import(), in Japanese.
        return

    # Rows ---------------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        # Data row 1 is line 2 of the sheet, below the headers.
        self._excel_row = kwargs.get("row_number", 0) + 1

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            raise ValidationError(self._name_columns(error.message_dict, row)) from None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The natural key columns already found the record; unique checks on them would
        # only repeat that lookup per row.
        errors = dict(import_validation_errors or {})
        failed = [f.attribute for f in self.fields.values() if f.column_name in errors]
        try:
            instance.full_clean(
                exclude=[*failed, *self.skip_model_validation], validate_unique=False
            )
        except ValidationError as error:
            errors.update(self._name_columns(error.message_dict, self._current_row))
        self._check_repeated_key(instance, errors)
        self.check_row_rights(instance, errors)
        if errors:
            raise ValidationError(errors)

    def check_row_rights(self, instance, errors: dict) -> None:
        """Hook: add to `errors` why this user may not import this row (none here)."""

    def _check_repeated_key(self, instance, errors: dict) -> None:
        """Two rows describing the same record would both be created: refuse the second."""
        try:
            key = self.natural_key_of(instance)
        except ObjectDoesNotExist:
            return  # a key cell was wrong, and is reported as such
        if any(part in (None, "") for part in key):
            return
        first = self._rows_by_key.setdefault(key, self._excel_row)
        if first != self._excel_row:
            columns = "＋".join(self._field_by_attribute(n).column_name for n in self.natural_key)
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                f"{self._excel_row}行目 {first}行目と同じ記録です（{columns}が同じ）。"
                "1つの行にまとめてください。"
            )

    def after_import_row(self, row, row_result, **kwargs):
        if self.on_row is not None:
            self.on_row(kwargs.get("row_number", 0))

    #: model fields already checked by their column's widget (foreign keys looked up).
    skip_model_validation: tuple[str, ...] = ()

    def import_row(self, row, instance_loader, **kwargs):
        self._current_row = row
        return super().import_row(row, instance_loader, **kwargs)

    def _name_columns(self, message_dict: dict, row) -> dict:
        """Key errors by the column's Japanese header and prefix the sheet's line number,
        so the preview says which cell to fix."""
        named: dict[str, list[str]] = {}
        by_attribute = {field.attribute: field for field in self.fields.values()}
        for attribute, messages in message_dict.items():
            field = by_attribute.get(attribute)
            column = field.column_name if field else NON_FIELD_ERRORS
            for message in messages:
                if field and not message.startswith("「"):
                    message = cell_message(column, row.get(column), message)
                if not message.startswith(f"{self._excel_row}行目"):
                    message = f"{self._excel_row}行目 {message}"
                named.setdefault(column, []).append(message)
        return named

    # Saving ---------------------------------------------------------------------------
    # Each kind of register hands its rows to its services (AuditedRegisterResource,
    # reviews.workflow.resources.ReviewedRecordResource): none is saved here.

    def _pending_relations(self, instance):
        """(relation name, ids) for every relation a row set, as ids after the import."""
        pending = instance.__dict__.get("_import_pending", {})
        m2m = {field.name for field in self._meta.model._meta.many_to_many}
        for key, value in pending.items():
            if key.endswith(":ticks"):
                yield key.removesuffix(":ticks"), value
            elif key in m2m:
                yield key, [item.pk for item in value]
