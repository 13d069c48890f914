from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from consignments.models import Consignment
from linkages.models import Linkage
from payments import diagrams, rules, services
from payments.forms import FlowForm
from payments.models import Channel, DataItem, Flow, ItemSet, ItemSetEntry, Party, TaxType
from registry.admin import AuditedAdmin, LabelledTabularInline
from reviews.workflow.admin import RecordPanel


def _problem_list(problems: list[rules.Problem]) -> SafeString:
    if not problems:
        return format_html("<p>{}</p>", "問題はありません。")
    return format_html(
        '<ul class="errorlist">{}</ul>',
        format_html_join("", "<li>［{}］{}</li>", ((p.rule, p.message) for p in problems)),
    )


def _messages(problems: list[rules.Problem]) -> list[str]:
    return [f"［{problem.rule}］{problem.message}" for problem in problems]


def _warn(request: HttpRequest, problems: list[rules.Problem]) -> None:
    """Saving is not blocked: the reviewer sees what breaks a rule and decides."""
    for message in _messages(problems):
        messages.warning(request, message)


def _diagram(svg: str) -> SafeString:
    # Graphviz escapes every label it writes into the SVG, so the markup is safe to embed.
    return format_html('<div class="flow-diagram">{}</div>', mark_safe(svg))


class FlowRowAdmin(AuditedAdmin):
    """Every save goes through payments.services: the clerk's rights, the row lock and
    the history with the actor's name."""

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.flow_row_update(actor=request.user, row=obj, data=data)
        return services.flow_row_create(actor=request.user, model=type(obj), data=data)


class WarnOnSaveMixin:
    """For records many flows share (parties, items, item sets): a change can break a
    rule anywhere, so every problem is shown after the save."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _warn(request, rules.check_all())


@admin.register(TaxType)
class TaxTypeAdmin(FlowRowAdmin):
    list_display = ["name", "business"]
    list_select_related = ["business"]
    search_fields = ["name", "business__number", "business__name"]


@admin.register(Channel)
class ChannelAdmin(FlowRowAdmin):
    list_display = ["name", "started_on_display", "category"]
    list_select_related = ["category"]
    search_fields = ["name", "description"]
    readonly_fields = ["diagrams", "problems"]
    fieldsets = [
        (None, {"fields": ["name", "description", "started_on", "category", "order"]}),
        ("委託構成図", {"fields": ["diagrams"]}),
        ("点検結果", {"fields": ["problems"]}),
    ]

    @admin.display(description="開始日", ordering="started_on")
    def started_on_display(self, channel: Channel) -> str:
        return channel.started_on_display

    @admin.display(description="図")
    def diagrams(self, channel: Channel) -> SafeString:
        if not channel.pk:
            return format_html("<p>{}</p>", "保存すると表示されます。")
        return format_html_join(
            "",
            "<h4>{}</h4>{}",
            ((period.title, _diagram(svg)) for period, svg in diagrams.channel_diagrams(channel)),
        )

    @admin.display(description="規則に反する点")
    def problems(self, channel: Channel) -> SafeString:
        if not channel.pk:
            return SafeString("")  # nothing to show before the first save
        return _problem_list(self._problems(channel))

    def _problems(self, channel: Channel) -> list[rules.Problem]:
        flow_ids = set(channel.flows.values_list("pk", flat=True))
        return rules.problems_for_flows(flow_ids)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _warn(request, self._problems(form.instance))


@admin.register(Party)
class PartyAdmin(WarnOnSaveMixin, FlowRowAdmin):
    list_display = ["name", "role", "organization", "section", "contractor_type"]
    list_filter = ["role"]
    list_select_related = ["organization", "section"]
    search_fields = ["name", "organization__name", "contractor_type"]
    autocomplete_fields = ["organization"]


@admin.register(DataItem)
class DataItemAdmin(WarnOnSaveMixin, FlowRowAdmin):
    list_display = ["name", "record_kind", "record_kind_other"]
    list_filter = ["record_kind"]
    list_select_related = ["record_kind"]
    search_fields = ["name", "record_kind_other"]


class ItemSetEntryInline(LabelledTabularInline):
    model = ItemSetEntry
    extra = 0
    autocomplete_fields = ["item"]


@admin.register(ItemSet)
class ItemSetAdmin(WarnOnSaveMixin, FlowRowAdmin):
    list_display = ["__str__", "item_count"]
    search_fields = ["name", "variant", "items__name"]
    inlines = [ItemSetEntryInline]

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).prefetch_related("entries")

    @admin.display(description="項目数")
    def item_count(self, item_set: ItemSet) -> int:
        return len(item_set.entries.all())

    def save_formset(self, request, form, formset, change):
        services.item_set_entries_save(
            actor=request.user, item_set=form.instance, rows=self.inline_rows(formset)
        )


@admin.register(Flow)
class FlowAdmin(FlowRowAdmin):
    form = FlowForm
    list_display = ["sender", "receiver", "via", "shown_label", "line", "period", "channel_names"]
    list_filter = ["channels", "line", "tax_types"]
    search_fields = ["sender__name", "receiver__name", "label", "item_set__name", "items__name"]
    autocomplete_fields = ["sender", "receiver", "via", "item_set", "items"]
    filter_horizontal = ["channels", "tax_types"]
    readonly_fields = ["carried", "problems"]
    fieldsets = [
        (None, {"fields": ["sender", "receiver", "via"]}),
        ("送る内容", {"fields": ["item_set", "items", "label", "carried"]}),
        (None, {"fields": ["channels", "tax_types", "line", "effective_from", "effective_until"]}),
        ("点検結果", {"fields": ["problems"]}),
        (None, {"fields": ["order"]}),
    ]

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).with_parties()

    @admin.display(description="送る内容")
    def shown_label(self, flow: Flow) -> str:
        return flow.arrow_label

    @admin.display(description="期間")
    def period(self, flow: Flow) -> str:
        return flow.period_display

    @admin.display(description="納付チャネル")
    def channel_names(self, flow: Flow) -> str:
        return "・".join(channel.name for channel in flow.channels.all())

    @admin.display(description="送る項目")
    def carried(self, flow: Flow) -> str:
        return "、".join(item.name for item in flow.carried_items()) if flow.pk else ""

    @admin.display(description="規則に反する点")
    def problems(self, flow: Flow) -> SafeString:
        if not flow.pk:
            return SafeString("")  # nothing to show before the first save
        return _problem_list(rules.problems_for_flows({flow.pk}))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _warn(request, rules.problems_for_flows({form.instance.pk}))


# What the Form 2 / Form 5 admin pages show and warn of about the flows, added with
# the record admin's hooks (config.wiring registers them): payments depends on
# consignments and linkages and never the other way round.


@admin.display(description="構成図")
def flow_diagram(linkage: Linkage) -> SafeString:
    return _diagram(diagrams.linkage_svg(linkage))


@admin.display(description="規則に反する点")
def flow_problems(linkage: Linkage) -> SafeString:
    return _problem_list(rules.problems_for_linkage(linkage.pk))


LINKAGE_FLOWS = RecordPanel("データの流れ", (flow_diagram, flow_problems))


def linkage_flow_warnings(linkage: Linkage) -> list[str]:
    return _messages(rules.problems_for_linkage(linkage.pk))


def consignment_flow_warnings(consignment: Consignment) -> list[str]:
    """Unticking a 記録の種別 its contractor's flows need is warned of."""
    return _messages(rules.problems_for_consignment(consignment.pk))
