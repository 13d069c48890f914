"""The access log for the 事務局: searchable, filterable, exportable, never editable."""

from django.contrib import admin
from import_export import fields, resources
from import_export.admin import ExportMixin
from import_export.formats import base_formats

from accesslog.models import AccessEvent, record_type_label
from notation.admin_eras import era_column, fiscal_year_filter
from printing.admin import ReadOnlyAdminMixin
from printing.http import dated_attachment, dated_file_name


class RecordTypeFilter(admin.AllValuesFieldListFilter):
    """The kinds of record by their names (外部委託記録票, not consignments.Consignment);
    events with no record type (a register's page or export) get a label too: an empty
    one would be a filter link nobody can read or hear."""

    def choices(self, changelist):
        values = {str(value) for value in self.lookup_choices if value is not None}
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice = {**choice, "display": "（種類なし）"}
            elif choice["display"] in values:
                choice = {**choice, "display": record_type_label(choice["display"])}
            yield choice


class AccessEventResource(resources.ModelResource):
    at = fields.Field("at", column_name="日時")
    username = fields.Field("username", column_name="ユーザー名")
    address = fields.Field("address", column_name="接続元")
    action = fields.Field("get_action_display", column_name="操作")
    record_type = fields.Field("record_type_label", column_name="記録の種類")
    record_ids = fields.Field(column_name="記録のID")
    path = fields.Field("path", column_name="URL")

    class Meta:
        model = AccessEvent
        fields = ["at", "username", "address", "action", "record_type", "record_ids", "path"]
        export_order = fields

    def dehydrate_record_ids(self, event: AccessEvent) -> str:
        return "、".join(str(pk) for pk in event.record_ids)

    def dehydrate_at(self, event: AccessEvent) -> str:
        return f"{event.at:%Y-%m-%d %H:%M:%S}"

    def export(self, *args, **kwargs):
        dataset = super().export(*args, **kwargs)
        # The sheet's tab in Excel (the library would call it "Tablib Dataset").
        dataset.title = str(AccessEvent._meta.verbose_name)
        return dataset


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdminMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [AccessEventResource]
    export_formats = [base_formats.XLSX, base_formats.CSV]
    # The registers' export page (exchange's template, by name: the access log sits
    # below exchange); the library's own page has inline script and styles.
    export_template_name = "admin/exchange/export.html"
    list_display = [
        era_column("at", "日時"),
        "user",
        "username",
        "address",
        "action",
        "record_type_display",
        "record_count",
        "path",
    ]
    list_filter = [
        fiscal_year_filter("at"),
        "at",
        # Who, by name (only the people the log names).
        ("user", admin.RelatedOnlyFieldListFilter),
        "action",
        ("record_type", RecordTypeFilter),
    ]
    list_select_related = ["user"]
    search_fields = ["username", "user__last_name", "user__first_name", "address", "path"]

    def get_export_filename(self, request, queryset, file_format):
        return dated_file_name(str(self.opts.verbose_name), file_format.get_extension())

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form)
        # The library quotes the name as it is; a Japanese name needs RFC 6266's filename*.
        response["Content-Disposition"] = dated_attachment(
            str(self.opts.verbose_name), self.opts.model_name, file_format.get_extension()
        )
        return response

    @admin.display(description="記録の種類", ordering="record_type")
    def record_type_display(self, event: AccessEvent) -> str:
        return event.record_type_label

    @admin.display(description="件数")
    def record_count(self, event: AccessEvent) -> int:
        return event.record_count
