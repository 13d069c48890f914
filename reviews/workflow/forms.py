"""The reviewer's step forms (承認, 差戻し, 廃止) and the edit-version token."""

from django import forms

from exchange.spreadsheets import ImportFileError, check_file_size
from registry.fields import WarekiDateFormField
from reviews.council.models import Answer, PreApprovalCategory
from reviews.workflow.checklists import MeasureAnswer
from reviews.workflow.states import State


class RecordDataMixin:
    """What a Form 2 / Form 5 staff form hands the services: its cleaned fields as data
    (the model fields it lists) and, where the record has them, its child lists."""

    def record_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        return {"data": data, "children": self.children_data()}

    def children_data(self) -> dict[str, list[dict]]:
        return {}


class ChecklistFormMixin:
    """A protection-measure checklist (reviews.workflow.checklists) on a record's staff
    form: one ○ / ー choice per active row of `measure_model`, grouped as the form lists
    them, and the answers as the record's `measures` child list."""

    measure_model: type

    ANSWER_CHOICES = [
        (MeasureAnswer.TAKEN, "○（対策を講じる）"),
        (MeasureAnswer.NOT_NEEDED, "ー（必要なし）"),
    ]

    def _add_checklist(self, instance) -> None:
        self.measures = list(self.measure_model.objects.filter(is_active=True))
        self.stored_answers = (
            list(instance.measures.select_related("measure")) if instance and instance.pk else []
        )
        answers = {answer.measure_id: answer.answer for answer in self.stored_answers}
        for measure in self.measures:
            name = self.measure_field_name(measure)
            # The legend reads the row's number and text, so a screen reader announces
            # which measure the ○ / ー belong to.
            self.fields[name] = forms.ChoiceField(
                label=f"{measure.order}．{measure.text}",
                choices=self.ANSWER_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
            if name not in self.initial and measure.pk in answers:
                self.initial[name] = answers[measure.pk]

    @staticmethod
    def measure_field_name(measure) -> str:
        return f"measure_{measure.pk}"

    def checklist_groups(self) -> list[tuple[str, list]]:
        """The checklist's rows as bound fields, list by list in the form's order."""
        groups: dict[str, list] = {}
        for measure in self.measures:
            groups.setdefault(measure.list_name, []).append(self[self.measure_field_name(measure)])
        return list(groups.items())

    def measures_data(self) -> list[dict]:
        measures = [
            {"measure": measure, "answer": answer}
            for measure in self.measures
            if (answer := self.cleaned_data.get(self.measure_field_name(measure)))
        ]
        # Answers to rows the ward has since retired are kept: they are what was filled in.
        active = {measure.pk for measure in self.measures}
        measures += [
            {"measure": stored.measure, "answer": stored.answer}
            for stored in self.stored_answers
            if stored.measure_id not in active
        ]
        return measures


class RecordImportForm(forms.Form):
    """A section's Form 2 / Form 5 spreadsheet, as the admin's import takes it."""

    import_file = forms.FileField(
        label="ファイル（.xlsx または .csv）",
        help_text="書き出したファイルの形（1行目が列の見出し）にしてください。",
        error_messages={"required": "取り込むファイルを選んでください。"},
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("取り込めるのは .xlsx と .csv のファイルです。")
        try:
            check_file_size(upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload

    @property
    def file_format(self) -> str:
        return "csv" if self.cleaned_data["import_file"].name.lower().endswith(".csv") else "xlsx"


class EditVersionForm(forms.Form):
    """The version the editor loaded; a save on an older one is refused."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="差戻しの理由",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        error_messages={"required": "差戻しの理由を入力してください。"},
    )


class ApproveForm(forms.Form):
    BASIS_CHOICES = [("category", "事前一括承認基準の類型"), ("answer", "審議会の答申")]

    basis = forms.ChoiceField(
        label="承認の根拠", choices=BASIS_CHOICES, widget=forms.RadioSelect, initial="category"
    )
    category = forms.ModelChoiceField(
        label="類型",
        queryset=PreApprovalCategory.objects.all(),
        required=False,
        empty_label="（選択してください）",
    )
    answer = forms.ModelChoiceField(
        label="答申",
        queryset=Answer.objects.select_related("consultation").exclude(
            conclusion=Answer.Conclusion.REJECTED
        ),
        required=False,
        empty_label="（選択してください）",
    )
    comment = forms.CharField(
        label="コメント", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )

    def clean(self):
        data = super().clean()
        basis = data.get("basis")
        if basis == "category" and not data.get("category"):
            self.add_error("category", "承認の根拠とする類型を選んでください。")
        if basis == "answer" and not data.get("answer"):
            self.add_error("answer", "承認の根拠とする答申を選んでください。")
        return data

    @classmethod
    def initial_for(cls, record) -> dict:
        """Preselect what the record cites: its category, or the answer to the
        consultation it cites, so the basis and the printed form agree by default."""
        category_ids = record.cited_category_ids()
        if category_ids:
            return {"basis": "category", "category": min(category_ids)}
        answer = (
            cls.base_fields["answer"]
            .queryset.filter(consultation_id__in=record.cited_consultation_ids())
            .order_by("-answered_on", "-pk")
            .first()
        )
        if answer is not None:
            return {"basis": "answer", "answer": answer.pk}
        return {}

    def basis_kwargs(self) -> dict:
        if self.cleaned_data["basis"] == "category":
            return {"category": self.cleaned_data["category"]}
        return {"answer": self.cleaned_data["answer"]}


class ReviewApproveForm(forms.Form):
    """承認 of a record approved on the review alone (`council_basis = False`)."""

    comment = ApproveForm.base_fields["comment"]

    @classmethod
    def initial_for(cls, record) -> dict:
        return {}

    def basis_kwargs(self) -> dict:
        return {}


def approve_form_class(model) -> type[ApproveForm] | type[ReviewApproveForm]:
    return ApproveForm if model.council_basis else ReviewApproveForm


class CorrectionForm(forms.ModelForm):
    """訂正: the fields a correction may change (`record.correctable_fields`) and why.
    Built per model by correction_form_class; the service applies the changed fields."""

    reason = forms.CharField(
        label="訂正の理由",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": "訂正の理由を入力してください。"},
    )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "reason"}


def correction_form_class(model) -> type[CorrectionForm]:
    many_to_many = {f.name for f in model._meta.many_to_many}
    return forms.modelform_factory(
        model,
        form=CorrectionForm,
        fields=[
            *model.correctable_fields,
            *(("approval_category", "approval_answer") if model.council_basis else ()),
        ],
        widgets={
            name: forms.CheckboxSelectMultiple
            for name in model.correctable_fields
            if name in many_to_many
        },
    )


class RetireForm(forms.Form):
    retired_on = WarekiDateFormField(
        label="廃止日", error_messages={"required": "廃止日を入力してください。"}
    )
    comment = forms.CharField(
        label="コメント", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )


STATE_FILTER_CHOICES = [("", "すべて"), *State.choices]
