from django import forms

from consignments.models import Condition, Consignment, RecordKind, TransferForm
from registry.forms import JisWarningMixin, NormalizedNewlinesMixin
from registry.models import Business
from reviews.workflow.forms import RecordDataMixin

CHECKBOX_FIELDS = (
    "contractors",
    "consultations",
    "categories",
    "record_kinds",
    "conditions",
    "transfer_forms",
)


class ConsignmentForm(RecordDataMixin, NormalizedNewlinesMixin, JisWarningMixin, forms.ModelForm):
    """第2号様式 as staff fill it in: the paper form's labels, its checkbox lists as
    checkboxes, dates in the era or the Gregorian calendar. The state is not a field."""

    jis_fields = (
        "contractor_type",
        "content",
        "record_kinds_other",
        "conditions_other",
        "transfer_forms_other",
        "manager",
    )

    class Meta:
        model = Consignment
        fields = [
            "business",
            "contractor_type",
            "contractors",
            "content",
            "period_kind",
            "period_start",
            "period_end",
            "consultations",
            "categories",
            "record_kinds",
            "record_kinds_other",
            "conditions",
            "conditions_other",
            "transfer_forms",
            "transfer_forms_other",
            "manager",
            "effective_from",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 8}),
            "period_kind": forms.RadioSelect,
            **{name: forms.CheckboxSelectMultiple for name in CHECKBOX_FIELDS},
        }
        labels = {
            "record_kinds_other": "その他",
            "conditions_other": "その他",
            "transfer_forms_other": "その他",
            "effective_from": "効力発生日（適用日）",
        }
        help_texts = {
            "period_start": "和暦（令和2年1月1日、R2.1.1、平成32年1月1日）でも西暦（2020-01-01）でも入力できます。",
            "period_end": "開始日と同じく、和暦でも西暦でも入力できます。",
            "record_kinds_other": "入力すると「その他」にチェックが付いて印字されます。",
            "conditions_other": "入力すると「その他」にチェックが付いて印字されます。",
            "transfer_forms_other": "入力すると「その他」にチェックが付いて印字されます。",
        }

    def __init__(self, *args, section_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff file records only for their own section's businesses.
        businesses = Business.objects.select_related("section")
        if section_id is not None:
            businesses = businesses.filter(section_id=section_id)
        self.fields["business"].queryset = businesses
        self.fields["business"].empty_label = "（業務を選んでください）"
        self.fields["period_kind"].choices = Consignment.PeriodKind.choices
        for name in ("contractor_type", "manager", *[f"{n}_other" for n in CHECKBOX_FIELDS[3:]]):
            self.fields[name].widget.attrs.setdefault("size", 50)
        self.fields["contractors"].queryset = self.fields["contractors"].queryset.order_by("name")

    def preview(self) -> dict:
        """The printed form's content from valid, unsaved input."""
        record = self.save(commit=False)
        data = self.cleaned_data
        return {
            "record": record,
            "business": data["business"],
            "council_references": [str(c) for c in data["consultations"]]
            + [str(c) for c in data["categories"]],
            "record_kinds": data["record_kinds"],
            "conditions": data["conditions"],
            "transfer_forms": data["transfer_forms"],
            "contractors": data["contractors"],
            **checkbox_options(),
        }


def checkbox_options() -> dict:
    """Every label of the three checkbox lists: the form prints them all, ticked or not."""
    return {
        "all_record_kinds": list(RecordKind.objects.all()),
        "all_conditions": list(Condition.objects.all()),
        "all_transfer_forms": list(TransferForm.objects.all()),
    }
