"""The internal committee's staff pages (at /committee/): meetings with their agenda
items, an item's page (its records, the print, the decision), and the item form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from printing.http import pdf_response
from registry.access import decides_agenda_items, may_create_in, may_create_records, section_of
from reviews.committee import services
from reviews.committee.forms import AgendaItemForm, DecisionForm, record_formset
from reviews.committee.models import AgendaItem, CommitteeMeeting
from reviews.committee.pdf import AGENDA, agenda_context


def get_item_for_user(request: HttpRequest, pk: int, write: bool = False) -> AgendaItem:
    """The item if the user may see it (404 otherwise); with write=True only if they may
    change it (403): its section's staff, while it is undecided."""
    items = AgendaItem.objects.visible_to(request.user).select_related("meeting", "section")
    item = get_object_or_404(items, pk=pk)
    if write and (not may_create_in(request.user, item.section_id) or item.is_decided):
        raise PermissionDenied("この付議事項を編集する権限がないか、決定済みです。")
    return item


@login_required
def committee_index(request: HttpRequest) -> HttpResponse:
    items = (
        AgendaItem.objects.visible_to(request.user)
        .select_related("meeting", "section")
        .order_by("position", "pk")
    )
    by_meeting: dict[int, list[AgendaItem]] = {}
    for item in items:
        by_meeting.setdefault(item.meeting_id, []).append(item)
    meetings = [(m, by_meeting.get(m.pk, [])) for m in CommitteeMeeting.objects.all()]
    return render(
        request,
        "committee/index.html",
        {"meetings": meetings, "may_create": may_create_records(request.user)},
    )


def _item_form(request: HttpRequest, item: AgendaItem | None) -> HttpResponse:
    section = item.section if item else section_of(request.user)
    if item is None and (section is None or not may_create_in(request.user, section.pk)):
        raise PermissionDenied("付議事項を作成できるのは担当部課の職員です。")
    data = request.POST if request.method == "POST" else None
    form = AgendaItemForm(data, instance=item)
    rows = record_formset(data, section_id=section.pk, item=item)
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        fields = {name: form.cleaned_data[name] for name in form._meta.fields}
        records = [row for row_form in rows.forms if (row := row_form.row())]
        try:
            if item is None:
                item = services.agenda_item_create(
                    actor=request.user, data=fields | {"section": section}, records=records
                )
            else:
                item = services.agenda_item_save(
                    actor=request.user, item=item, data=fields, records=records
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, "付議事項を保存しました。")
            return redirect("committee:item_detail", item.pk)
    return render(
        request,
        "committee/item_form.html",
        {"form": form, "rows": rows, "item": item, "section": section},
    )


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    return _item_form(request, None)


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_form(request, get_item_for_user(request, pk, write=True))


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request, pk)
    return render(
        request,
        "committee/item_detail.html",
        {
            "item": item,
            "packet": agenda_context(item),
            "entries": [
                {
                    "entry": entry,
                    "record": entry.record,
                    "kind": dict(AgendaItem.Kind.choices)[entry.record.agenda_kind],
                    # Each record kind's staff pages live under its app's namespace.
                    "url": reverse(
                        f"{entry.record._meta.app_label}:detail", args=[entry.object_id]
                    ),
                }
                for entry in item.records.all()
            ],
            "may_edit": may_create_in(request.user, item.section_id) and not item.is_decided,
            "decision_form": DecisionForm()
            if decides_agenda_items(request.user) and not item.is_decided
            else None,
        },
    )


@require_POST
@login_required
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_decide(
                actor=request.user,
                item=item,
                decision=form.cleaned_data["decision"],
                decided_on=form.cleaned_data["decided_on"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, f"決定を記録できません: {message}")
        else:
            messages.success(request, "決定を記録しました。付議した記録に反映しました。")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"決定を記録できません: {message}")
    return redirect("committee:item_detail", item.pk)


@login_required
def item_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One agenda item as the committee reads it."""
    item = get_item_for_user(request, pk)
    return pdf_response(
        AGENDA.render([item]).content, AGENDA.filename(item), name=AGENDA.download_name(item)
    )


@login_required
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's packet: its items the user may see, in order."""
    meeting = get_object_or_404(CommitteeMeeting, pk=pk)
    visible = AgendaItem.objects.visible_to(request.user).filter(meeting=meeting)
    items = AGENDA.records(ids=visible.values_list("pk", flat=True))
    if not items.exists():
        raise Http404("この会議に表示できる付議事項はありません。")
    return pdf_response(
        AGENDA.render(items).content,
        f"agenda_meeting_{meeting.pk}.pdf",
        name=f"{AGENDA.label}_会議{meeting.pk}.pdf",
    )
