"""The pre-approval report's form and item formset, and adding an example."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from notation import wareki
from registry.fields import WarekiDateFormField
from registry.forms import JisWarningMixin, NormalizedNewlinesMixin
from registry.models import Section
from reviews.council.models import PreApprovalCategory, PreApprovalReport, ReportItem

# --- the pre-approval report (事前一括承認基準の適用について) ---


class ReportForm(NormalizedNewlinesMixin, JisWarningMixin, forms.ModelForm):
    """The report's own fields. Section staff file for their own section (set by the
    view); a superuser, who belongs to none, picks the section."""

    jis_fields = ("title", "overview", "protection", "attachments")

    class Meta:
        model = PreApprovalReport
        fields = ["section", "title", "reported_on", "overview", "protection", "attachments"]
        widgets = {
            "title": forms.TextInput(attrs={"size": 60}),
            "overview": forms.Textarea(attrs={"rows": 4}),
            "protection": forms.Textarea(attrs={"rows": 4}),
            "attachments": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "section": {"required": "所管課を選んでください。"},
            "title": {"required": "件名を入力してください。"},
            "overview": {"required": "概要を入力してください。"},
        }

    def __init__(self, *args, section: Section | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_section = section
        if section is not None:
            del self.fields["section"]
            self.instance.section = section
        else:
            self.fields["section"].empty_label = "（選択してください）"
        self.fields["reported_on"].widget.attrs["size"] = 28

    def report_data(self) -> dict:
        """The report's fields as report_save takes them (the section apart)."""
        return {name: self.cleaned_data[name] for name in self.fields if name != "section"}

    @property
    def chosen_section(self) -> Section | None:
        return self.fixed_section or self.cleaned_data.get("section")


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category: PreApprovalCategory) -> str:
        return f"{category.printed_number} {category.rule}"


class ReportItemForm(NormalizedNewlinesMixin, JisWarningMixin, forms.ModelForm):
    """One item of the report. 適用日 is typed as a day or, as the Nerima report has it, a
    month (令和2年1月); a month prints as a month."""

    jis_fields = ("name", "contractors", "example_note", "new_example")

    applies_from = WarekiDateFormField(
        label="適用日",
        help_text="和暦でも西暦でも入力できます（例: 令和2年1月 / 令和2年1月1日 / 2020-01-01）。",
        error_messages={"required": "適用日を入力してください。"},
    )
    category = CategoryChoiceField(
        label="該当する類型",
        queryset=PreApprovalCategory.objects.all(),
        empty_label="（選択してください）",
        error_messages={"required": "該当する類型を選んでください。"},
    )

    class Meta:
        model = ReportItem
        fields = [
            "name",
            "applies_from",
            "is_planned",
            "category",
            "fits_existing_example",
            "personal_data_sent",
            "personal_data_sent_name",
            "personal_data_received",
            "personal_data_received_name",
            "contractors",
            "example_note",
            "new_example",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"size": 40, "data-suggest-source": ""}),
            "personal_data_sent": forms.Textarea(attrs={"rows": 2}),
            "personal_data_received": forms.Textarea(attrs={"rows": 2}),
            "contractors": forms.Textarea(attrs={"rows": 6, "data-suggest-source": ""}),
            "example_note": forms.Textarea(attrs={"rows": 2}),
            "new_example": forms.TextInput(attrs={"size": 40}),
        }
        error_messages = {
            "name": {"required": "項目を入力してください。"},
            "contractors": {"required": "委託先および委託内容を入力してください。"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applies_from"].widget.attrs |= {
            "placeholder": "例: 令和2年1月 / 令和2年1月1日",
            "size": 28,
        }
        self.fields["applies_from"].widget.month_only = bool(
            self.instance.pk and self.instance.applies_month_only
        )
        self.fields["applies_from"].to_python = self._parse_day_or_month

    def _parse_day_or_month(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        try:
            self.instance.applies_month_only = False
            return wareki.parse_date(value)
        except wareki.WarekiError as day_error:
            try:
                month = wareki.parse_month(value)
            except wareki.WarekiError:
                raise ValidationError(str(day_error), code="invalid") from None
            self.instance.applies_month_only = True
            return month

    @property
    def suggestion_text(self) -> str:
        """What the suggestions are ranked on: the item's name and 委託先および委託内容."""
        return "\n".join(str(self[name].value() or "") for name in ("name", "contractors")).strip()


class BaseReportItemFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        "too_few_forms": "項目を少なくとも1件入力してください。",
    }

    def item_data(self) -> list[dict]:
        """The items as report_save takes them, in the order shown: deleted rows and the
        blank row left for a new item are left out; kept items carry their id."""
        rows = []
        for item_form in self.forms:
            if item_form in self.deleted_forms:
                continue
            if item_form.instance.pk is None and not item_form.has_changed():
                continue
            # Meta.fields also lists the report itself, which the formset adds to it.
            row = {
                name: item_form.cleaned_data[name]
                for name in ReportItemForm.Meta.fields
                if name != self.fk.name
            }
            # Set while parsing 適用日: whether it was typed as a month.
            row["applies_month_only"] = item_form.instance.applies_month_only
            if item_form.instance.pk is not None:
                row["id"] = item_form.instance.pk
            rows.append(row)
        return rows


ReportItemFormSet = forms.inlineformset_factory(
    PreApprovalReport,
    ReportItem,
    form=ReportItemForm,
    formset=BaseReportItemFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    can_delete=True,
)


class ExampleAddForm(forms.Form):
    added_on = WarekiDateFormField(
        label="追加日", error_messages={"required": "追加日を入力してください。"}
    )
