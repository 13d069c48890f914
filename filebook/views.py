"""Staff pages (list, new from a 業務 with proposals, record page, edit) and the public
個人情報ファイル簿 (/register/files/: list, page, PDF, Excel and CSV)."""

import tablib
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from exchange.spreadsheets import SpreadsheetCSV, SpreadsheetXLSX
from filebook.checks import problems_for_file
from filebook.forms import BusinessChoiceForm, PersonalInfoFileForm
from filebook.models import ITEMS, PersonalInfoFile
from filebook.pdf import FILEBOOK
from filebook.proposals import propose
from filebook.resources import PersonalInfoFileResource
from printing.http import content_disposition, pdf_response
from registry.access import may_create_records, section_of
from registry.public_pages import PageLinks, cached_for_public
from reviews.workflow import views as record_views
from reviews.workflow.services import record_create
from reviews.workflow.states import may_edit


def get_file_for_user(request: HttpRequest, pk: int, write: bool = False) -> PersonalInfoFile:
    """The file if the user may see it (404 otherwise: another section's files do not
    exist for them), and with write=True only if they may change it now (403)."""
    files = PersonalInfoFile.objects.visible_to(request.user).select_related(
        "business__section", "amends"
    )
    file = get_object_or_404(files, pk=pk)
    if write and not may_edit(request.user, file):
        raise PermissionDenied("この個人情報ファイルを編集する権限がないか、編集できない状態です。")
    return file


def file_sheet(file: PersonalInfoFile) -> dict:
    """What the record page shows: the 帳簿's items as this version shows them, and how
    the file disagrees with the register today."""
    return {
        "items": file.shown_items(),
        "number": file.business.printed_number,
        "business_name": file.business.name,
        "problems": problems_for_file(file),
    }


PAGES = record_views.RecordPages(
    model=PersonalInfoFile,
    form_class=PersonalInfoFileForm,
    namespace="filebook",
    get_for_user=get_file_for_user,
    sheet=file_sheet,
    resource_class=PersonalInfoFileResource,
)


def _warn(request: HttpRequest, file: PersonalInfoFile) -> None:
    """A saved file that disagrees with the register is kept, with a warning."""
    for problem in problems_for_file(file):
        messages.warning(request, f"［{problem.rule}］{problem.message}")


@login_required
def file_list(request: HttpRequest) -> HttpResponse:
    return record_views.record_list(request, PAGES)


@login_required
def file_import(request: HttpRequest) -> HttpResponse:
    return record_views.record_import(request, PAGES)


@login_required
def file_import_status(request: HttpRequest, import_id: int) -> HttpResponse:
    return record_views.record_import_status(request, import_id, PAGES)


@login_required
def file_new(request: HttpRequest) -> HttpResponse:
    """Start a draft from a 業務: choose it, then confirm or change what the register
    proposes for each item, then save the draft."""
    if not may_create_records(request.user):
        raise PermissionDenied("個人情報ファイルを作成できるのは所管課の職員です。")
    section = section_of(request.user)
    section_id = None if request.user.is_superuser else section.pk
    choice = BusinessChoiceForm(request.GET or None, section_id=section_id)
    proposal = form = preview = None
    if request.method == "POST":
        form = PersonalInfoFileForm(request.POST, section_id=section_id)
        if form.is_valid() and "preview" in request.POST:
            preview = form.preview()
        elif form.is_valid():
            try:
                file = record_create(
                    actor=request.user, model=PersonalInfoFile, **form.record_data()
                )
            except ValidationError as error:
                record_views.add_errors(form, error)
            else:
                messages.success(request, "下書きを保存しました。内容を確認して提出してください。")
                _warn(request, file)
                return redirect(PAGES.url("detail", file))
    elif choice.is_valid():
        proposal = propose(choice.cleaned_data["business"])
        form = PersonalInfoFileForm(initial=proposal.data, section_id=section_id)
    return render(
        request,
        "filebook/form.html",
        {
            "namespace": PAGES.namespace,
            "choice": choice,
            "form": form,
            "proposal": proposal,
            "preview": preview,
            "record": None,
        },
    )


@login_required
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_detail(request, pk, PAGES)


@login_required
def file_edit(request: HttpRequest, pk: int) -> HttpResponse:
    response = record_views.record_edit(request, pk, PAGES)
    if request.method == "POST" and response.status_code == 302:
        _warn(request, PersonalInfoFile.objects.get(pk=pk))
    return response


@require_POST
@login_required
def file_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_submit(request, pk, PAGES)


@require_POST
@login_required
def file_amend(request: HttpRequest, pk: int) -> HttpResponse:
    return record_views.record_amend(request, pk, PAGES)


@login_required
def file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    file = get_object_or_404(
        PersonalInfoFile.objects.visible_to(request.user).with_form_data(), pk=pk
    )
    return pdf_response(
        FILEBOOK.render([file]).content, FILEBOOK.filename(file), name=FILEBOOK.download_name(file)
    )


# --- the public 個人情報ファイル簿 ---------------------------------------------------------


def published_files():
    """Approved files in force, as the 帳簿 lists them (the Act's threshold, or every
    file where the ward publishes smaller ones): drafts and submissions never."""
    return PersonalInfoFile.objects.published(small_files=settings.FILEBOOK_PUBLISH_SMALL_FILES)


def _published_rows(files) -> list[tuple[PersonalInfoFile, list[tuple[str, str]]]]:
    return [(file, file.shown_items()) for file in files]


@cached_for_public
def public_list(request: HttpRequest) -> HttpResponse:
    """A page of PUBLIC_PAGE_SIZE files (the downloads hold the whole 帳簿)."""
    page = Paginator(published_files(), settings.PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "filebook/public_list.html",
        {
            "rows": _published_rows(page.object_list),
            "page": PageLinks.of(page),
            "labels": [label for _, label in ITEMS],
            "small_files": settings.FILEBOOK_PUBLISH_SMALL_FILES,
            "today": timezone.localdate(),
        },
    )


@cached_for_public
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    file = get_object_or_404(published_files(), pk=pk)
    return render(
        request, "filebook/public_detail.html", {"file": file, "items": file.shown_items()}
    )


def public_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    file = get_object_or_404(published_files(), pk=pk)
    return pdf_response(
        FILEBOOK.render([file]).content, FILEBOOK.filename(file), name=FILEBOOK.download_name(file)
    )


EXPORTS = {
    "xlsx": (SpreadsheetXLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (SpreadsheetCSV, "text/csv; charset=utf-8"),
}


def public_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The whole 帳簿, one row per file and one column per item in the published order,
    through the register's hardened export (text never becomes a formula; CSV with a
    BOM so Excel reads the Japanese)."""
    # The sheet's name is what a clerk sees on its tab in Excel.
    dataset = tablib.Dataset(headers=[label for _, label in ITEMS], title="個人情報ファイル簿")
    for _, items in _published_rows(published_files()):
        dataset.append([text for _, text in items])
    export_format, content_type = EXPORTS[file_format]
    response = HttpResponse(export_format().export_data(dataset), content_type=content_type)
    day = timezone.localdate()
    response["Content-Disposition"] = content_disposition(
        f"個人情報ファイル簿_{day:%Y%m%d}.{file_format}",
        fallback=f"kojin_joho_file_bo_{day:%Y%m%d}.{file_format}",
    )
    return response
