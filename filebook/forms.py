from django import forms

from filebook.models import PersonalInfoFile, item_texts
from registry.forms import JisWarningMixin, NormalizedNewlinesMixin
from registry.models import Business
from reviews.workflow.forms import RecordDataMixin

TEXT_FIELDS = (
    "name",
    "agency_name",
    "organization_name",
    "purpose",
    "record_items",
    "record_scope",
    "collection_method",
    "regular_recipients",
    "disclosure_office",
    "special_procedures",
)


class PersonalInfoFileForm(
    RecordDataMixin, NormalizedNewlinesMixin, JisWarningMixin, forms.ModelForm
):
    """個人情報ファイル簿の一件 as staff fill it in: the 帳簿's labels in its order, the
    choices as radio buttons. The state is not a field."""

    jis_fields = TEXT_FIELDS

    class Meta:
        model = PersonalInfoFile
        fields = [
            "business",
            *TEXT_FIELDS[:7],
            "sensitive",
            *TEXT_FIELDS[7:],
            "file_kind",
            "anonymization",
            "subject_count",
            "effective_from",
            "built_from_register",
        ]
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "purpose",
                    "record_scope",
                    "collection_method",
                    "disclosure_office",
                    "special_procedures",
                )
            },
            "record_items": forms.Textarea(attrs={"rows": 10}),
            "regular_recipients": forms.Textarea(attrs={"rows": 3}),
            "sensitive": forms.RadioSelect(choices=[(True, "含む"), (False, "含まない")]),
            "anonymization": forms.RadioSelect(choices=[(True, "該当"), (False, "非該当")]),
            "file_kind": forms.RadioSelect,
            "subject_count": forms.RadioSelect,
            "built_from_register": forms.HiddenInput,
        }
        labels = {"effective_from": "効力発生日"}

    def __init__(self, *args, section_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff keep files only for their own section's businesses.
        businesses = Business.objects.select_related("section")
        if section_id is not None:
            businesses = businesses.filter(section_id=section_id)
        self.fields["business"].queryset = businesses
        self.fields["business"].empty_label = "（業務を選んでください）"
        for name in ("file_kind", "subject_count"):
            # A radio list needs no 「---------」 entry; blank stays allowed for a draft.
            self.fields[name].choices = self.fields[name].choices[1:]
            self.fields[name].required = False
        for name in ("name", "agency_name", "organization_name"):
            self.fields[name].widget.attrs.setdefault("size", 60)

    def preview(self) -> dict:
        """The 帳簿's items from valid, unsaved input."""
        file = self.save(commit=False)
        content = file.printed_content()
        content["effective_until"] = None
        return {
            "items": item_texts(content),
            "number": file.business.printed_number,
            "business_name": file.business.name,
        }


class BusinessChoiceForm(forms.Form):
    """Which 業務 a new file's draft starts from."""

    business = forms.ModelChoiceField(
        label="業務",
        queryset=Business.objects.none(),
        empty_label="（業務を選んでください）",
        error_messages={"invalid_choice": "選べる業務から選んでください。"},
    )

    def __init__(self, *args, section_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        businesses = Business.objects.select_related("section")
        if section_id is not None:
            businesses = businesses.filter(section_id=section_id)
        self.fields["business"].queryset = businesses
