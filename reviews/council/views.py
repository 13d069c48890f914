"""The staff pages for pre-approval reports (at /reports/): list, new, edit, record
page, print, category suggestions, and adding an item's example to its category."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from printing.http import pdf_response
from registry import access
from registry.access import may_create_records, section_of, sections_seen, sees_every_section
from registry.changes import cached
from reviews.council import services
from reviews.council.forms import ExampleAddForm, ReportForm, ReportItemFormSet
from reviews.council.models import PreApprovalCategory, PreApprovalReport
from reviews.council.pdf import REPORT
from reviews.council.suggestions import assess
from reviews.figures import report_item_figures

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
    return access.may_edit_report(user, report.section_id)


def _categories() -> list[PreApprovalCategory]:
    return list(PreApprovalCategory.objects.prefetch_related("examples"))


def _item_rows(items, categories) -> list[tuple]:
    """Each item form with the categories its text suggests, for the page without JS."""
    rows = []
    for item_form in items.forms:
        text = item_form.suggestion_text
        rows.append((item_form, _assessment(text, categories)))
    return rows


SUGGESTIONS_SHOWN = 5


def _assessment(text: str, categories):
    """The panel's content: None before anything is typed."""
    if not text:
        return None
    assessment = assess(text, categories)
    assessment.suggestions = assessment.suggestions[:SUGGESTIONS_SHOWN]
    return assessment


REPORTS_PER_PAGE = 50


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("page")

    def table() -> str:
        reports = (
            PreApprovalReport.objects.visible_to(request.user)
            .select_related("section")
            .prefetch_related("items")
            .order_by("-pk")
        )
        page = Paginator(reports, REPORTS_PER_PAGE).get_page(number)
        return render_to_string("council/_report_table.html", {"page": page})

    return render(
        request,
        "council/report_list.html",
        {
            # Reports and their items change only with an audited write.
            "table": cached("report-list", sections_seen(request.user), number, build=table),
            "may_create": may_create_records(request.user),
        },
    )


def _report_form_page(request: HttpRequest, report: PreApprovalReport | None) -> HttpResponse:
    # A report stays with the section it was filed for: only a new one offers a choice
    # (to a superuser, who belongs to no section).
    if report is not None:
        section = report.section
    else:
        section = None if request.user.is_superuser else section_of(request.user)
    instance = report if report is not None else PreApprovalReport()
    form = ReportForm(request.POST or None, instance=instance, section=section)
    items = ReportItemFormSet(request.POST or None, instance=form.instance, prefix="items")
    checked = False
    if request.method == "POST":
        valid = form.is_valid() & items.is_valid()
        checked = valid and "preview" in request.POST
        if valid and not checked:
            try:
                saved = services.report_save(
                    actor=request.user,
                    report=report,
                    section=form.chosen_section,
                    data=form.report_data(),
                    items=items.item_data(),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, "報告を保存しました。")
                return redirect("council:report_detail", saved.pk)
    return render(
        request,
        "council/report_form.html",
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
    if not may_create_records(request.user):
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
        "council/report_detail.html",
        {
            "report": report,
            "rows": rows,
            "may_edit": may_edit_report(request.user, report),
            "may_add_examples": may_add,
            "history": report.change_history(),
        },
    )


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as printed (laid out like the Nerima report), inline in the browser."""
    report = get_object_or_404(REPORT.records().visible_to(request.user), pk=pk)
    return pdf_response(
        REPORT.render([report]).content, REPORT.filename(report), name=REPORT.download_name(report)
    )


@login_required
def report_suggest(request: HttpRequest) -> HttpResponse:
    """The suggestion panel as an HTML fragment, fetched while the user types."""
    text = request.GET.get("text", "")[:5000].strip()
    return render(
        request, "council/_suggestions.html", {"assessment": _assessment(text, _categories())}
    )


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
        return redirect("council:report_detail", report.pk)
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
    return redirect("council:report_detail", report.pk)
