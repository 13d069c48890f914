from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from printing.http import pdf_response
from processing.annex import annex_context
from processing.forms import ProcessingForm
from processing.models import Processing
from processing.pdf import PROCESSING
from processing.resources import ProcessingResource
from reviews.workflow import views as record_views
from reviews.workflow.states import may_edit


def get_processing_for_user(request: HttpRequest, pk: int, write: bool = False) -> Processing:
    """The record if the user may see it (404 otherwise: another section's records do not
    exist for them), and with write=True only if they may change it now (403)."""
    records = Processing.objects.visible_to(request.user).select_related(
        "business__section",
        "amends",
        "approval_category",
        "approval_consultation",
        "approval_answer__consultation",
    )
    record = get_object_or_404(records, pk=pk)
    if write and not may_edit(request.user, record):
        raise PermissionDenied("この記録を編集する権限がないか、編集できない状態です。")
    return record


def annex_sheet(record: Processing) -> dict:
    """The 別紙 as printed: what was approved for a register version, live data for a draft."""
    return annex_context(record.shown_content())


PAGES = record_views.RecordPages(
    model=Processing,
    form_class=ProcessingForm,
    namespace="processing",
    get_for_user=get_processing_for_user,
    sheet=annex_sheet,
    resource_class=ProcessingResource,
)


@login_required
def processing_list(request: HttpRequest) -> HttpResponse:
    return record_views.record_list(request, PAGES)


@login_required
def processing_new(request: HttpRequest) -> HttpResponse:
    return record_views.record_new(request, PAGES)


@login_required
def processing_import(request: HttpRequest) -> HttpResponse:
    return record_views.record_import(request, PAGES)


@login_required
def processing_import_status(request: HttpRequest, import_id: int) -> HttpResponse:
    return record_views.record_import_status(request, import_id, PAGES)


@login_required
def processing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_detail(request, pk, PAGES)


@login_required
def processing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_edit(request, pk, PAGES)


@require_POST
@login_required
def processing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_submit(request, pk, PAGES)


@require_POST
@login_required
def processing_amend(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_amend(request, pk, PAGES)


@login_required
def annex_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """別紙（電算処理） and its checklist, inline in the browser."""
    record = get_object_or_404(Processing.objects.visible_to(request.user).with_form_data(), pk=pk)
    return pdf_response(
        PROCESSING.render([record]).content,
        PROCESSING.filename(record),
        name=PROCESSING.download_name(record),
    )
