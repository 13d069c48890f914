"""The staff pages every Form 2 / Form 5 record type shares: list, new, record page,
edit, submit, amend. Each app's views.py fetches the record through its own access
helper and hands it here; access is decided there and in the services, never here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from exchange.models import ImportRecord
from exchange.services import importrecord_create, importrecord_enqueue, importrecord_retry
from registry.access import may_create_records, section_of, sections_seen
from registry.changes import cached, cached_for_everyone, request_stamp
from reviews.figures import record_figures
from reviews.workflow import services
from reviews.workflow.forms import STATE_FILTER_CHOICES, EditVersionForm, RecordImportForm
from reviews.workflow.history import changes_since, compare, history_entries
from reviews.workflow.models import ReviewedRecord
from reviews.workflow.states import Action, State, may, may_edit

PAGE_SIZE = 50


@dataclass(frozen=True)
class RecordPages:
    model: type[ReviewedRecord]
    form_class: type
    namespace: str
    get_for_user: Callable[..., ReviewedRecord]
    sheet: Callable[[ReviewedRecord], dict]
    #: the register's import resource (consignments.resources.ConsignmentResource …);
    #: None for a register staff do not import (個人情報ファイル簿)
    resource_class: type | None = None
    list_related: tuple[str, ...] = ("business__section",)

    def template(self, name: str) -> str:
        return f"{self.namespace}/{name}.html"

    def url(self, name: str, record) -> str:
        return reverse(f"{self.namespace}:{name}", args=[record.pk])

    @property
    def resource_path(self) -> str:
        return f"{self.resource_class.__module__}.{self.resource_class.__qualname__}"


def _render(
    request: HttpRequest, pages: RecordPages, name: str, context: dict, status: int = 200
) -> HttpResponse:
    return render(
        request, pages.template(name), {"namespace": pages.namespace, **context}, status=status
    )


def record_list(request: HttpRequest, pages: RecordPages) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    number = request.GET.get("page")
    today = timezone.localdate()

    def table() -> str:
        records = (
            pages.model.objects.visible_to(request.user)
            .select_related(*pages.list_related)
            .order_by("business__number", "pk")
        )
        if state:
            # The dashboard's counts link here: the same buckets (a superseded version
            # still in force is listed under 承認済み).
            records = records.in_bucket(state, today)
        page = Paginator(records, PAGE_SIZE).get_page(number)
        return render_to_string(pages.template("_list_table"), {"page": page, "state": state})

    return _render(
        request,
        pages,
        "list",
        {
            # The rows change only with an audited write (and a state's bucket with the
            # day): counting and rendering them was most of the page's cost.
            "table": cached(
                "record-list",
                pages.model._meta.label,
                sections_seen(request.user),
                state,
                number,
                today,
                build=table,
            ),
            "state": state,
            "state_choices": STATE_FILTER_CHOICES,
            "may_create": may_create_records(request.user),
        },
    )


def _form_kwargs(request) -> dict:
    section = section_of(request.user)
    return {"section_id": None if request.user.is_superuser else section.pk}


def add_errors(form, error: ValidationError) -> None:
    """A refusal from the service, shown on the form (by field where the form has it)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def record_new(request: HttpRequest, pages: RecordPages) -> HttpResponse:
    if not may_create_records(request.user):
        raise PermissionDenied("記録票を作成できるのは所管課の職員です。")
    section = section_of(request.user)
    initial = {"manager": section.manager_title} if section else {}
    form = pages.form_class(request.POST or None, initial=initial, **_form_kwargs(request))
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = form.preview()
        else:
            try:
                record = services.record_create(
                    actor=request.user, model=pages.model, **form.record_data()
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
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
                services.record_save(
                    actor=request.user, record=record, loaded_version=loaded, **form.record_data()
                )
            except services.EditConflict as error:
                changes, who = changes_since(error.record, loaded)
                conflict = {"record": error.record, "changes": changes, "who": who}
                status = 409
            except ValidationError as error:
                add_errors(form, error)
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


def _record_body(pages: RecordPages, record: ReviewedRecord) -> dict:
    """The record page's parts that change only with an audited write or the day: the
    sheet, figures, comparison, history and workflow side, rendered, and what the rest
    of the page reads of them."""
    open_amendment = record.open_amendments().order_by("-pk").first()
    transitions = list(record.transitions.select_related("actor").order_by("-at", "-pk"))
    sheet = pages.sheet(record)
    body = render_to_string(
        # A record type's own body, or the common one around its sheet.
        [pages.template("_detail_body"), "workflow/_detail_body.html"],
        {
            "namespace": pages.namespace,
            "sheet_template": pages.template("_sheet"),
            "record": record,
            "sheet": sheet,
            "transitions": transitions,
            "open_amendment": open_amendment,
            "history": history_entries(record),
            "comparison": compare(record.amends, record) if record.amends_id else None,
            "figures": record_figures(record),
        },
    )
    return {
        "body": body,
        "sheet": sheet,
        "open_amendment": open_amendment,
        "last_return": next((t for t in transitions if t.action == Action.RETURN), None),
    }


def record_detail(request: HttpRequest, pk: int, pages: RecordPages) -> HttpResponse:
    # The stamp is read before the record the part is built from, so a part is never
    # kept under a stamp newer than its data.
    stamp = request_stamp(request)
    record = pages.get_for_user(request, pk)
    user = request.user
    today = timezone.localdate()
    # The same for everyone who may see the record: built once for every process.
    part = cached_for_everyone(
        "record-body",
        record._meta.label,
        record.pk,
        today,
        build=lambda: _record_body(pages, record),
        stamp=stamp,
    )
    return _render(
        request,
        pages,
        "detail",
        {
            "record": record,
            "return_comment": part["last_return"] if record.state == State.RETURNED else None,
            "sheet": part["sheet"],
            "body": part["body"],
            "may_edit": may_edit(user, record),
            "may_submit": may(user, Action.SUBMIT, record),
            "may_amend": may(user, Action.AMEND, record) and part["open_amendment"] is None,
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


# --- the section's own import ------------------------------------------------------------

COUNT_LABELS = (
    ("new", "追加"),
    ("update", "変更"),
    ("skip", "変更なし"),
    ("invalid", "誤りのある行"),
    ("error", "読めない行"),
)


def _may_import(user) -> bool:
    # Section staff import their own section's records; the resource refuses any row of
    # another section, as the admin's import does.
    return bool(may_create_records(user))


def _render_import(
    request: HttpRequest, pages: RecordPages, template: str, context: dict, status: int = 200
) -> HttpResponse:
    context = {
        "namespace": pages.namespace,
        "register_name": pages.model._meta.verbose_name,
        **context,
    }
    return render(request, template, context, status=status)


def record_import(request: HttpRequest, pages: RecordPages) -> HttpResponse:
    """Upload a sheet of the section's records: every row is checked first (nothing is
    saved), the page shows what would be added or changed or why the file is refused,
    and 取り込みを実行 then saves all of it or nothing."""
    if not _may_import(request.user):
        raise PermissionDenied("記録票を取り込めるのは所管課の職員です。")
    form = RecordImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # The form checked the size; the task worker reads and checks the file, so a
        # heavy file never holds a web process.
        upload = form.cleaned_data["import_file"]
        record = importrecord_create(
            actor=request.user,
            resource_class=pages.resource_class,
            register=str(pages.model._meta.verbose_name),
            file_name=upload.name,
            file_format=form.file_format,
            data=b"".join(upload.chunks()),
            state=ImportRecord.State.PREVIEW_QUEUED,
            total_rows=0,
        )
        importrecord_enqueue(record=record, dry_run=True)
        return redirect(pages.url("import_status", record))
    return _render_import(
        request,
        pages,
        "workflow/record_import.html",
        {
            "form": form,
            "import_max_rows": f"{settings.IMPORT_MAX_ROWS:,}",
            "import_max_megabytes": f"{settings.IMPORT_MAX_FILE_SIZE / (1024 * 1024):.0f}",
        },
        status=400 if form.errors else 200,
    )


def record_import_status(request: HttpRequest, import_id: int, pages: RecordPages) -> HttpResponse:
    """An upload's check and import, for the one who uploaded it; POST runs a checked file,
    or (「もう一度実行する」) checks an interrupted one's kept file again."""
    record = get_object_or_404(
        ImportRecord.objects.defer("file_data"),
        pk=import_id,
        user=request.user,
        resource_path=pages.resource_path,
    )
    if request.method == "POST" and "retry" in request.POST:
        try:
            importrecord_retry(actor=request.user, record=record)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(pages.url("import_status", record))
    if request.method == "POST":
        if record.state != ImportRecord.State.PREVIEWED:
            messages.error(request, "確認が済んだファイルだけを取り込めます。")
        else:
            importrecord_enqueue(record=record, dry_run=False)
        return redirect(pages.url("import_status", record))
    return _render_import(
        request,
        pages,
        "workflow/record_import_status.html",
        {
            "import": record,
            "counts": [
                (label, record.counts[key]) for key, label in COUNT_LABELS if record.counts.get(key)
            ],
        },
    )
