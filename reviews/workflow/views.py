"""The staff pages every Form 2 / Form 5 record type shares: list, new, record page,
edit, submit, amend. Each app's views.py fetches the record through its own access
helper and hands it here; access is decided there and in the services, never here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from registry.access import may_create_records, section_of
from reviews.figures import record_figures
from reviews.workflow import services
from reviews.workflow.forms import STATE_FILTER_CHOICES, EditVersionForm
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


def record_detail(request: HttpRequest, pk: int, pages: RecordPages) -> HttpResponse:
    record = pages.get_for_user(request, pk)
    user = request.user
    open_amendment = record.open_amendments().order_by("-pk").first()
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
