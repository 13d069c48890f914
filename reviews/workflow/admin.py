"""The reviewer's admin for Form 2 / Form 5 records and the transition log.

Apps above a record type add read-only panels to its change page and warnings after a
save (payments: the flow diagram and the flow checks) with `add_panel` and
`add_save_warnings`, filled by config.wiring; no app replaces another app's admin class,
so the admin that serves a record is the one its own app registers."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import get_fields_from_path, quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from notation.admin_eras import era_column
from printing.admin import ReadOnlyAdminMixin, unprintable_in
from registry.admin import AutocompleteFilter, LabelledTabularInline, RegisterFilter
from registry.changes import PageParts, cached, request_stamp
from reviews.council.models import Consultation, PreApprovalCategory
from reviews.workflow.checklists import unanswered_measures
from reviews.workflow.forms import (
    RetireForm,
    ReturnForm,
    approve_form_class,
    correction_form_class,
)
from reviews.workflow.history import compare, history_entries
from reviews.workflow.models import ReviewedRecord, Transition
from reviews.workflow.services import (
    EditConflict,
    record_approve,
    record_correct,
    record_create,
    record_retire,
    record_return,
    record_save,
)
from reviews.workflow.states import Action, may, may_edit
from reviews.workflow.views import PAGE_SIZE


@dataclass(frozen=True)
class RecordPanel:
    """A read-only fieldset below a record's own on its change page (not on the add
    page): a heading and display functions of the record, each an @admin.display."""

    title: str
    fields: tuple[Callable[[ReviewedRecord], SafeString], ...]


# `warnings(record)`: what to warn of once the record is saved, in Japanese (saving is
# never blocked by it).
SaveWarnings = Callable[[ReviewedRecord], list[str]]

_panels: dict[type[ReviewedRecord], list[RecordPanel]] = {}
_save_warnings: dict[type[ReviewedRecord], list[SaveWarnings]] = {}


def add_panel(model: type[ReviewedRecord], panel: RecordPanel) -> None:
    panels = _panels.setdefault(model, [])
    if panel not in panels:
        panels.append(panel)


def add_save_warnings(model: type[ReviewedRecord], warnings: SaveWarnings) -> None:
    added = _save_warnings.setdefault(model, [])
    if warnings not in added:
        added.append(warnings)


def _inline_rows(formset) -> list[dict]:
    """An inline's rows as the services' child data: every row kept, deleted ones left
    out, without the keys that tie it to the record."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append(
            {
                name: value
                for name, value in data.items()
                if name not in {"DELETE", "id", formset.fk.name}
            }
        )
    return rows


class ReviewQueueFilter(admin.SimpleListFilter):
    title = "審査"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("waiting", "審査待ち（提出・再提出）"), ("in_force", "効力のある記録票")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.under_review()
        if self.value() == "in_force":
            return queryset.in_force()
        return queryset


class PageRows:
    """A changelist page's rows, their number known from the list's count: the admin's
    view asks for it (its "0 of N selected" line) before the template reads the rows,
    and a page whose rows are cached (ReviewedRecordAdmin.changelist_view) never does."""

    def __init__(self, queryset, count: int):
        self.queryset, self.count = queryset, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        return iter(self.queryset)


