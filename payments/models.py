"""公金収納 and other data flows: who sends which personal data items to whom, over
which line, for which payment channel. The checks in `payments.rules` and the
diagrams in `payments.diagrams` read these records."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from consignments.models import RecordKind
from linkages.models import Linkage
from notation import wareki
from registry.fields import WarekiDateField
from registry.models import Business, Organization, Section
from reviews.models import PreApprovalCategory


class TaxType(models.Model):
    name = models.CharField("税目", max_length=100)
    business = models.ForeignKey(
        Business, verbose_name="業務", on_delete=models.PROTECT, related_name="tax_types"
    )
    order = models.PositiveSmallIntegerField("順序", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "税目"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["business", "name"], name="unique_tax_type_name")
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    """A way residents can pay (納付チャネル): 窓口, コンビニ, ペイジー, …"""

    name = models.CharField("納付チャネル", max_length=50)
    description = models.TextField("説明", blank=True)
    started_on = WarekiDateField(
        "開始日", null=True, blank=True, help_text="導入日が分からない場合は空欄"
    )
    category = models.ForeignKey(
        PreApprovalCategory,
        verbose_name="該当する事前一括承認基準",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channels",
    )
    order = models.PositiveSmallIntegerField("順序", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "納付チャネル"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def started_on_display(self) -> str:
        return wareki.format_date(self.started_on) if self.started_on else "—"


class Party(models.Model):
    """A box in a flow diagram: the payer, the ward, or an outside organisation in a
    given role. The same organisation can appear in two roles (NTT Data is both the
    payment agent and the MPN shared centre), so a party is an (organisation, role) pair."""

    class Role(models.TextChoices):
        PAYER = "payer", "納付者"
        WARD = "ward", "区"
        PAYMENT_AGENT = "payment_agent", "収納代行事業者"
        DESIGNATED_PAYER = "designated_payer", "指定代理納付者"
        E_MONEY = "e_money", "電子マネー事業者"
        MPN_OPERATOR = "mpn_operator", "日本MPN運営機構"
        MPN_CENTRE = "mpn_centre", "MPN収納機関共同利用センター"
        FINANCIAL_INSTITUTION = "financial_institution", "金融機関"
        LINKAGE_PARTNER = "linkage_partner", "電算結合の相手方"

    name = models.CharField("表示名", max_length=100, help_text="図の箱に表示する名前")
    role = models.CharField("役割", max_length=30, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="相手方",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flow_parties",
    )
    section = models.ForeignKey(
        Section,
        verbose_name="所管課",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flow_parties",
        help_text="役割が「区」のときの所管課",
    )
    contractor_type = models.CharField(
        "委託先業種",
        max_length=100,
        blank=True,
        help_text="第2号様式の委託先業種（例: クレジットカード事業者）。照合に使います。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "当事者"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        super().clean()
        if self.role == self.Role.WARD:
            if not self.section_id:
                raise ValidationError({"section": "役割が「区」の場合は所管課を選んでください。"})
            if self.organization_id:
                raise ValidationError(
                    {"organization": "役割が「区」の場合は相手方を選ばないでください。"}
                )
        elif self.section_id:
            raise ValidationError({"section": "所管課は役割が「区」の場合だけ選べます。"})
        if self.role == self.Role.PAYER and self.organization_id:
            raise ValidationError(
                {"organization": "役割が「納付者」の場合は相手方を選ばないでください。"}
            )

    @property
    def label(self) -> str:
        """Two lines for a diagram box: the name and, where it adds something, the role."""
        role = self.get_role_display()
        if self.role in (self.Role.PAYER, self.Role.WARD) or role in self.name:
            return self.name
        return f"{self.name}\n{role}"

    @property
    def full_name(self) -> str:
        """One line, for tables and messages: NTTデータ（収納代行事業者）."""
        name, _, role = self.label.partition("\n")
        return f"{name}（{role}）" if role else name


class DataItem(models.Model):
    """One personal-data item (項目) and the Form 2 記録の種別 it falls under."""

    name = models.CharField("項目", max_length=100, unique=True)
    record_kind = models.ForeignKey(
        RecordKind,
        verbose_name="記録の種別",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="第2号様式でチェックが必要な記録の種別",
    )
    record_kind_other = models.CharField(
        "記録の種別（その他）",
        max_length=100,
        blank=True,
        help_text="「その他」に書くべき内容（例: クレジットカード番号）",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "データ項目"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ItemSet(models.Model):
    """A named list of items that travels together: 納付書情報, 納付結果情報, …"""

    name = models.CharField("名称", max_length=100, help_text="図の矢印に表示します")
    variant = models.CharField(
        "区分", max_length=100, blank=True, help_text="同じ名称で内容が違う場合の区別"
    )
    items = models.ManyToManyField(
        DataItem, verbose_name="項目", through="ItemSetEntry", related_name="item_sets"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "項目セット"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["name", "variant"], name="unique_item_set_name")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.variant}）" if self.variant else self.name

    def ordered_items(self) -> list[DataItem]:
        return [entry.item for entry in self.entries.all()]


class ItemSetEntry(models.Model):
    item_set = models.ForeignKey(
        ItemSet, verbose_name="項目セット", on_delete=models.CASCADE, related_name="entries"
    )
    item = models.ForeignKey(DataItem, verbose_name="項目", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField("順序")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "項目セットの項目"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item_set", "item"], name="unique_item_set_item"),
            models.UniqueConstraint(
                fields=["item_set", "position"], name="unique_item_set_position"
            ),
        ]

    def __str__(self) -> str:
        return str(self.item)


class FlowQuerySet(models.QuerySet):
    def in_force(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(effective_from__isnull=True) | Q(effective_from__lte=on)).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=on)
        )

    def with_parties(self):
        """Everything the rules and the diagrams read, in a fixed number of queries."""
        return self.select_related(
            "sender__organization",
            "sender__section",
            "receiver__organization",
            "receiver__section",
            "via__organization",
            "item_set",
        ).prefetch_related(
            "item_set__entries__item__record_kind",
            "items__record_kind",
            "channels",
            "tax_types__business__section",
        )


class Flow(models.Model):
    """One arrow: `sender` gives `receiver` an item set and/or single items (or, for
    money and plain use, only a label such as 収納金), optionally relayed by `via`."""

    Line = Linkage.Line

    sender = models.ForeignKey(
        Party, verbose_name="送り手", on_delete=models.PROTECT, related_name="sent_flows"
    )
    receiver = models.ForeignKey(
        Party, verbose_name="受け手", on_delete=models.PROTECT, related_name="received_flows"
    )
    via = models.ForeignKey(
        Party,
        verbose_name="経由",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relayed_flows",
        help_text="途中で情報を中継する当事者（例: 日本MPN運営機構のネットワーク）",
    )
    item_set = models.ForeignKey(
        ItemSet,
        verbose_name="項目セット",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flows",
    )
    items = models.ManyToManyField(
        DataItem,
        verbose_name="個別の項目",
        blank=True,
        related_name="flows",
        help_text="項目セットに加えて（または代わりに）送る項目",
    )
    label = models.CharField(
        "表示名",
        max_length=100,
        blank=True,
        help_text="個人情報を含まない流れ（収納金、利用など）の名前、または矢印の表示名",
    )
    channels = models.ManyToManyField(
        Channel, verbose_name="納付チャネル", blank=True, related_name="flows"
    )
    tax_types = models.ManyToManyField(TaxType, verbose_name="税目", related_name="flows")
    line = models.CharField("回線", max_length=30, choices=Line.choices, blank=True)
    effective_from = WarekiDateField("開始日", null=True, blank=True, help_text="空欄は当初から")
    effective_until = WarekiDateField("終了日", null=True, blank=True)
    order = models.PositiveSmallIntegerField("順序", default=0)

    objects = FlowQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=[items, channels, tax_types])

    class Meta:
        verbose_name = verbose_name_plural = "データの流れ"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.sender} → {self.receiver}（{self.arrow_label}）"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.sender_id and self.sender_id == self.receiver_id:
            errors["receiver"] = "送り手と受け手は別の当事者にしてください。"
        if self.via_id and self.via_id in (self.sender_id, self.receiver_id):
            errors["via"] = "経由には送り手・受け手以外の当事者を選んでください。"
        if (
            self.effective_from
            and self.effective_until
            and self.effective_until < self.effective_from
        ):
            errors["effective_until"] = "終了日は開始日より後の日付にしてください。"
        if errors:
            raise ValidationError(errors)

    @property
    def arrow_label(self) -> str:
        if self.label:
            return self.label
        if self.item_set_id:
            return self.item_set.name
        return "、".join(item.name for item in self.items.all())

    def carried_items(self) -> list[DataItem]:
        """The items this flow carries, item-set order first, without repeats."""
        items = self.item_set.ordered_items() if self.item_set_id else []
        seen = {item.pk for item in items}
        for item in sorted(self.items.all(), key=lambda item: item.pk):
            if item.pk not in seen:
                items.append(item)
                seen.add(item.pk)
        return items

    def businesses(self) -> list[Business]:
        """The registered businesses whose data this flow carries, through its tax types."""
        found = {tax.business_id: tax.business for tax in self.tax_types.all()}
        return [found[pk] for pk in sorted(found)]

    @property
    def period_display(self) -> str:
        start = wareki.format_date(self.effective_from) if self.effective_from else "当初"
        if self.effective_until:
            return f"{start}から{wareki.format_date(self.effective_until)}まで"
        return f"{start}以降" if self.effective_from else "当初から"

    def is_in_force_on(self, on: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_until is None or self.effective_until >= on
        )
