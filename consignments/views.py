from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from consignments.forms import ConsignmentForm
from consignments.models import Consignment
from consignments.pdf import FORM2
from consignments.resources import ConsignmentResource
from notation import fullwidth
from printing.http import pdf_response
from reviews.workflow import views as record_views
from reviews.workflow.states import may_edit


def get_consignment_for_user(request: HttpRequest, pk: int, write: bool = False) -> Consignment:
    """The record if the user may see it (404 otherwise: another section's records do not
    exist for them), and with write=True only if they may change it now (403)."""
    # The record page's body, which shows the approval's basis and the amended version,
    # is built once per change stamp (reviews.workflow.views.record_detail): joining
    # them on every view cost PostgreSQL more to plan than the page's other queries.
    records = Consignment.objects.visible_to(request.user).select_related("business__section")
    consignment = get_object_or_404(records, pk=pk)
    if write and not may_edit(request.user, consignment):
        raise PermissionDenied("この記録票を編集する権限がないか、編集できない状態です。")
    return consignment


def form2_sheet(consignment: Consignment) -> dict:
    """What the printed 第2号様式 shows, for the record page: what was approved for an
    approved, superseded or retired version, live data for a draft. Shaped like the
    preview's context so the sheet template serves both."""
    content = consignment.shown_content()

    def boxes(name: str) -> tuple[list[dict], list[dict]]:
        every = [{"label": label} for label, _ in content[name]]
        return every, [{"label": label} for label, checked in content[name] if checked]

    all_record_kinds, record_kinds = boxes("record_kinds")
    all_conditions, conditions = boxes("conditions")
    all_transfer_forms, transfer_forms = boxes("transfer_forms")
    return {
        "record": content,
        "business": {
            "printed_number": fullwidth.business_number(content["number"]),
            "section": content["section"],
            "name": content["business_name"],
        },
        "council_references": [c["label"] for c in content["consultations"]]
        + content["categories"],
        "contractors": content["contractors"],
        "record_kinds": record_kinds,
        "conditions": conditions,
        "transfer_forms": transfer_forms,
        "all_record_kinds": all_record_kinds,
        "all_conditions": all_conditions,
        "all_transfer_forms": all_transfer_forms,
    }


PAGES = record_views.RecordPages(
    model=Consignment,
    form_class=ConsignmentForm,
    namespace="consignments",
    get_for_user=get_consignment_for_user,
    sheet=form2_sheet,
    resource_class=ConsignmentResource,
)


@login_required
def consignment_list(request: HttpRequest) -> HttpResponse:
    return record_views.record_list(request, PAGES)


@login_required
def consignment_new(request: HttpRequest) -> HttpResponse:
    return record_views.record_new(request, PAGES)


@login_required
def consignment_import(request: HttpRequest) -> HttpResponse:
    return record_views.record_import(request, PAGES)


@login_required
def consignment_import_status(request: HttpRequest, import_id: int) -> HttpResponse:
    return record_views.record_import_status(request, import_id, PAGES)


@login_required
def consignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_detail(request, pk, PAGES)


@login_required
def consignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_edit(request, pk, PAGES)


@require_POST
@login_required
def consignment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_submit(request, pk, PAGES)


@require_POST
@login_required
def consignment_amend(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_amend(request, pk, PAGES)


@login_required
def form2_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """外部委託記録票 (第2号様式) of one record, inline in the browser."""
    # No lists prefetched: an approved version prints what it kept (often a stored file),
    # a draft reads its lists as it prints them.
    consignment = get_object_or_404(
        Consignment.objects.visible_to(request.user).select_related("business__section"), pk=pk
    )
    return pdf_response(
        FORM2.render([consignment]).content,
        FORM2.filename(consignment),
        name=FORM2.download_name(consignment),
    )
