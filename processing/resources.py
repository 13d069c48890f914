"""Excel/CSV import and export of 電算処理 (別紙（電算処理）).

One row per record, identified by its 記録番号 or by 業務登録番号 + 件名. The numbered
list 新規開発・追加・変更の内容 is one cell, an entry per line; 新規開発・追加・変更の時期
one cell, a step per line (`令和6年7月（予定） 開発`); each checklist row its own column
holding ○, ー or nothing, like the paper checklist.
"""

import re

from exchange.resources import Column, WarekiDateWidget, cell_message, normalise_text, stored_text
from notation import wareki
from processing.models import Processing, ProcessingMeasure, ProcessingMeasureAnswer
from registry.resources import business_widget
from reviews.workflow.resources import ReviewedRecordResource

_ANSWERS = {
    "○": ProcessingMeasureAnswer.Answer.TAKEN,
    "◯": ProcessingMeasureAnswer.Answer.TAKEN,
    "ー": ProcessingMeasureAnswer.Answer.NOT_NEEDED,
    "-": ProcessingMeasureAnswer.Answer.NOT_NEEDED,
    "－": ProcessingMeasureAnswer.Answer.NOT_NEEDED,
    "−": ProcessingMeasureAnswer.Answer.NOT_NEEDED,
    "―": ProcessingMeasureAnswer.Answer.NOT_NEEDED,
}
_MILESTONE = re.compile(r"(?P<month>.+?月)\s*(?P<planned>[（(]予定[）)])?\s*(?P<label>.*)")


def _lines(value) -> list[str]:
    # Entries are sentences that may hold 、: only line breaks separate them.
    return [stored_text(line) for line in str(value or "").splitlines() if line.strip()]


class ChildListColumn(Column):
    """A child list of the record as one cell, a row per line; the rows are handed to
    the services with the record (ReviewedRecordResource.children_of)."""

    def __init__(self, attribute: str, column_name: str):
        super().__init__(f"children:{attribute}", column_name)
        self.relation = attribute

    def save(self, instance, row, is_m2m=False, **kwargs):
        self.pending(instance)[self.attribute] = self.clean(row, **kwargs)

    def clean(self, row, **kwargs) -> list[dict]:
        rows = []
        for position, line in enumerate(_lines(row.get(self.column_name)), start=1):
            try:
                rows.append({"position": position, **self.parse(line)})
            except ValueError as error:
                raise ValueError(cell_message(self.column_name, line, error)) from None
        return rows

    def get_value(self, instance) -> list[dict]:
        pending = instance.__dict__.get("_import_pending", {})
        if self.attribute in pending:
            return pending[self.attribute]
        if instance.pk is None:
            return []
        return [self.values(child) for child in getattr(instance, self.relation).all()]

    def export(self, instance, **kwargs) -> str:
        return "\n".join(self.line(values) for values in self.get_value(instance))


class ChangesColumn(ChildListColumn):
    def parse(self, line: str) -> dict:
        return {"text": line}

    def values(self, child) -> dict:
        return {"position": child.position, "text": child.text}

    def line(self, values: dict) -> str:
        return values["text"]


class MilestonesColumn(ChildListColumn):
    def parse(self, line: str) -> dict:
        match = _MILESTONE.fullmatch(line)
        if not match or not match["label"]:
            raise ValueError("「令和6年7月（予定） 開発」の形で1行に1つ入力してください。")
        if len(match["label"]) > 50:
            raise ValueError("内容は50文字までです。")
        # WarekiError is a ValueError carrying a Japanese message.
        on = wareki.parse_month(normalise_text(match["month"]))
        return {"on": on, "planned": bool(match["planned"]), "label": match["label"].strip()}

    def values(self, child) -> dict:
        return {
            "position": child.position,
            "on": child.on,
            "planned": child.planned,
            "label": child.label,
        }

    def line(self, values: dict) -> str:
        planned = "（予定）" if values["planned"] else ""
        return f"{wareki.format_month(values['on'])}{planned} {values['label']}"


