import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from linkages.forms import LinkageForm
from linkages.models import Linkage
from linkages.pdf import FORM5
from linkages.resources import LinkageResource
from notation import fullwidth
from printing.http import pdf_response
from reviews.workflow import views as record_views
from reviews.workflow.states import may_edit


def get_linkage_for_user(request: HttpRequest, pk: int, write: bool = False) -> Linkage:
    """The record if the user may see it (404 otherwise: another section's records do not
    exist for them), and with write=True only if they may change it now (403)."""
    records = Linkage.objects.visible_to(request.user).select_related(
        "business__section",
        "partner",
        "linked_consultation",
        "change_consultation",
        "amends",
        "approval_category",
        "approval_consultation",
        "approval_answer__consultation",
    )
    linkage = get_object_or_404(records, pk=pk)
    if write and not may_edit(request.user, linkage):
        raise PermissionDenied("この記録票を編集する権限がないか、編集できない状態です。")
    return linkage


def form5_sheet(linkage: Linkage) -> dict:
    """What the printed 第5号様式 shows, for the record page: what was approved for an
    approved, superseded or retired version, live data for a draft. Shaped like the
    preview's context so the sheet template serves both."""
    content = linkage.shown_content()

    def month(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    def council(consultation: dict | None) -> str:
        return consultation["label"] if consultation else ""

    return {
        "record": {
            **content,
            "linked_on": month(content["linked_on"]),
            "changed_on": month(content["changed_on"]),
            "linked_consultation": council(content["linked_consultation"]),
            "change_consultation": council(content["change_consultation"]),
            "get_line_display": content["line"],
        },
        "business": {
            "printed_number": fullwidth.business_number(content["number"]),
            "section": content["section"],
            "name": content["business_name"],
        },
        "provided_items": content["provided_items"],
        "received_items": content["received_items"],
    }


PAGES = record_views.RecordPages(
    model=Linkage,
    form_class=LinkageForm,
    namespace="linkages",
    get_for_user=get_linkage_for_user,
    sheet=form5_sheet,
    list_related=("business__section", "partner"),
    resource_class=LinkageResource,
)


@login_required
def linkage_list(request: HttpRequest) -> HttpResponse:
    return record_views.record_list(request, PAGES)


@login_required
def linkage_new(request: HttpRequest) -> HttpResponse:
    return record_views.record_new(request, PAGES)


@login_required
def linkage_import(request: HttpRequest) -> HttpResponse:
    return record_views.record_import(request, PAGES)


@login_required
def linkage_import_status(request: HttpRequest, import_id: int) -> HttpResponse:
    return record_views.record_import_status(request, import_id, PAGES)


@login_required
def linkage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_detail(request, pk, PAGES)


@login_required
def linkage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_edit(request, pk, PAGES)


@require_POST
@login_required
def linkage_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_submit(request, pk, PAGES)


@require_POST
@login_required
def linkage_amend(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_amend(request, pk, PAGES)


@login_required
def form5_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """電算結合記録票 (第5号様式) of one record, inline in the browser."""
    # No lists prefetched: an approved version prints what it kept (often a stored file),
    # a draft reads its lists as it prints them.
    linkage = get_object_or_404(
        Linkage.objects.visible_to(request.user).select_related("business__section"), pk=pk
    )
    return pdf_response(
        FORM5.render([linkage]).content, FORM5.filename(linkage), name=FORM5.download_name(linkage)
    )
