"""What every protection-measure checklist shares (Form 5's 外部結合 checklist,
電算処理's development checklist): rows of the ward's wording in lists by side and kind,
and a record's answer per row. Each app keeps its own concrete tables, sides and history."""

from django.db import models


class MeasureKind(models.IntegerChoices):
    OPERATIONAL = 1, "運用上の対策"
    TECHNICAL = 2, "システム上の対策"


class MeasureAnswer(models.TextChoices):
    TAKEN = "taken", "○"
    NOT_NEEDED = "not_needed", "ー"


class ChecklistRow(models.Model):
    """One row of a checklist. The rows are the ward's template, kept as data so a ward
    can word them its own way; `is_active` retires a row without losing old answers.
    The concrete model adds `side` with its own choices."""

    Kind = MeasureKind

    kind = models.PositiveSmallIntegerField("対策の種類", choices=MeasureKind.choices)
    order = models.PositiveSmallIntegerField("順序")
    text = models.TextField("情報保護対策")
    is_active = models.BooleanField("使用中", default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.list_name} {self.order}．{self.short_text}"

    @property
    def list_name(self) -> str:
        """The checklist this row belongs to, as the form heads it."""
        return f"{self.get_side_display()}【{self.get_kind_display()}】"

    @property
    def short_text(self) -> str:
        first_line = self.text.splitlines()[0] if self.text else ""
        return first_line if len(first_line) <= 30 else first_line[:30] + "…"


class ChecklistAnswer(models.Model):
    """A record's answer for one checklist row: ○ (the measure is taken) or ー (not
    needed). The concrete model adds the record and the row."""

    Answer = MeasureAnswer

    answer = models.CharField("対策", max_length=10, choices=MeasureAnswer.choices)

    class Meta:
        abstract = True


def unanswered_measures(measure_model: type[ChecklistRow], record) -> list[ChecklistRow]:
    """The active rows `record` (None or unsaved: the admin's add form) has no answer for."""
    saved = record is not None and record.pk is not None
    answered = set(record.measures.values_list("measure_id", flat=True)) if saved else set()
    return [m for m in measure_model.objects.filter(is_active=True) if m.pk not in answered]


def checklist_problems(record, measure_model: type[ChecklistRow], *, title: str) -> list[str]:
    """Why `record`'s checklist is not complete yet, in Japanese (empty: complete). Every
    active row needs ○ or ー, so a blank never means "forgotten"; a list left wholly
    blank is named once, with its number of rows."""
    answered = {m.measure_id for m in record.measures.all() if m.answer}
    missing: dict[str, list[ChecklistRow]] = {}
    rows: dict[str, int] = {}
    for measure in measure_model.objects.filter(is_active=True):
        rows[measure.list_name] = rows.get(measure.list_name, 0) + 1
        if measure.pk not in answered:
            missing.setdefault(measure.list_name, []).append(measure)
    problems = []
    for list_name, measures in missing.items():
        if len(measures) == rows[list_name]:
            problems.append(f"{title}「{list_name}」が未記入です（{len(measures)}項目）。")
            continue
        problems += [
            f"{title}「{list_name}」の{m.order}「{m.short_text}」に○またはーが記入されていません。"
            for m in measures
        ]
    return problems
