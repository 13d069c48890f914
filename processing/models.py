"""電算処理: a system that records personal information is built, extended or changed
(別紙（電算処理）of an agenda item put to the internal committee)."""

from django.db import models
from simple_history.models import HistoricalRecords

from notation import wareki
from processing.annex import annex_context, milestone_lines, numbered
from registry.fields import WarekiMonthField
from registry.models import Business
from reviews.models import Consultation, PreApprovalCategory, ReviewedQuerySet, ReviewedRecord
from reviews.workflow.checklists import ChecklistAnswer, ChecklistRow, checklist_problems


class ProcessingQuerySet(ReviewedQuerySet):
    def for_section(self, section):
        return self.filter(business__section=section)

    def with_form_data(self):
        return self.select_related("business__section").prefetch_related(
            "changes", "milestones", "measures__measure"
        )


class Processing(ReviewedRecord):
    print_noun = "電算処理"

    business = models.ForeignKey(
        Business, verbose_name="登録業務", on_delete=models.PROTECT, related_name="processings"
    )
    subject = models.CharField("件名", max_length=200)
    data_subjects = models.TextField("個人の範囲", help_text="だれの情報が記録されるのか")
    recorded_items = models.TextField(
        "記録項目", help_text="どのような項目が記録されるのか（例: 資料９－２のとおり）"
    )
    computer = models.TextField(
        "記録するコンピュータ", help_text="どこのコンピュータに記録されるのか"
    )
    reason = models.TextField("新規開発・追加・変更の理由")
    changes_intro = models.TextField(
        "新規開発・追加・変更の内容（前文）",
        blank=True,
        help_text="番号付きの一覧の前に印字されます（例: 既存の税務システムに以下の機能を追加する。）",
    )

    objects = ProcessingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "電算処理"
        ordering = ["business__number", "pk"]

    def __str__(self) -> str:
        return f"{self.business.number} {self.subject}"

    child_lists = ("changes", "milestones", "measures")
    # The public register (publication/) lists Form 2 and Form 5 records, not these.
    on_public_register = False
    agenda_kind = "processing"
    agenda_annex_template = "processing/_annex.html"
    # A correction fixes wording; the business and the dates that decide which version is
    # in force change only through an amendment.
    correctable_fields = (
        "subject",
        "data_subjects",
        "recorded_items",
        "computer",
        "reason",
        "changes_intro",
    )

    # The committee, not the council, decides a 電算処理: it cites no consultation or
    # category of its own, so an approval on an answer or a category adds nothing to it.
    def cited_consultation_ids(self) -> set[int]:
        return set()

    def cite_basis(
        self, *, category: PreApprovalCategory | None, consultation: Consultation | None
    ) -> None:
        """Nothing on the 別紙 prints the basis, so there is nothing to make agree."""

    def basis_problems(self) -> list[str]:
        return []

    def submit_problems(self) -> list[str]:
        problems = []
        if not self.changes.exists():
            problems.append("新規開発・追加・変更の内容を1項目以上入力してください。")
        if not self.milestones.exists():
            problems.append("新規開発・追加・変更の時期を1つ以上入力してください。")
        return problems + self.checklist_problems()

    def checklist_problems(self) -> list[str]:
        """Why the checklist (開発等を委託する場合における個人情報保護対策) is not complete,
        in Japanese: every active row needs ○ or ー, so a blank never means "forgotten"."""
        return checklist_problems(self, ProcessingMeasure, title="チェックリスト")

    def printed_content(self, **options) -> dict:
        """Everything 別紙（電算処理）prints, with its checklist."""
        section = self.business.section
        return {
            "number": self.business.number,
            "section": f"{section.department} {section.name}",
            "section_name": section.name,
            "business_name": self.business.name,
            "subject": self.subject,
            "data_subjects": self.data_subjects,
            "recorded_items": self.recorded_items,
            "computer": self.computer,
            "reason": self.reason,
            "changes_intro": self.changes_intro,
            "changes": [change.text for change in self.changes.all()],
            "milestones": [[m.on.isoformat(), m.planned, m.label] for m in self.milestones.all()],
            "checklist": [
                [m.measure.list_name, m.measure.order, m.measure.text, m.get_answer_display()]
                for m in self.measures.all()
            ],
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
        }

    def form_values(self) -> list[tuple[str, str]]:
        content = self.shown_content()
        return [
            ("件名", content["subject"]),
            ("保有課（担当課）", content["section_name"]),
            ("登録業務の名称", content["business_name"]),
            ("個人の範囲", content["data_subjects"]),
            ("記録項目", content["recorded_items"]),
            ("記録するコンピュータ", content["computer"]),
            ("新規開発・追加・変更の理由", content["reason"]),
            (
                "新規開発・追加・変更の内容",
                "\n".join([content["changes_intro"], *numbered(content["changes"])]).strip(),
            ),
            ("新規開発・追加・変更の時期", "\n".join(milestone_lines(content["milestones"]))),
            ("効力発生日", wareki.format_date(self.effective_from) if self.effective_from else ""),
        ]

    def agenda_annex(self, content: dict) -> dict:
        return annex_context(content)

    def agenda_checklists(self, content: dict) -> list[dict]:
        return annex_context(content)["checklists"]

    def child_changes(self):
        """Changes to the numbered list, the milestones and the checklist, for the
        record's history: per save, what each list lost and gained. A save rewrites a
        list, so a row removed and added back unchanged is no change."""
        from reviews.workflow.history import EMPTY, Change

        measures = {m.pk: m for m in ProcessingMeasure.objects.all()}
        sources = [
            (ProcessingChange, lambda row: ("新規開発・追加・変更の内容", row.text)),
            (
                ProcessingMilestone,
                lambda row: (
                    "新規開発・追加・変更の時期",
                    milestone_lines([[row.on.isoformat(), row.planned, row.label]])[0],
                ),
            ),
            (
                ProcessingMeasureAnswer,
                lambda row: (
                    f"チェックリスト {measures[row.measure_id]}",
                    dict(ProcessingMeasureAnswer.Answer.choices)[row.answer],
                ),
            ),
        ]
        grouped: dict[tuple, dict[tuple[str, str], int]] = {}
        for child, describe in sources:
            rows = child.history.filter(processing_id=self.pk).select_related("history_user")
            for row in rows:
                counts = grouped.setdefault((row.history_date, row.history_user), {})
                key = describe(row)
                counts[key] = counts.get(key, 0) + {"+": 1, "-": -1}.get(row.history_type, 0)
        for (at, user), counts in sorted(grouped.items(), key=lambda kv: kv[0][0]):
            by_label: dict[str, tuple[list[str], list[str]]] = {}
            for (label, value), n in counts.items():
                if n:
                    by_label.setdefault(label, ([], []))[0 if n < 0 else 1].append(value)
            changes = [
                Change(label, "、".join(old) or EMPTY, "、".join(new) or EMPTY)
                for label, (old, new) in by_label.items()
            ]
            if changes:
                yield at, user, changes


