"""The staff pages every Form 2 / Form 5 record type shares: list, new, record page,
edit, submit, amend. Each app's views.py fetches the record through its own access
helper and hands it here; access is decided there and in the services, never here.

Below them, the reviews app's own pages for pre-approval reports (at /reports/)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from printing.http import pdf_response
from registry import roles
from reviews import services
from reviews.figures import record_figures, report_item_figures
from reviews.forms import (
    STATE_FILTER_CHOICES,
    EditVersionForm,
    ExampleAddForm,
    ReportForm,
    ReportItemFormSet,
)
from reviews.history import changes_since, compare, history_entries
from reviews.models import PreApprovalCategory, PreApprovalReport, ReviewedRecord
from reviews.pdf import REPORT
from reviews.suggestions import rank_categories
from reviews.workflow import (
    Action,
    State,
    has_role,
    is_section_staff_of,
    may,
    may_edit,
    section_of,
    sees_every_section,
)

PAGE_SIZE = 50


@dataclass(frozen=True)
class RecordPages:
    model: type[ReviewedRecord]
    form_class: type
    namespace: str
    get_for_user: Callable[..., ReviewedRecord]
    sheet: Callable[[ReviewedRecord], dict]
    list_related: tuple[str, ...] = ("business__section",)

    def template(self, name: str) -> str:
        return f"{self.namespace}/{name}.html"

    def url(self, name: str, record: ReviewedRecord) -> str:
        return reverse(f"{self.namespace}:{name}", args=[record.pk])


def _render(
    request: HttpRequest, pages: RecordPages, name: str, context: dict, status: int = 200
) -> HttpResponse:
    return render(
        request, pages.template(name), {"namespace": pages.namespace, **context}, status=status
    )


def record_list(request: HttpRequest, pages: RecordPages) -> HttpResponse:
    records = (
        pages.model.objects.visible_to(request.user)
        .select_related(*pages.list_related)
        .order_by("business__number", "pk")
    )
    state = request.GET.get("state", "")
    if state in State.values:
        records = records.filter(state=state)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        pages,
        "list",
        {
            "page": page,
            "state": state,
            "state_choices": STATE_FILTER_CHOICES,
            "may_create": may_create(request.user),
        },
    )


def may_create(user) -> bool:
    return user.is_superuser or (has_role(user, roles.SECTION_STAFF) and section_of(user))


def _form_kwargs(request) -> dict:
    section = section_of(request.user)
    return {"section_id": None if request.user.is_superuser else section.pk}


def record_new(request: HttpRequest, pages: RecordPages) -> HttpResponse:
    if not may_create(request.user):
        raise PermissionDenied("記録票を作成できるのは所管課の職員です。")
    section = section_of(request.user)
    initial = {"manager": section.manager_title} if section else {}
    form = pages.form_class(request.POST or None, initial=initial, **_form_kwargs(request))
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = form.preview()
        else:
            record = services.record_create(actor=request.user, form=form)
            messages.success(request, "下書きを保存しました。内容を確認して提出してください。")
            return redirect(pages.url("detail", record))
    return _render(request, pages, "form", {"form": form, "preview": preview, "record": None})


def record_edit(request: HttpRequest, pk: int, pages: RecordPages) -> HttpResponse:
    record = pages.get_for_user(request, pk, write=True)
    version = EditVersionForm(request.POST or None, initial={"loaded_version": record.lock_version})
    form = pages.form_class(request.POST or None, instance=record, **_form_kwargs(request))
    preview = conflict = None
    status = 200
    if request.method == "POST" and form.is_valid() and version.is_valid():
        loaded = version.cleaned_data["loaded_version"]
        if "preview" in request.POST:
            preview = form.preview()
        else:
            try:
                services.record_save(actor=request.user, form=form, loaded_version=loaded)
            except services.EditConflict as error:
                changes, who = changes_since(error.record, loaded)
                conflict = {"record": error.record, "changes": changes, "who": who}
                status = 409
            else:
                messages.success(request, "保存しました。")
                return redirect(pages.url("detail", record))
    return _render(
        request,
        pages,
        "form",
        {
            "form": form,
            "version_form": version,
            "preview": preview,
            "record": record,
            "conflict": conflict,
        },
        status,
    )


def record_detail(request: HttpRequest, pk: int, pages: RecordPages) -> HttpResponse:
    record = pages.get_for_user(request, pk)
    user = request.user
    open_amendment = (
        record.amendments.exclude(state__in=[State.APPROVED, State.AMENDED]).order_by("-pk").first()
    )
    transitions = list(record.transitions.select_related("actor").order_by("-at", "-pk"))
    last_return = next((t for t in transitions if t.action == Action.RETURN), None)
    return _render(
        request,
        pages,
        "detail",
        {
            "record": record,
            "return_comment": last_return if record.state == State.RETURNED else None,
            "sheet": pages.sheet(record),
            "transitions": transitions,
            "history": history_entries(record),
            "may_edit": may_edit(user, record),
            "may_submit": may(user, Action.SUBMIT, record),
            "may_amend": may(user, Action.AMEND, record) and open_amendment is None,
            "open_amendment": open_amendment,
            "comparison": compare(record.amends, record) if record.amends_id else None,
            "figures": record_figures(record),
        },
    )


def record_submit(request: HttpRequest, pk: int, pages: RecordPages) -> HttpResponse:
    record = pages.get_for_user(request, pk)
    try:
        services.record_submit(
            actor=request.user, record=record, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"提出できません: {message}")
    else:
        messages.success(request, "審査担当に提出しました。")
    return redirect(pages.url("detail", record))


def record_amend(request: HttpRequest, pk: int, pages: RecordPages) -> HttpResponse:
    record = pages.get_for_user(request, pk)
    try:
        amendment = services.record_amend(actor=request.user, record=record)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(pages.url("detail", record))
    messages.success(
        request,
        "変更の下書きを作成しました。承認されるまでは、現在の記録票が効力を持ちます。",
    )
    return redirect(pages.url("edit", amendment))


# --- pre-approval reports (事前一括承認基準の適用について) ---


def get_report_for_user(request: HttpRequest, pk: int, write: bool = False) -> PreApprovalReport:
    """The report if the user may see it (404 otherwise: another section's reports do not
    exist for them); with write=True only if they may change it (403): its own section's
    staff, or a superuser. Reviewers and clerks read every report but do not edit it."""
    reports = PreApprovalReport.objects.visible_to(request.user).select_related("section")
    report = get_object_or_404(reports, pk=pk)
    if write and not may_edit_report(request.user, report):
        raise PermissionDenied("この報告を編集できるのは所管課の職員です。")
    return report


def may_edit_report(user, report: PreApprovalReport) -> bool:
    return user.is_superuser or is_section_staff_of(user, report.section_id)


def _categories() -> list[PreApprovalCategory]:
    return list(PreApprovalCategory.objects.prefetch_related("examples"))


def _item_rows(items, categories) -> list[tuple]:
    """Each item form with the categories its text suggests, for the page without JS."""
    rows = []
    for item_form in items.forms:
        text = item_form.suggestion_text
        rows.append(
            (item_form, rank_categories(text, categories)[:SUGGESTIONS_SHOWN] if text else None)
        )
    return rows


SUGGESTIONS_SHOWN = 5


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = (
        PreApprovalReport.objects.visible_to(request.user)
        .select_related("section")
        .prefetch_related("items")
        .order_by("-pk")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/report_list.html",
        {"page": page, "may_create": may_create(request.user)},
    )


def _report_form_page(request: HttpRequest, report: PreApprovalReport | None) -> HttpResponse:
    section = None if request.user.is_superuser else section_of(request.user)
    instance = report if report is not None else PreApprovalReport()
    form = ReportForm(request.POST or None, instance=instance, section=section)
    items = ReportItemFormSet(request.POST or None, instance=form.instance, prefix="items")
    checked = False
    if request.method == "POST":
        valid = form.is_valid() & items.is_valid()
        checked = valid and "preview" in request.POST
        if valid and not checked:
            saved = services.report_save(actor=request.user, form=form, items=items)
            messages.success(request, "報告を保存しました。")
            return redirect("reviews:report_detail", saved.pk)
    return render(
        request,
        "reviews/report_form.html",
        {
            "form": form,
            "items": items,
            "item_rows": _item_rows(items, _categories()),
            "report": report,
            "checked": checked,
        },
    )


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    if not may_create(request.user):
        raise PermissionDenied("報告を作成できるのは所管課の職員です。")
    return _report_form_page(request, None)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_form_page(request, get_report_for_user(request, pk, write=True))


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    items = list(report.items.select_related("category"))
    added = {(e.category_id, e.text): e for e in report.added_examples.all()}
    may_add = sees_every_section(request.user)
    rows = [
        {
            "item": item,
            "added": added.get((item.category_id, item.new_example)),
            "figures": report_item_figures(item),
            "form": ExampleAddForm(
                initial={"added_on": timezone.localdate()}, prefix=f"item{item.pk}"
            )
            if may_add
            else None,
        }
        for item in items
    ]
    return render(
        request,
        "reviews/report_detail.html",
        {
            "report": report,
            "rows": rows,
            "may_edit": may_edit_report(request.user, report),
            "may_add_examples": may_add,
        },
    )


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as printed (laid out like the Nerima report), inline in the browser."""
    report = get_object_or_404(REPORT.records().visible_to(request.user), pk=pk)
    return pdf_response(REPORT.render([report]).content, REPORT.filename(report))


@login_required
def report_suggest(request: HttpRequest) -> HttpResponse:
    """The suggestion panel as an HTML fragment, fetched while the user types."""
    text = request.GET.get("text", "")[:5000].strip()
    suggestions = rank_categories(text, _categories())[:SUGGESTIONS_SHOWN] if text else None
    return render(request, "reviews/_suggestions.html", {"suggestions": suggestions})


@require_POST
@login_required
def report_add_example(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """事例への追加, taken by a reviewer or clerk from the report page."""
    report = get_report_for_user(request, pk)
    if not sees_every_section(request.user):
        raise PermissionDenied("事例を追加できるのは審査担当または事務局です。")
    item = get_object_or_404(report.items.select_related("category", "report"), pk=item_pk)
    form = ExampleAddForm(request.POST, prefix=f"item{item.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("reviews:report_detail", report.pk)
    try:
        example = services.report_item_add_example(
            actor=request.user, item=item, on=form.cleaned_data["added_on"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"類型{item.category.number}に事例「{example.text}」を追加しました。",
        )
    return redirect("reviews:report_detail", report.pk)
