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