class ProcessingChange(models.Model):
    """One numbered entry of 新規開発・追加・変更の内容, in print order."""

    processing = models.ForeignKey(
        Processing, verbose_name="電算処理", on_delete=models.CASCADE, related_name="changes"
    )
    position = models.PositiveSmallIntegerField("番号")
    text = models.TextField("内容")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "新規開発・追加・変更の内容"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["processing", "position"], name="unique_processing_change_position"
            )
        ]

    def __str__(self) -> str:
        return self.text


class ProcessingMilestone(models.Model):
    """One dated step of 新規開発・追加・変更の時期 (開発, テスト, 運用開始…)."""

    processing = models.ForeignKey(
        Processing, verbose_name="電算処理", on_delete=models.CASCADE, related_name="milestones"
    )
    position = models.PositiveSmallIntegerField("順序")
    on = WarekiMonthField("時期", help_text="年と月（例: 令和6年7月）")
    planned = models.BooleanField("予定", default=False)
    label = models.CharField("内容", max_length=50)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "新規開発・追加・変更の時期"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["processing", "position"], name="unique_processing_milestone_position"
            )
        ]

    def __str__(self) -> str:
        return milestone_lines([[self.on.isoformat(), self.planned, self.label]])[0]


class ProcessingMeasureManager(models.Manager):
    def get_by_natural_key(self, side: int, kind: int, order: int) -> "ProcessingMeasure":
        return self.get(side=side, kind=kind, order=order)


class ProcessingMeasure(ChecklistRow):
    """One row of 電算処理にかかる個人情報保護対策チェックリスト (development by a
    contractor)."""

    class Side(models.IntegerChoices):
        WARD = 1, "開発等を委託する場合における区が行う情報保護対策"
        CONTRACTOR = 2, "開発等を委託する場合における委託先に行わせる情報保護対策"

    side = models.PositiveSmallIntegerField("区分", choices=Side.choices)

    # The seed's answers name their rows by (side, kind, order): the rows' keys are the
    # migration's, and a ward that added rows of its own may have others.
    objects = ProcessingMeasureManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "電算処理の情報保護対策（チェックリスト項目）"
        ordering = ["side", "kind", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["side", "kind", "order"], name="unique_processing_measure_order"
            )
        ]

    def natural_key(self) -> tuple[int, int, int]:
        return (self.side, self.kind, self.order)


class ProcessingMeasureAnswer(ChecklistAnswer):
    """A 電算処理 record's answer for one checklist row."""

    processing = models.ForeignKey(
        Processing, verbose_name="電算処理", on_delete=models.CASCADE, related_name="measures"
    )
    measure = models.ForeignKey(
        ProcessingMeasure,
        verbose_name="情報保護対策",
        on_delete=models.PROTECT,
        related_name="answers",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "電算処理の情報保護対策チェックリスト"
        ordering = ["measure__side", "measure__kind", "measure__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["processing", "measure"], name="unique_processing_measure_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.get_answer_display()}"
