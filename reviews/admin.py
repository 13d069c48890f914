from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from printing import wareki
from registry.admin import RegisterImportExportMixin
from reviews.forms import ApproveForm, RetireForm, ReturnForm
from reviews.history import compare, history_entries
from reviews.models import (
    Answer,
    CategoryExample,
    Consultation,
    CouncilMeeting,
    Obligation,
    PreApprovalCategory,
    PreApprovalReport,
    ReportItem,
    ReviewedRecord,
    Transition,
)
from reviews.resources import (
    CategoryExampleResource,
    ConsultationResource,
    PreApprovalCategoryResource,
)
from reviews.services import (
    consultation_assign_number,
    record_approve,
    record_retire,
    record_return,
)
from reviews.workflow import Action, State, may, may_edit


class CategoryExampleInline(admin.TabularInline):
    model = CategoryExample
    extra = 0
    fields = ["order", "text", "added_on", "report", "added_by"]
    autocomplete_fields = ["report"]


@admin.register(PreApprovalCategory)
class PreApprovalCategoryAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [PreApprovalCategoryResource]
    list_display = ["__str__", "rule", "example_list"]
    list_filter = ["chapter"]
    search_fields = ["rule", "examples__text"]
    inlines = [CategoryExampleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("examples")

    @admin.display(description="事例")
    def example_list(self, category: PreApprovalCategory) -> str:
        return "・".join(example.text for example in category.examples.all())


@admin.register(CategoryExample)
class CategoryExampleAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [CategoryExampleResource]
    list_display = ["text", "category", "added_on_display", "report"]
    list_filter = ["category", "report"]
    list_select_related = ["category", "report__section"]
    search_fields = ["text", "added_by", "report__title"]
    autocomplete_fields = ["report"]

    @admin.display(description="追加日", ordering="added_on")
    def added_on_display(self, example: CategoryExample) -> str:
        return wareki.format_date(example.added_on) if example.added_on else ""


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [ConsultationResource]
    list_display = [
        "__str__",
        "fiscal_year_display",
        "subject",
        "section",
        "record_count",
        "has_answer",
    ]
    list_filter = ["fiscal_year", "section"]
    list_select_related = ["answer", "section"]
    search_fields = ["subject", "summary", "document_number"]
    readonly_fields = ["fiscal_year_display", "number"]
    date_hierarchy = "consulted_on"
    inlines = [AnswerInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                record_count=Count("consignments", distinct=True) + Count("linkages", distinct=True)
            )
        )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if not change:
            # Numbers come from the locked counter, never from the form.
            consultation_assign_number(consultation=obj)
        super().save_model(request, obj, form, change)

    @admin.display(description="年度", ordering="fiscal_year")
    def fiscal_year_display(self, consultation: Consultation) -> str:
        return consultation.fiscal_year_display if consultation.fiscal_year else "（保存時に採番）"

    @admin.display(description="関係する記録票", ordering="record_count")
    def record_count(self, consultation: Consultation) -> int:
        return consultation.record_count

    @admin.display(description="答申", boolean=True)
    def has_answer(self, consultation: Consultation) -> bool:
        return hasattr(consultation, "answer")


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "consultation_list"]
    search_fields = ["title", "agenda"]
    filter_horizontal = ["consultations"]
    date_hierarchy = "held_on"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("consultations")

    @admin.display(description="審議した諮問")
    def consultation_list(self, meeting: CouncilMeeting) -> str:
        return "、".join(str(c) for c in meeting.consultations.all())


