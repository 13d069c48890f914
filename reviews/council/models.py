"""The privacy council's side: pre-approval criteria (事前一括承認基準) with their
examples, consultations (諮問) and the answers (答申) that come back."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from notation import fullwidth, wareki
from registry.access import visible_sections
from registry.fields import WarekiDateField
from registry.history import AuditEntry, audit_entries, deleted_entries

OUTSOURCING_CHAPTER = 3


class PreApprovalCategory(models.Model):
    chapter = models.PositiveSmallIntegerField(
        "章", default=OUTSOURCING_CHAPTER, help_text="3 = 外部委託"
    )
    number = models.PositiveSmallIntegerField("類型")
    rule = models.TextField("基準")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "事前一括承認基準"
        ordering = ["chapter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "number"], name="unique_category_number")
        ]

    def __str__(self) -> str:
        return f"事前一括承認基準({self.printed_number})"

    @property
    def printed_number(self) -> str:
        return fullwidth.category_number(self.chapter, self.number)


class CategoryExample(models.Model):
    category = models.ForeignKey(
        PreApprovalCategory,
        verbose_name="類型",
        on_delete=models.CASCADE,
        related_name="examples",
    )
    text = models.CharField("事例", max_length=200)
    order = models.PositiveSmallIntegerField("順序", default=0)
    added_on = WarekiDateField("追加日", null=True, blank=True)
    added_by = models.CharField(
        "出典", max_length=200, blank=True, help_text="報告として登録されていない出典（旧資料など）"
    )
    report = models.ForeignKey(
        "PreApprovalReport",
        verbose_name="追加した報告",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="added_examples",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "事例"
        ordering = ["category", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Consultation(models.Model):
    """諮問: a record that fits no pre-approval category goes to the council.

    Numbers are allocated by `reviews.council.services.consultation_create`, per fiscal
    year or cumulatively (settings.CONSULTATION_NUMBERING), after the highest number in
    use; either way a number is unique within its fiscal year, which the constraint
    guards."""

    fiscal_year = models.PositiveSmallIntegerField("年度", editable=False)
    number = models.PositiveIntegerField("諮問番号", editable=False)
    consulted_on = WarekiDateField("諮問日")
    document_number = models.CharField(
        "諮問書の文書番号", max_length=100, blank=True, help_text="例: 和泉政企第3635号"
    )
    section = models.ForeignKey(
        "registry.Section",
        verbose_name="所管課",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    subject = models.CharField("件名", max_length=300, blank=True)
    summary = models.TextField("諮問の概要", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "諮問"
        ordering = ["consulted_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"], name="unique_consultation_number_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{wareki.format_date(self.consulted_on)} 諮問第{self.number}号"

    @property
    def fiscal_year_display(self) -> str:
        return wareki.format_fiscal_year(self.fiscal_year)

    @property
    def printed_reference(self) -> str:
        """平成２１年１０月２２日 諮問第２３号, as Form 2 prints it."""
        return fullwidth.to_fullwidth_digits(
            f"{wareki.format_date(self.consulted_on)} 諮問第{self.number}号"
        )


class ConsultationCounter(models.Model):
    """The last number handed out in a numbering series: a fiscal year, or 0 for wards
    that number cumulatively. Locked row by row so two clerks never get the same number."""

    series = models.PositiveSmallIntegerField("系列", primary_key=True)
    last_number = models.PositiveIntegerField("最終番号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "諮問番号の採番"

    def __str__(self) -> str:
        return f"{self.series}: {self.last_number}"


class CouncilMeeting(models.Model):
    """審議会開催: a meeting of the council and what was on its agenda."""

    held_on = WarekiDateField("開催日")
    title = models.CharField("名称", max_length=200, blank=True, help_text="例: 第3回審議会")
    consultations = models.ManyToManyField(
        Consultation, verbose_name="審議した諮問", blank=True, related_name="meetings"
    )
    agenda = models.TextField(
        "議事", blank=True, help_text="1行に1項目（例: 事務局からの説明 / 質疑応答 / 審議）"
    )

    history = HistoricalRecords(m2m_fields=[consultations])

    class Meta:
        verbose_name = verbose_name_plural = "審議会開催"
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{wareki.format_date(self.held_on)} {self.title or '審議会'}"

    @property
    def agenda_lines(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class AnswerQuerySet(models.QuerySet):
    def published(self):
        """The ward's own answers: to consultations one of its sections made. An answer
        kept without a section (the seed's 和泉市 answer, a sample of the printed layout)
        stays off the public register."""
        return self.filter(consultation__section__isnull=False)


class Answer(models.Model):
    class Conclusion(models.TextChoices):
        APPROVED = "approved", "承認"
        APPROVED_WITH_OPINION = "approved_with_opinion", "附帯意見を付して承認"
        REJECTED = "rejected", "不承認"

    consultation = models.OneToOneField(
        Consultation, verbose_name="諮問", on_delete=models.CASCADE, related_name="answer"
    )
    number = models.PositiveIntegerField("答申番号")
    number_prefix = models.CharField(
        "答申番号の表記",
        max_length=50,
        blank=True,
        default="答申",
        help_text="番号の前に付く語（例: 和泉個審答申）",
    )
    answered_on = WarekiDateField("答申日")
    addressee = models.CharField(
        "宛先", max_length=200, blank=True, help_text="例: 和泉市長 辻 宏康 様"
    )
    council_name = models.CharField("審査会の名称", max_length=200, blank=True)
    chair = models.CharField("会長", max_length=100, blank=True)
    title = models.CharField("件名", max_length=300, blank=True)
    preamble = models.TextField("前文", blank=True)
    conclusion = models.CharField("結論", max_length=30, choices=Conclusion.choices)
    conclusion_text = models.TextField("審査会の結論", blank=True)
    summary = models.TextField("諮問の概要", blank=True)
    judgement = models.TextField("審査会の判断", blank=True)
    opinion = models.TextField("附帯意見", blank=True)

    objects = AnswerQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "答申"
        ordering = ["answered_on", "number"]

    def __str__(self) -> str:
        return f"{self.number_prefix or '答申'}第{self.number}号"

    def processing_history(self) -> list[tuple[dt.date, str, list[str]]]:
        """（参考）審査会の処理経過, built from what was recorded: the consultation's receipt,
        every meeting that took it up (with its agenda), and the answer."""
        consultation = self.consultation
        history = [(consultation.consulted_on, "諮問書の受理", [])]
        for meeting in consultation.meetings.all():
            history.append((meeting.held_on, "審査会開催", meeting.agenda_lines))
        history.append((self.answered_on, "実施機関への答申", []))
        return sorted(history, key=lambda entry: entry[0])


class Obligation(models.Model):
    """A condition attached to an answer (附帯意見), tracked until the section fulfils it.
    It binds every record that cites the answer's consultation."""

    class Status(models.TextChoices):
        OPEN = "open", "対応中"
        DONE = "done", "対応済み"
        WAIVED = "waived", "取り下げ"

    answer = models.ForeignKey(
        Answer, verbose_name="答申", on_delete=models.CASCADE, related_name="obligations"
    )
    text = models.TextField("附帯意見の内容")
    owner = models.ForeignKey(
        "registry.Section",
        verbose_name="担当課",
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    due_on = WarekiDateField("期限", null=True, blank=True)
    status = models.CharField("状況", max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.TextField("対応内容", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "附帯意見の対応"
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.answer} 附帯意見: {self.text[:30]}"

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.status == self.Status.OPEN and self.due_on and self.due_on < timezone.localdate()
        )


class PreApprovalReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviewers, clerks and superusers see every section's reports; staff their own."""
        return visible_sections(self, user, "section_id")


class PreApprovalReport(models.Model):
    """「外部委託に関する審議会事前一括承認基準の適用について」: a section's report that
    the records of one change fall under pre-approval categories; the council is informed."""

    title = models.CharField(
        "件名", max_length=300, default="外部委託に関する審議会事前一括承認基準の適用について"
    )
    section = models.ForeignKey(
        "registry.Section", verbose_name="所管課", on_delete=models.PROTECT, related_name="reports"
    )
    reported_on = WarekiDateField("報告日", null=True, blank=True)
    overview = models.TextField("概要")
    protection = models.TextField("個人情報の保護", blank=True)
    attachments = models.TextField("添付資料", blank=True, help_text="1行に1件")

    objects = PreApprovalReportQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "事前一括承認基準の適用報告"
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title}（{self.section}）"

    @property
    def attachment_lines(self) -> list[str]:
        return [line.strip() for line in self.attachments.splitlines() if line.strip()]

    def change_history(self) -> list[AuditEntry]:
        """Every recorded change of the report and of its items (removed ones too),
        newest first, each item's changes named by the item."""
        entries = audit_entries(self)
        for item in self.items.all():
            entries += audit_entries(item, subject=f"項目「{item.name}」")
        entries += deleted_entries(
            ReportItem.history.model,
            lambda row: f"項目「{row.name}」",
            report_id=self.pk,
        )
        entries.sort(key=lambda entry: entry.at, reverse=True)
        return entries


class ReportItem(models.Model):
    """One change the report covers (e.g. ペイジーによる納付): when it applies, which
    category it falls under and why, who does what with which personal data."""

    report = models.ForeignKey(
        PreApprovalReport, verbose_name="報告", on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField("順序")
    name = models.CharField("項目", max_length=200, help_text="例: ペイジーによる納付")
    applies_from = WarekiDateField("適用日", help_text="月単位の場合はその月の1日")
    applies_month_only = models.BooleanField("適用日を年月で表示", default=True)
    is_planned = models.BooleanField("予定", default=True)
    category = models.ForeignKey(
        PreApprovalCategory,
        verbose_name="該当する類型",
        on_delete=models.PROTECT,
        related_name="report_items",
    )
    fits_existing_example = models.BooleanField(
        "既存の事例に該当", default=False, help_text="チェックなし: 類型に該当（事例を追加）"
    )
    personal_data_sent = models.TextField("区が送信する項目", blank=True)
    # What the report calls each list (「（納付書情報）」): the item's own words, since
    # not every item is about payment slips.
    personal_data_sent_name = models.CharField(
        "区が送信する項目の名称", max_length=50, blank=True, help_text="例: 納付書情報"
    )
    personal_data_received = models.TextField("区が受信する項目", blank=True)
    personal_data_received_name = models.CharField(
        "区が受信する項目の名称", max_length=50, blank=True, help_text="例: 納付結果情報"
    )
    contractors = models.TextField("委託先および委託内容")
    example_note = models.TextField("事例への追加", blank=True)
    new_example = models.CharField(
        "追加する事例",
        max_length=200,
        blank=True,
        help_text="既存の事例に該当しない場合、類型に加える事例（例: 電子マネーによる収納業務）",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "報告の項目"
        ordering = ["report", "position"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # An item either fits an example the category already has, or names the one it adds.
        if self.fits_existing_example and self.new_example.strip():
            raise ValidationError(
                {"new_example": "既存の事例に該当する場合は、追加する事例を入力しないでください。"}
            )

    def added_example(self) -> "CategoryExample | None":
        """The example this item added to its category, once a reviewer has added it."""
        if not self.new_example:
            return None
        return self.report.added_examples.filter(
            category_id=self.category_id, text=self.new_example
        ).first()

    @property
    def applies_from_display(self) -> str:
        text = (
            wareki.format_month(self.applies_from)
            if self.applies_month_only
            else wareki.format_date(self.applies_from)
        )
        return f"{text}（予定）" if self.is_planned else text

    @property
    def reason(self) -> str:
        """適用理由, as the Nerima report words it."""
        kind = "の事例に該当" if self.fits_existing_example else "に該当"
        return f"外部委託に関する審議会事前一括承認基準の類型{self.category.number}{kind}"
