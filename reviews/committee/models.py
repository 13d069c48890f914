"""The ward's internal committee (個人情報保護管理運営会議), which took over much of the
council's work after the 2023 law: its meetings and the agenda items (付議事項) sections
put to it. An item puts forward reviewed records (電算処理, Form 5 linkages); the
decision on the item becomes their approval basis (ReviewedRecord.approval_agenda_item).
The committee builds on the review workflow; the workflow names the item only by its
model label, never importing this module."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords

from notation import wareki
from registry.access import visible_sections
from registry.fields import WarekiDateField
from registry.models import Section


class CommitteeMeeting(models.Model):
    title = models.CharField(
        "会議名", max_length=200, help_text="例: 令和6年度第3回個人情報保護管理運営会議"
    )
    held_on = WarekiDateField("開催日", null=True, blank=True, help_text="未定のときは空欄")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "個人情報保護管理運営会議"
        ordering = [models.F("held_on").desc(nulls_first=True), "-pk"]

    def __str__(self) -> str:
        held = wareki.format_date(self.held_on) if self.held_on else "開催日未定"
        return f"{self.title}（{held}）"


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviewers, clerks and superusers see every section's items; staff their own."""
        return visible_sections(self, user, "section_id")


class AgendaItem(models.Model):
    """付議事項: what a section asks the committee to decide, with 事業の概要 and the
    records it puts forward (AgendaRecord), in the order the packet prints them."""

    class Kind(models.TextChoices):
        PROCESSING = "processing", "電算処理"
        LINKAGE = "linkage", "外部結合"
        OUTSIDE_USE = "outside_use", "目的外利用"
        PROVISION = "provision", "外部提供"

    class Decision(models.TextChoices):
        APPROVED = "approved", "承認"
        CONDITIONAL = "conditional", "条件付き承認"
        REJECTED = "rejected", "不承認"

    meeting = models.ForeignKey(
        CommitteeMeeting, verbose_name="会議", on_delete=models.PROTECT, related_name="items"
    )
    position = models.PositiveSmallIntegerField("議題の順序", default=1)
    material_number = models.CharField("資料番号", max_length=20, help_text="例: ９")
    section = models.ForeignKey(
        Section, verbose_name="担当部課", on_delete=models.PROTECT, related_name="agenda_items"
    )
    subject = models.TextField("件名")
    basis_article = models.CharField(
        "要綱の根拠", max_length=100, default="第3条第1項第3号", help_text="条・項・号"
    )
    kinds = models.JSONField("付議の種類", default=list, help_text="電算処理、外部結合…")
    project_name = models.CharField("事業名", max_length=200)
    purpose = models.TextField("目的")
    targets = models.TextField("対象者")
    summary = models.TextField("事業内容（概要）")
    expected_count = models.CharField("想定件数", max_length=200, blank=True)
    flow_number = models.CharField(
        "個人情報の流れの資料番号",
        max_length=20,
        blank=True,
        help_text="例: ９－１。付議する電算結合のデータの流れを図にして、この番号の資料として"
        "印刷します（事業の概要の末尾に「※個人情報の流れは、資料９－１のとおり」）。",
    )
    flow_title = models.CharField(
        "個人情報の流れの表題",
        max_length=200,
        blank=True,
        help_text="例: 軽自動車税納付確認システムに係る個人情報の流れ",
    )
    decision = models.CharField("決定", max_length=20, choices=Decision.choices, blank=True)
    decided_on = WarekiDateField("決定日", null=True, blank=True)
    decision_comment = models.TextField("決定の内容・条件", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="決定を記録した人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AgendaItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "付議事項"
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        text = f"{self.meeting.title} 資料{self.material_number}「{self.subject}」"
        if self.decision:
            text += f"（{self.get_decision_display()}）"
        return text

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    @property
    def approves(self) -> bool:
        return self.decision in (self.Decision.APPROVED, self.Decision.CONDITIONAL)

    def kinds_display(self) -> str:
        labels = dict(self.Kind.choices)
        return "、".join(labels.get(kind, kind) for kind in self.kinds)

    def puts_forward(self, record) -> bool:
        return self.records.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ).exists()


class AgendaRecord(models.Model):
    """A record an agenda item puts forward, with what the item asks for it (付議内容)
    and, for an amended record, the meeting that saw the version it changes."""

    item = models.ForeignKey(
        AgendaItem, verbose_name="付議事項", on_delete=models.CASCADE, related_name="records"
    )
    position = models.PositiveSmallIntegerField("順序")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    request = models.TextField("付議内容", help_text="事業内容の「付議内容」に印字されます")
    amended_since = models.CharField(
        "前回付議した会議",
        max_length=200,
        blank=True,
        help_text="変更の付議のとき、変更前の版を審議した会議（例: 令和３年度第６回情報公開・"
        "個人情報保護審議会）。別紙に変更箇所の注記が付きます。",
    )
    list_number = models.CharField(
        "データ項目一覧の資料番号", max_length=20, blank=True, help_text="例: ９－２"
    )
    list_title = models.CharField("データ項目一覧の表題", max_length=200, blank=True)
    list_heading = models.CharField("データ項目一覧の見出し", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "付議する記録"
        ordering = ["item", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "content_type", "object_id"], name="unique_agenda_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.record}"