class ObligationInline(admin.TabularInline):
    model = Obligation
    extra = 0
    fields = ["text", "owner", "due_on", "status", "note"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "answered_on_display", "consultation", "conclusion"]
    list_filter = ["conclusion"]
    list_select_related = ["consultation"]
    search_fields = ["title", "addressee", "summary", "judgement", "opinion"]
    autocomplete_fields = ["consultation"]
    inlines = [ObligationInline]

    @admin.display(description="答申日", ordering="answered_on")
    def answered_on_display(self, answer: Answer) -> str:
        return wareki.format_date(answer.answered_on)


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "due_on_display", "status", "is_overdue"]
    list_filter = ["status", "owner"]
    list_select_related = ["answer", "owner"]
    search_fields = ["text", "note"]

    @admin.display(description="期限", ordering="due_on")
    def due_on_display(self, obligation: Obligation) -> str:
        return wareki.format_date(obligation.due_on) if obligation.due_on else ""

    @admin.display(description="期限超過", boolean=True)
    def is_overdue(self, obligation: Obligation) -> bool:
        return obligation.is_overdue


class ReportItemInline(admin.StackedInline):
    model = ReportItem
    extra = 0


@admin.register(PreApprovalReport)
class PreApprovalReportAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "reported_on", "item_names"]
    list_filter = ["section"]
    list_select_related = ["section"]
    search_fields = ["title", "overview", "items__name"]
    inlines = [ReportItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")

    @admin.display(description="項目")
    def item_names(self, report: PreApprovalReport) -> str:
        return "、".join(item.name for item in report.items.all())


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


class ReviewedRecordAdmin(SimpleHistoryAdmin):
    """Reviewers work here: the queue, the record read-only, and the workflow steps
    (承認 with its basis, 差戻し with a comment, 廃止 with a date) as buttons that call
    reviews.services. Nobody edits an approved record in place."""

    change_form_template = "admin/reviews/record_change_form.html"
    object_history_template = "admin/reviews/record_history.html"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

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
        if not request.user.is_superuser:
            return False
        return obj is None or obj.state == State.DRAFT

    def save_model(self, request, obj, form, change):
        # The admin save is the superuser's escape hatch for drafts; it still refuses a
        # stale copy, like the staff pages.
        if change:
            loaded = int(request.POST.get("_loaded_version", obj.lock_version))
            current = type(obj).objects.filter(pk=obj.pk).values_list("lock_version", flat=True)
            if current.first() != loaded:
                raise PermissionDenied("他の人がこの記録票を先に保存したため、保存できません。")
            obj.lock_version = loaded + 1
        super().save_model(request, obj, form, change)

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
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if record is not None:
            user = request.user
            extra_context |= {
                "record": record,
                "transitions": record.transitions.select_related("actor").order_by("at", "pk"),
                "comparison": compare(record.amends, record) if record.amends_id else None,
                "may_approve": may(user, Action.APPROVE, record),
                "may_return": may(user, Action.RETURN, record),
                "may_retire": may(user, Action.RETIRE, record),
                "staff_url": reverse(f"{self.opts.app_label}:detail", args=[record.pk]),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        record = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if record is not None:
            extra_context |= {
                "history": history_entries(record),
                "title": f"変更履歴: {record}",
            }
        return super().history_view(request, object_id, extra_context)

    def _step_view(self, request, object_id, action, form_class, title, run):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404("記録票が見つかりません。")
        if not may(request.user, action, record):
            raise PermissionDenied(f"この記録票に「{Action(action).label}」はできません。")
        form = form_class(request.POST or None)
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
        }
        return TemplateResponse(request, "admin/reviews/workflow_step.html", context)

    def approve_view(self, request, object_id):
        return self._step_view(
            request,
            object_id,
            Action.APPROVE,
            ApproveForm,
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
            ReturnForm,
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
            RetireForm,
            "廃止",
            lambda record, form: record_retire(
                actor=request.user,
                record=record,
                retired_on=form.cleaned_data["retired_on"],
                comment=form.cleaned_data["comment"],
            ),
        )

    @admin.display(description="状態", ordering="state")
    def state_badge(self, record) -> str:
        return record.get_state_display()


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["at", "content_type", "object_id", "action", "from_state", "to_state", "actor"]
    list_filter = ["action", "content_type"]
    list_select_related = ["content_type", "actor"]
    search_fields = ["comment"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
