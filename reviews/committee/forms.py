"""The agenda item as section staff fill it in, the records it puts forward (one row
each), and the reviewer's decision."""

from django import forms
from django.apps import apps

from registry.fields import WarekiDateFormField
from registry.forms import JisWarningMixin, NormalizedNewlinesMixin
from reviews.committee.models import AgendaItem, AgendaRecord, CommitteeMeeting
from reviews.workflow.models import ReviewedRecord
from reviews.workflow.states import REGISTER_STATES


class AgendaItemForm(NormalizedNewlinesMixin, JisWarningMixin, forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label="付議の種類",
        choices=AgendaItem.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "付議の種類を一つ以上選んでください。"},
    )

    jis_fields = ("subject", "project_name", "purpose", "targets", "summary")

    class Meta:
        model = AgendaItem
        fields = [
            "meeting",
            "position",
            "material_number",
            "subject",
            "basis_article",
            "kinds",
            "project_name",
            "purpose",
            "targets",
            "summary",
            "expected_count",
            "flow_number",
            "flow_title",
        ]
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 2}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "targets": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = CommitteeMeeting.objects.all()
        self.fields["meeting"].empty_label = "（会議を選んでください）"
        self.fields[
            "summary"
        ].help_text = "「１ 概要」の本文。付議内容・想定件数は下の欄から印刷時に組み立てます。"


def agenda_record_choices(section_id: int | None) -> list[tuple[str, str]]:
    """The section's records an item may put forward: every reviewed record kind the
    committee sees (電算処理, Form 5), not yet approved."""
    choices = [("", "（記録を選んでください）")]
    for model in apps.get_models():
        if not issubclass(model, ReviewedRecord) or not model.agenda_kind:
            continue
        records = model.objects.exclude(state__in=REGISTER_STATES).select_related(
            "business__section"
        )
        if section_id is not None:
            records = records.filter(business__section_id=section_id)
        for record in records.order_by("pk"):
            choices.append(
                (
                    f"{model._meta.label_lower}:{record.pk}",
                    f"{model._meta.verbose_name} No.{record.pk} {record}"
                    f"（{record.get_state_display()}）",
                )
            )
    return choices


def record_key(record) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


class AgendaRecordForm(NormalizedNewlinesMixin, forms.Form):
    record = forms.ChoiceField(label="付議する記録", required=False)
    request = forms.CharField(
        label="付議内容", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    amended_since = forms.CharField(
        label=AgendaRecord._meta.get_field("amended_since").verbose_name,
        required=False,
        help_text=AgendaRecord._meta.get_field("amended_since").help_text,
    )
    list_number = forms.CharField(label="データ項目一覧の資料番号", required=False)
    list_title = forms.CharField(label="データ項目一覧の表題", required=False)
    list_heading = forms.CharField(label="データ項目一覧の見出し", required=False)

    def __init__(self, *args, record_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = record_choices
        for name in ("amended_since", "list_title", "list_heading"):
            self.fields[name].widget.attrs.setdefault("size", 60)

    def row(self) -> dict | None:
        """The row as the service takes it, or None for a row left empty."""
        key = self.cleaned_data.get("record")
        if not key:
            return None
        label, pk = key.split(":")
        record = apps.get_model(label).objects.get(pk=int(pk))
        return {"record": record} | {
            name: self.cleaned_data[name]
            for name in ("request", "amended_since", "list_number", "list_title", "list_heading")
        }


AgendaRecordFormSet = forms.formset_factory(AgendaRecordForm, extra=3)


def record_formset(data=None, *, section_id, item: AgendaItem | None = None):
    initial = []
    if item is not None:
        initial = [
            {
                "record": record_key(entry.record),
                "request": entry.request,
                "amended_since": entry.amended_since,
                "list_number": entry.list_number,
                "list_title": entry.list_title,
                "list_heading": entry.list_heading,
            }
            for entry in item.records.all()
        ]
    choices = agenda_record_choices(section_id)
    # A record already put forward stays choosable whatever its state now.
    known = {key for key, _label in choices}
    choices += [(row["record"], row["record"]) for row in initial if row["record"] not in known]
    return AgendaRecordFormSet(
        data, initial=initial, prefix="records", form_kwargs={"record_choices": choices}
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="決定",
        choices=AgendaItem.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "決定を選んでください。"},
    )
    decided_on = WarekiDateFormField(
        label="決定日", error_messages={"required": "決定日を入力してください。"}
    )
    comment = forms.CharField(
        label="決定の内容・条件（不承認のときは理由）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
