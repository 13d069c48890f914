from django import forms
from django.core.exceptions import ValidationError

from linkages.models import Linkage, LinkageItem, ProtectionMeasure
from registry.forms import JisWarningMixin, NormalizedNewlinesMixin
from registry.models import Business
from reviews.workflow.forms import ChecklistFormMixin, RecordDataMixin

ITEM_MAX_LENGTH = LinkageItem._meta.get_field("name").max_length


def _item_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class LinkageForm(
    ChecklistFormMixin, RecordDataMixin, NormalizedNewlinesMixin, JisWarningMixin, forms.ModelForm
):
    """第5号様式 as staff fill it in. The two item lists are typed one item per line, in
    the order the form prints them; the protection-measure checklists are one ○ / ー
    choice per active row. A draft may leave rows open: submission refuses it until
    every row is answered."""

    measure_model = ProtectionMeasure

    provided_items_text = forms.CharField(
        label="〔提供する管理個人情報〕",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="1行に1項目ずつ、印字する順に入力してください。",
    )
    received_items_text = forms.CharField(
        label="〔提供を受ける個人情報〕",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="1行に1項目ずつ、印字する順に入力してください。",
    )

    jis_fields = (
        "purpose",
        "partner_role",
        "ward_measures",
        "partner_measures",
        "manager",
        "subject",
        "data_subjects",
        "partner_description",
        "connection",
        "period",
        "provided_items_text",
        "received_items_text",
    )

    class Meta:
        model = Linkage
        fields = [
            "business",
            "purpose",
            "linked_on",
            "linked_consultation",
            "changed_on",
            "change_consultation",
            "partner",
            "partner_role",
            "line",
            "ward_measures",
            "partner_measures",
            "manager",
            "effective_from",
            "subject",
            "data_subjects",
            "partner_description",
            "connection",
            "period",
        ]
        widgets = {
            "partner_description": forms.Textarea(attrs={"rows": 2}),
            "connection": forms.Textarea(attrs={"rows": 3}),
            "period": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "ward_measures": forms.Textarea(attrs={"rows": 6}),
            "partner_measures": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"effective_from": "効力発生日（適用日）"}

    def __init__(self, *args, section_id: int | None = None, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {
                "provided_items_text": "\n".join(i.name for i in instance.provided_items),
                "received_items_text": "\n".join(i.name for i in instance.received_items),
                **kwargs["initial"],
            }
        super().__init__(*args, **kwargs)
        businesses = Business.objects.select_related("section")
        if section_id is not None:
            businesses = businesses.filter(section_id=section_id)
        self.fields["business"].queryset = businesses
        self.fields["business"].empty_label = "（業務を選んでください）"
        for name in ("partner_role", "manager", "subject", "data_subjects"):
            self.fields[name].widget.attrs.setdefault("size", 50)
        self._add_checklist(instance)

    def _clean_items(self, name: str) -> list[str]:
        items = _item_lines(self.cleaned_data.get(name, ""))
        too_long = [item for item in items if len(item) > ITEM_MAX_LENGTH]
        if too_long:
            raise ValidationError(
                f"項目名は{ITEM_MAX_LENGTH}文字以内にしてください（{too_long[0][:20]}…）。"
            )
        return items

    def clean_provided_items_text(self) -> list[str]:
        return self._clean_items("provided_items_text")

    def clean_received_items_text(self) -> list[str]:
        return self._clean_items("received_items_text")

    def children_data(self) -> dict[str, list[dict]]:
        items = [
            {"direction": direction, "position": position, "name": name}
            for direction, field in (
                (LinkageItem.Direction.PROVIDED, "provided_items_text"),
                (LinkageItem.Direction.RECEIVED, "received_items_text"),
            )
            for position, name in enumerate(self.cleaned_data[field], start=1)
        ]
        measures = self.measures_data()
        return {"items": items, "measures": measures}

    def preview(self) -> dict:
        return {
            "record": self.save(commit=False),
            "business": self.cleaned_data["business"],
            "provided_items": self.cleaned_data["provided_items_text"],
            "received_items": self.cleaned_data["received_items_text"],
        }
