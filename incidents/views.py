"""The incident register's staff pages and the public list of published incidents."""

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from incidents import publishing, services, summary
from incidents.criteria import assess
from incidents.deadlines import clocks
from incidents.forms import IncidentForm
from incidents.models import Incident
from incidents.pdf import INCIDENT_REPORT
from incidents.report import report_items, report_xlsx
from notation import wareki
from printing.http import content_disposition, dated_attachment, pdf_response
from printing.render import render_html, render_pdf
from registry.access import is_clerk, may_create_records, section_of, sees_every_section

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_incident_for_user(request: HttpRequest, pk: int, write: bool = False) -> Incident:
    """The incident if the user may see it (404 otherwise: another section's incidents
    do not exist for them), and with write=True only if they may change it (403)."""
    incidents = Incident.objects.visible_to(request.user).select_related("section")
    incident = get_object_or_404(incidents, pk=pk)
    if write and not services.may_edit_incident(request.user, incident):
        raise PermissionDenied(services.EDIT_DENIED)
    return incident


def _xlsx_response(content: bytes, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = disposition
    return response


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = Incident.objects.visible_to(request.user).select_related("section")
    status = request.GET.get("status", "")
    if status in Incident.Status.values:
        incidents = incidents.filter(status=status)
    page = Paginator(incidents, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(incident, [c for c in clocks(incident) if c.overdue(today)]) for incident in page]
    return render(
        request,
        "incidents/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "status_choices": [("", "すべて"), *Incident.Status.choices],
            "may_create": may_create_records(request.user),
            "may_summarise": sees_every_section(request.user),
        },
    )


def _form_page(request: HttpRequest, incident: Incident | None) -> HttpResponse:
    section = None
    if incident is None and not request.user.is_superuser:
        section = section_of(request.user)
    form = IncidentForm(request.POST or None, instance=incident or Incident(), section=section)
    if request.method == "POST" and form.is_valid():
        try:
            if incident is None:
                saved = services.incident_create(
                    actor=request.user,
                    section=section or form.cleaned_data["section"],
                    data=form.incident_data(),
                )
            else:
                saved = services.incident_update(
                    actor=request.user, incident=incident, data=form.incident_data()
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "漏えい等事案を保存しました。")
            return redirect("incidents:detail", saved.pk)
    return render(request, "incidents/form.html", {"form": form, "incident": incident})


@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    if not may_create_records(request.user):
        raise PermissionDenied(services.SECTION_ONLY)
    return _form_page(request, None)


@login_required
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, get_incident_for_user(request, pk, write=True))


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "assessment": assess(incident),
            "clocks": [(clock, clock.overdue(today)) for clock in clocks(incident)],
            "report_items": report_items(incident),
            "serious": publishing.is_serious(incident),
            "may_edit": services.may_edit_incident(request.user, incident),
            "may_release": is_clerk(request.user),
            "history": incident.change_history(),
        },
    )


def _step(request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
    incident = get_incident_for_user(request, pk)
    try:
        step(actor=request.user, incident=incident)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("incidents:detail", incident.pk)


@require_POST
@login_required
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.incident_close, "対応完了にしました。")


@require_POST
@login_required
def incident_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.incident_release, "公表しました。")


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The report to the Commission, item by item, inline in the browser."""
    incident = get_incident_for_user(request, pk)
    return pdf_response(
        INCIDENT_REPORT.render([incident]).content,
        INCIDENT_REPORT.filename(incident),
        name=INCIDENT_REPORT.download_name(incident),
    )


@login_required
def report_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The same items as a sheet, to copy into the Commission's online form."""
    incident = get_incident_for_user(request, pk)
    return _xlsx_response(
        report_xlsx(incident),
        content_disposition(
            f"漏えい等報告_{incident.pk}.xlsx", fallback=f"incident_{incident.pk}.xlsx"
        ),
    )


@login_required
def incident_summary(request: HttpRequest) -> HttpResponse:
    """A fiscal year's incidents by contractor, section and kind (reviewers, clerks)."""
    if not sees_every_section(request.user):
        raise PermissionDenied("集計は審査担当・事務局のみ閲覧できます。")
    current = wareki.fiscal_year(timezone.localdate())
    try:
        year = min(max(int(request.GET.get("year", current)), 1989), current + 1)
    except ValueError:
        year = current
    return render(
        request,
        "incidents/summary.html",
        {
            "summary": summary.incident_summary(year),
            "years": [(y, wareki.format_fiscal_year(y)) for y in range(current, 2004, -1)],
        },
    )


# --- the public pages: published incidents only, never a person's data ------------------


def _public_context() -> dict:
    today = timezone.localdate()
    return {
        "columns": publishing.PUBLIC_COLUMNS,
        "serious": publishing.serious_cases(),
        "half_years": publishing.half_year_lists(today),
        "today": today,
    }


def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "incidents/public_list.html", _public_context())


def public_pdf(request: HttpRequest) -> HttpResponse:
    html = render_html("incidents/public_print.html", [_public_context()])
    # Published: tagged for screen readers (PDF/A-2a, PDF/UA-1) like every file the
    # public register serves.
    return pdf_response(
        render_pdf(html, title="個人情報の漏えい等事案の公表", tagged=True).content,
        "incidents.pdf",
        name="個人情報の漏えい等事案の公表.pdf",
    )


def public_xlsx(request: HttpRequest) -> HttpResponse:
    context = _public_context()
    book = tablib.Databook()
    sheets = [("重大な事案", context["serious"])] + [
        (half.label, rows) for half, rows in context["half_years"]
    ]
    for title, rows in sheets:
        sheet = tablib.Dataset(headers=list(publishing.PUBLIC_COLUMNS), title=title[:31])
        for row in rows:
            sheet.append(row.cells())
        book.add_sheet(sheet)
    return _xlsx_response(
        book.export("xlsx"), dated_attachment("漏えい等事案の公表", "incidents", "xlsx")
    )
