from django import forms
from django.core.exceptions import ValidationError

from notation import wareki
from processing.annex import milestone_lines, numbered
from processing.models import (
    Processing,
    ProcessingMeasure,
    ProcessingMilestone,
)
from registry.forms import JisWarningMixin, NormalizedNewlinesMixin
from registry.models import Business
from reviews.workflow.forms import ChecklistFormMixin, RecordDataMixin

LABEL_MAX_LENGTH = ProcessingMilestone._meta.get_field("label").max_length
PLANNED = "（予定）"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_milestone(line: str) -> dict:
    """「令和6年7月（予定） 開発」: a month in either calendar, （予定） when it is planned,
    then what happens. Raises ValidationError in Japanese."""
    parts = line.replace("　", " ").split(maxsplit=1)
    if len(parts) != 2:
        raise ValidationError(
            f"「{line}」: 時期と内容を空白で区切って入力してください（例: 令和6年7月（予定） 開発）。"
        )
    when, label = parts
    planned = when.endswith(PLANNED) or when.endswith("(予定)")
    when = when.removesuffix(PLANNED).removesuffix("(予定)")
    try:
        on = wareki.parse_month(when)
    except wareki.WarekiError as error:
        raise ValidationError(f"「{line}」: {error}") from None
    if len(label) > LABEL_MAX_LENGTH:
        raise ValidationError(f"「{line}」: 内容は{LABEL_MAX_LENGTH}文字以内にしてください。")
    return {"on": on, "planned": planned, "label": label.strip()}


class ProcessingForm(
    ChecklistFormMixin, RecordDataMixin, NormalizedNewlinesMixin, JisWarningMixin, forms.ModelForm
):
    """別紙（電算処理） as staff fill it in: the numbered list of changes and the dated
    milestones one per line, the checklist one ○ / ー per active row. A draft may leave
    rows open; submission refuses it until every row is answered."""

    measure_model = ProcessingMeasure

    changes_text = forms.CharField(
        label="新規開発・追加・変更の内容（番号付きの一覧）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="1行に1項目ずつ入力してください。印刷時に１、２…と番号が付きます。",
    )
    milestones_text = forms.CharField(
        label="新規開発・追加・変更の時期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="1行に1つ、「令和6年7月（予定） 開発」のように時期と内容を入力してください。",
    )

    jis_fields = (
        "subject",
        "data_subjects",
        "recorded_items",
        "computer",
        "reason",
        "changes_intro",
        "changes_text",
        "milestones_text",
    )

    class Meta:
        model = Processing
        fields = [
            "business",
            "subject",
            "data_subjects",
            "recorded_items",
            "computer",
            "reason",
            "changes_intro",
            "effective_from",
        ]
        widgets = {
            "data_subjects": forms.Textarea(attrs={"rows": 2}),
            "recorded_items": forms.Textarea(attrs={"rows": 2}),
            "computer": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 4}),
            "changes_intro": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"effective_from": "効力発生日（運用開始日）"}

    def __init__(self, *args, section_id: int | None = None, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs["initial"] = {
                "changes_text": "\n".join(c.text for c in instance.changes.all()),
                "milestones_text": "\n".join(str(m) for m in instance.milestones.all()),
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        businesses = Business.objects.select_related("section")
        if section_id is not None:
            businesses = businesses.filter(section_id=section_id)
        self.fields["business"].queryset = businesses
        self.fields["business"].empty_label = "（業務を選んでください）"
        self.fields["subject"].widget.attrs.setdefault("size", 60)
        self._add_checklist(instance)

    def clean_changes_text(self) -> list[str]:
        return _lines(self.cleaned_data.get("changes_text", ""))

    def clean_milestones_text(self) -> list[dict]:
        milestones, errors = [], []
        for line in _lines(self.cleaned_data.get("milestones_text", "")):
            try:
                milestones.append(parse_milestone(line))
            except ValidationError as error:
                errors += error.messages
        if errors:
            raise ValidationError(errors)
        return milestones

    def children_data(self) -> dict[str, list[dict]]:
        changes = [
            {"position": position, "text": text}
            for position, text in enumerate(self.cleaned_data["changes_text"], start=1)
        ]
        milestones = [
            {"position": position, **milestone}
            for position, milestone in enumerate(self.cleaned_data["milestones_text"], start=1)
        ]
        measures = self.measures_data()
        return {"changes": changes, "milestones": milestones, "measures": measures}

    def preview(self) -> dict:
        """The 別紙 as it would print, from the form's data (nothing saved)."""
        record = self.save(commit=False)
        business = self.cleaned_data["business"]
        milestones = [
            [m["on"].isoformat(), m["planned"], m["label"]]
            for m in self.cleaned_data["milestones_text"]
        ]
        return {
            "subject": record.subject,
            "section": business.section.name,
            "business_name": business.name,
            "data_subjects": record.data_subjects,
            "recorded_items": record.recorded_items,
            "computer": record.computer,
            "reason": record.reason,
            "changes_intro": record.changes_intro,
            "changes": numbered(self.cleaned_data["changes_text"]),
            "milestones": milestone_lines(milestones),
        }