class RecordChangeList(ChangeList):
    """The admin's changelist, with each row's link to its change page made once per page
    and the list's filters written into it here. The admin would reverse the URL for each
    link and, on a filtered list, resolve each link again against every URL of the site
    only to learn it is not the list itself: most of a filtered page's time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the row links carry (the admin reads this attribute for them alone).
        self.row_link_filters, self.preserved_filters = self.preserved_filters, ""
        placeholder = "0"
        link = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[placeholder],
            current_app=self.model_admin.admin_site.name,
        )
        self.change_link_parts = link.rsplit(f"/{placeholder}/", 1)

    def get_queryset(self, request, exclude_parameters=None):
        return self.model_admin.list_queryset(super().get_queryset(request, exclude_parameters))

    def get_results(self, request):
        super().get_results(request)
        if self.multi_page and not (self.show_all and self.can_show_all):
            page = self.paginator.page(self.page_num)
            rows = page.end_index() - page.start_index() + 1
        else:
            rows = self.result_count
        self.result_list = PageRows(self.result_list, rows)

    def url_for_result(self, result) -> str:
        before, after = self.change_link_parts
        url = f"{before}/{quote(getattr(result, self.pk_attname))}/{after}"
        return f"{url}?{self.row_link_filters}" if self.row_link_filters else url


class RecordRowsInline(LabelledTabularInline):
    """Rows that are part of a reviewed record (its items, its checklist answers):
    editable exactly when the record is."""

    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None or may_edit(request.user, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or may_edit(request.user, obj)


class ChecklistInline(RecordRowsInline):
    """A record's answers to its protection-measure checklist (reviews.workflow.checklists),
    with one blank row per unanswered active row so the whole list shows."""

    measure_model: type
    fields = ["measure", "answer"]
    verbose_name_plural = "情報保護対策チェックリスト（○ = 対策を講じる、ー = 必要なし）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("measure")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "measure":
            # The rows are a fixed template: no add / edit / delete links beside each one.
            field.widget = getattr(field.widget, "widget", field.widget)
            field.queryset = field.queryset.filter(is_active=True)
        return field

    def get_extra(self, request, obj=None, **kwargs) -> int:
        return len(unanswered_measures(self.measure_model, obj))


class ChecklistAdminMixin:
    """For a record admin with a ChecklistInline: how complete the checklist is, the blank
    rows offered on the POST too, and a warning after a save that leaves rows open."""

    @admin.display(description="記入状況")
    def checklist_status(self, record):
        if not record.pk:
            return ""
        problems = record.checklist_problems()
        if not problems:
            return "すべての項目に記入済みです。"
        return format_html(
            '<ul class="errorlist">{}</ul>',
            format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ChecklistInline):
            # On the POST too: a blank row left as offered is then unchanged, not a row
            # with a measure and no answer.
            kwargs["initial"] = [
                {"measure": m.pk} for m in unanswered_measures(inline.measure_model, obj)
            ]
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A warning only: the submission step refuses an incomplete checklist.
        for problem in form.instance.checklist_problems():
            messages.warning(request, problem)


class ReviewedRecordAdmin(SimpleHistoryAdmin):
    """Reviewers work here: the queue, the record read-only, and the workflow steps
    (承認 with its basis, 差戻し with a comment, 廃止 with a date) as buttons that call
    reviews.workflow.services. Nobody edits an approved record in place."""

    change_form_template = "admin/workflow/record_change_form.html"
    # The import / export mixin's list extends this one (ie_base_change_list_template).
    change_list_template = "admin/workflow/record_change_list.html"
    object_history_template = "admin/workflow/record_history.html"
    # The "N件 (全M件)" line would count the whole table a second time on every page.
    show_full_result_count = False
    # A page as long as the staff lists' (reviews.workflow.views): the admin's 100 rows
    # cost as much in its own per-cell work as the rest of the page together.
    list_per_page = PAGE_SIZE

    def action_checkbox(self, obj):
        """The admin's own row checkbox, written directly: rendering it through the form
        widget's template, once per row, was a third of the changelist's time."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_changelist(self, request, **kwargs):
        return RecordChangeList

    def get_list_filter(self, request):
        # A filter by a register (所管課, the checkbox lists) reads its choices once per
        # change stamp; the others are as declared.
        return [
            (name, RegisterFilter)
            if isinstance(name, str) and get_fields_from_path(self.model, name)[-1].is_relation
            else name
            for name in super().get_list_filter(request)
        ]

    def list_queryset(self, queryset):
        """The changelist's records with what its columns read (a record type adds its
        prefetches here, which the change page would read for nothing)."""
        return queryset

    @property
    def media(self):
        # Every record type filters by its business with a search box (AutocompleteFilter).
        return super().media + AutocompleteFilter.page_media()

    def get_object(self, request, object_id, from_field=None):
        """Read once per page view: the print button, the workflow panel and the form
        all ask for it. A POST reads it afresh for the form it saves."""
        if request.method != "GET":
            return super().get_object(request, object_id, from_field)
        objects = request.__dict__.setdefault("_admin_objects", {})
        key = (self.model, str(object_id), from_field)
        if key not in objects:
            objects[key] = super().get_object(request, object_id, from_field)
        return objects[key]

    # Columns every Form 2 / Form 5 changelist shows (both belong to a business).
    @admin.display(description="業務登録番号", ordering="business__number")
    def business_number(self, record: ReviewedRecord) -> str:
        return record.business.number

    @admin.display(description="業務の名称", ordering="business__name")
    def business_name(self, record: ReviewedRecord) -> str:
        return record.business.name

    @admin.display(description="所管課")
    def section_name(self, record: ReviewedRecord) -> str:
        return str(record.business.section)

    def has_add_permission(self, request) -> bool:
        # Records are created by section staff in the staff pages.
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return may_edit(request.user, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # A delete would bypass the workflow services and their history; a record ends
        # by 廃止 (retire), which keeps it and says from when.
        return False

    # Saving goes through the workflow services, like the staff pages: record_create for
    # an add, record_save (rights, state, stale copy, one history snapshot) for a change.
    # Django's own save_model / save_related would write the row and its lists directly.

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related() saves the record with its lists in one call."""

    def save_related(self, request, form, formsets, change):
        self._save_record(request, form, formsets, change)
        for warnings in _save_warnings.get(self.model, []):
            for message in warnings(form.instance):
                messages.warning(request, message)

    def _save_record(self, request, form, formsets, change) -> None:
        record = form.instance
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in {f.name for f in record._meta.get_fields()}
        }
        children = {
            formset.fk.remote_field.related_name: _inline_rows(formset) for formset in formsets
        }
        children = {name: rows for name, rows in children.items() if name in record.child_lists}
        for formset in formsets:
            # What formset.save() would have set; the admin's change message reads it.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not change:
            saved = record_create(
                actor=request.user, model=type(record), data=data, children=children
            )
            # The admin's redirect and log entry read the object it was given.
            record.pk, record.state, record.lock_version = saved.pk, saved.state, 1
            return
        # The change form carries the version it showed; a post without it is read
        # against the row as loaded for this request, as before.
        loaded = int(request.POST.get("_loaded_version", record.lock_version))
        try:
            record_save(
                actor=request.user,
                record=record,
                data=data,
                children=children,
                loaded_version=loaded,
            )
        except EditConflict:
            raise PermissionDenied(
                "他の人がこの記録票を先に保存したため、保存できません。"
            ) from None

    # The panels other apps add (add_panel), shown once the record exists.

    def get_readonly_fields(self, request, obj=None):
        added = [field for panel in _panels.get(self.model, []) for field in panel.fields]
        return [*super().get_readonly_fields(request, obj), *added]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets += [
                (panel.title, {"fields": list(panel.fields)})
                for panel in _panels.get(self.model, [])
            ]
        return fieldsets

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting to an old snapshot would write its state and content past the
        # workflow; old versions are for reading.
        if request.method == "POST":
            raise PermissionDenied("記録票を過去の版に戻すことはできません。")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/approve/",
                view(self.approve_view),
                name=f"{prefix}_approve",
            ),
            path(
                "<path:object_id>/return/",
                view(self.return_view),
                name=f"{prefix}_return",
            ),
            path(
                "<path:object_id>/retire/",
                view(self.retire_view),
                name=f"{prefix}_retire",
            ),
            path(
                "<path:object_id>/correct/",
                view(self.correct_view),
                name=f"{prefix}_correct",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if request.method == "GET":
            # The rows, filters and page links come from the records (the stamp), the
            # day (状態 and 効力 are read from the dates), the address (filters, order,
            # page), who asks (which records they see) and the actions they may take
            # (the rows' checkboxes).
            extra_context["stamped_list"] = PageParts(
                stamp=request_stamp(request),
                key=(
                    self.opts.label,
                    request.user.pk,
                    timezone.localdate(),
                    request.get_full_path(),
                    *sorted(self.get_actions(request)),
                ),
            )
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The stamp is read before the record the panel is built from, so a part is
        # never kept under a stamp newer than its data (as the staff's record page).
        stamp = request_stamp(request) if request.method == "GET" else 0
        record = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if record is not None:
            user = request.user
            steps = {
                "may_approve": may(user, Action.APPROVE, record),
                "may_return": may(user, Action.RETURN, record),
                "may_retire": may(user, Action.RETIRE, record),
                "may_correct": may(user, Action.CORRECT, record),
            }
            extra_context |= steps | {
                "record": record,
                "transitions": record.transitions.select_related("actor").order_by("at", "pk"),
                # Built only if the panel is (it is kept with the page parts below).
                "comparison": (
                    SimpleLazyObject(partial(compare, record.amends, record))
                    if record.amends_id
                    else None
                ),
                "staff_url": reverse(f"{self.opts.app_label}:detail", args=[record.pk]),
            }
            if request.method == "GET":
                # The workflow panel shows the record, its steps and its obligations (the
                # stamp), its state and 効力 and overdue obligations (the day) and the
                # buttons of the steps this user may take.
                today = timezone.localdate()
                panel = PageParts(
                    key=(self.opts.label, record.pk, today, *steps.values()), stamp=stamp
                )
                extra_context["stamped_panel"] = panel
                if not self.has_change_permission(request, record):
                    # Read-only, the form shows the record as stored, the same for all,
                    # and the panels other apps add (payments checks the flows of the day).
                    extra_context["stamped_form"] = PageParts(
                        key=(self.opts.label, record.pk, today), stamp=panel.stamp
                    )
        return super().change_view(request, object_id, form_url, extra_context)

    def unprintable_chars(self, record: ReviewedRecord) -> list[str]:
        """For PrintButtonMixin: rendering the form to look costs a dozen queries, so the
        answer is kept until the record (or anything else audited) changes."""
        return cached(
            "unprintable",
            self.print_kind,
            record.pk,
            build=lambda: unprintable_in(self.print_kind, record.pk),
        )

    def history_view(self, request, object_id, extra_context=None):
        record = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if record is not None:
            extra_context |= {
                "history": cached(
                    "history", record._meta.label, record.pk, build=lambda: history_entries(record)
                ),
                "title": f"変更履歴: {record}",
            }
        return super().history_view(request, object_id, extra_context)

    def _step_view(self, request, object_id, action, make_form, title, run):
        """One workflow step's page: make_form(record, data) builds its form; run calls
        the service. The service decides; this only shows its refusal on the form."""
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404("記録票が見つかりません。")
        if not may(request.user, action, record):
            raise PermissionDenied(f"この記録票に「{Action(action).label}」はできません。")
        form = make_form(record, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run(record, form)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request, f"{record} を「{Action(action).label}」しました。", messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                        args=[record.pk],
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": record,
            "record": record,
            "form": form,
            "title": f"{title}: {record}",
            "action_label": Action(action).label,
            "comparison": compare(record.amends, record) if record.amends_id else None,
            "cited": _cited(record) if action == Action.APPROVE and record.council_basis else None,
        }
        return TemplateResponse(request, "admin/workflow/workflow_step.html", context)

    def approve_view(self, request, object_id):
        return self._step_view(
            request,
            object_id,
            Action.APPROVE,
            lambda record, data: approve_form_class(type(record))(
                data, initial=approve_form_class(type(record)).initial_for(record)
            ),
            "承認",
            lambda record, form: record_approve(
                actor=request.user,
                record=record,
                comment=form.cleaned_data["comment"],
                **form.basis_kwargs(),
            ),
        )

    def return_view(self, request, object_id):
        return self._step_view(
            request,
            object_id,
            Action.RETURN,
            lambda record, data: ReturnForm(data),
            "差戻し",
            lambda record, form: record_return(
                actor=request.user, record=record, comment=form.cleaned_data["comment"]
            ),
        )

    def retire_view(self, request, object_id):
        return self._step_view(
            request,
            object_id,
            Action.RETIRE,
            lambda record, data: RetireForm(data),
            "廃止",
            lambda record, form: record_retire(
                actor=request.user,
                record=record,
                retired_on=form.cleaned_data["retired_on"],
                comment=form.cleaned_data["comment"],
            ),
        )

    def correct_view(self, request, object_id):
        return self._step_view(
            request,
            object_id,
            Action.CORRECT,
            lambda record, data: correction_form_class(type(record))(data, instance=record),
            "訂正",
            lambda record, form: record_correct(
                actor=request.user,
                record=record,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            ),
        )

    @admin.display(description="状態", ordering="state")
    def state_badge(self, record) -> str:
        # From the dates: a superseded version still in force reads as approved.
        return record.status_label()

    @admin.display(description="効力", ordering="effective_from")
    def validity_display(self, record) -> str:
        return record.validity()


def _cited(record: ReviewedRecord) -> str:
    """What the record cites as its council basis, for the approval page."""
    references = [
        str(c) for c in Consultation.objects.filter(pk__in=record.cited_consultation_ids())
    ] + [str(c) for c in PreApprovalCategory.objects.filter(pk__in=record.cited_category_ids())]
    return "、".join(references) or "（記載なし: 承認の根拠が記録票に記載されます）"


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        era_column("at", "日時"),
        "content_type",
        "object_id",
        "action",
        "from_state",
        "to_state",
        "actor",
    ]
    # Only the kinds of record that have steps (every model's content type otherwise).
    list_filter = ["action", ("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["content_type", "actor"]
    search_fields = ["comment"]