class MeasureColumn(Column):
    """One checklist row as its own column: ○ (taken), ー (not needed) or blank."""

    def __init__(self, measure: ProcessingMeasure):
        super().__init__(
            f"measures:{measure.pk}", f"チェックリスト：{measure.list_name} {measure.order}"
        )
        self.measure = measure

    def save(self, instance, row, is_m2m=False, **kwargs):
        self.pending(instance)[self.attribute] = self.clean(row, **kwargs)

    def clean(self, row, **kwargs) -> str:
        text = stored_text(row.get(self.column_name))
        if not text:
            return ""
        if text not in _ANSWERS:
            raise ValueError(
                f"「{self.column_name}」の値「{text}」: ○（講じる）か ー（不要）で入力してください。"
            )
        return _ANSWERS[text]

    def get_value(self, instance) -> str:
        pending = instance.__dict__.get("_import_pending", {})
        if self.attribute in pending:
            return pending[self.attribute]
        if instance.pk is None:
            return ""
        answers = {m.measure_id: m.answer for m in instance.measures.all()}
        return answers.get(self.measure.pk, "")

    def export(self, instance, **kwargs) -> str:
        answer = self.get_value(instance)
        return ProcessingMeasureAnswer.Answer(answer).label if answer else ""


class ProcessingResource(ReviewedRecordResource):
    business = Column("business", "業務登録番号", business_widget())
    section_name = Column("business__section", "保有課", readonly=True)
    business_name = Column("business__name", "登録業務の名称", readonly=True)
    subject = Column("subject", "件名")
    data_subjects = Column("data_subjects", "個人の範囲")
    recorded_items = Column("recorded_items", "記録項目")
    computer = Column("computer", "記録するコンピュータ")
    reason = Column("reason", "新規開発・追加・変更の理由")
    changes_intro = Column("changes_intro", "新規開発・追加・変更の内容（前文）")
    changes = ChangesColumn("changes", "新規開発・追加・変更の内容")
    milestones = MilestonesColumn("milestones", "新規開発・追加・変更の時期")
    effective_from = Column("effective_from", "効力発生日", WarekiDateWidget())
    effective_until = Column("effective_until", "廃止日", WarekiDateWidget())

    natural_key = ("business", "subject")
    required_columns = ("業務登録番号", "件名")
    skip_model_validation = ("business",)

    class Meta:
        model = Processing
        # Explicit on purpose: a workflow status must never be written by an import.
        fields = (
            "record_number",
            "business",
            "section_name",
            "business_name",
            "subject",
            "data_subjects",
            "recorded_items",
            "computer",
            "reason",
            "changes_intro",
            "changes",
            "milestones",
            "effective_from",
            "effective_until",
            "state",
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        measures = ProcessingMeasure.objects.filter(is_active=True)
        self.insert_columns("milestones", {f"measures__{m.pk}": MeasureColumn(m) for m in measures})

    def get_queryset(self):
        return super().get_queryset().with_form_data()

    def children_of(self, instance) -> dict[str, list[dict]]:
        """The lists the row sets; a list whose column the file leaves out keeps the
        record's rows, and checklist columns left out keep their answers."""
        pending = instance.__dict__.get("_import_pending", {})
        children = {
            column.relation: pending[column.attribute]
            for column in (self.fields["changes"], self.fields["milestones"])
            if column.attribute in pending
        }
        answers = {
            int(key.removeprefix("measures:")): answer
            for key, answer in pending.items()
            if key.startswith("measures:")
        }
        if answers:
            stored = (
                {m.measure_id: m.answer for m in instance.measures.all()} if instance.pk else {}
            )
            merged = {**stored, **answers}
            by_pk = {m.pk: m for m in ProcessingMeasure.objects.filter(pk__in=merged)}
            children["measures"] = [
                {"measure": by_pk[pk], "answer": answer}
                for pk, answer in sorted(merged.items())
                if answer
            ]
        return children
