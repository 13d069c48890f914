"""電算結合記録票 (第5号様式（第11条関係）): a computer linkage with an outside partner."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from linkages.annex import annex_context
from notation import wareki
from registry.fields import WarekiMonthField
from registry.models import Business, Organization
from reviews.models import Consultation, PreApprovalCategory, ReviewedQuerySet, ReviewedRecord
from reviews.workflow.checklists import ChecklistAnswer, ChecklistRow, checklist_problems
from reviews.workflow.models import register_order_index


class LinkageQuerySet(ReviewedQuerySet):
    def for_section(self, section):
        return self.filter(business__section=section)

    def for_business(self, number: str):
        return self.filter(business__number=number)

    def with_form_data(self):
        return self.select_related(
            "business__section", "partner", "linked_consultation", "change_consultation"
        ).prefetch_related("items", "measures__measure")


class Linkage(ReviewedRecord):
    class Line(models.TextChoices):
        LGWAN = "lgwan", "LGWAN"
        DEDICATED = "dedicated", "専用回線"
        IP_VPN = "ip_vpn", "IP-VPN"
        ENCRYPTED_INTERNET = "encrypted_internet", "インターネット（暗号化）"
        ISDN = "isdn", "ISDN"

    business = models.ForeignKey(
        Business, verbose_name="業務", on_delete=models.PROTECT, related_name="linkages"
    )
    purpose = models.TextField("電算結合の目的")
    linked_on = WarekiMonthField("結合年月日", help_text="年と月（例: 令和2年1月）")
    linked_consultation = models.ForeignKey(
        Consultation,
        verbose_name="結合の審議会（諮問）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linkages",
    )
    changed_on = WarekiMonthField("結合変更年月日", null=True, blank=True)
    change_consultation = models.ForeignKey(
        Consultation,
        verbose_name="結合変更の審議会（諮問）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changed_linkages",
    )
    partner = models.ForeignKey(
        Organization,
        verbose_name="電算結合の相手方",
        on_delete=models.PROTECT,
        related_name="linkages",
    )
    partner_role = models.CharField(
        "相手方の役割",
        max_length=200,
        blank=True,
        help_text="名称の後に括弧書きで印字されます（例: ＭＰＮ収納機関共同利用センター運営事業者）",
    )
    line = models.CharField("回線", max_length=30, choices=Line.choices, blank=True)
    ward_measures = models.TextField("区が講じる保護措置", blank=True)
    partner_measures = models.TextField("結合先が講じる保護措置", blank=True)
    manager = models.CharField("個人情報保護管理責任者", max_length=50)
    # What the linkage's 別紙 (電子計算機の外部結合関係) prints when an agenda item puts
    # it to the internal committee, besides the form's own fields.
    subject = models.CharField("件名", max_length=200, blank=True)
    data_subjects = models.CharField(
        "結合される情報項目の対象者", max_length=200, blank=True, help_text="だれの情報か"
    )
    partner_description = models.TextField(
        "結合の相手方の説明",
        blank=True,
        help_text="別紙で名称の下に印字されます（例: 登録情報提供機関、プライバシーマーク取得済）",
    )
    connection = models.TextField("結合の形態", blank=True)
    period = models.TextField("結合の開始時期と期間", blank=True)

    objects = LinkageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "電算結合記録票"
        ordering = ["business__number", "pk"]
        indexes = [register_order_index("linkage_register_order")]

    name_related = ("business", "partner")

    def __str__(self) -> str:
        return f"{self.business.number} {self.partner}"

    def clean(self) -> None:
        super().clean()
        if self.changed_on and self.linked_on and self.changed_on < self.linked_on:
            raise ValidationError(
                {"changed_on": "結合変更年月日は結合年月日より後にしてください。"}
            )

    child_lists = ("items", "measures")
    agenda_kind = "linkage"
    agenda_annex_template = "linkages/_annex.html"
    # A correction fixes a mistake in what was approved; the business, the partner and the
    # dates that decide which version is in force change only through an amendment.
    correctable_fields = (
        "purpose",
        "linked_consultation",
        "change_consultation",
        "partner_role",
        "line",
        "ward_measures",
        "partner_measures",
        "manager",
        "subject",
        "data_subjects",
        "partner_description",
        "connection",
        "period",
    )

    def cited_consultation_ids(self) -> set[int]:
        return {self.linked_consultation_id, self.change_consultation_id} - {None}

    def submit_problems(self) -> list[str]:
        return self.checklist_problems()

    def cite_basis(
        self, *, category: PreApprovalCategory | None, consultation: Consultation | None
    ) -> None:
        """結合年月日 (or 結合変更年月日) prints the consultation the linkage was approved on:
        approving on an answer makes the record cite its consultation when the line for it
        is empty, and refuses an answer to another consultation."""
        cited = [c for c in (self.linked_consultation, self.change_consultation) if c]
        names = "、".join(map(str, cited))
        if consultation is not None:
            if consultation in cited:
                return
            if self.linked_consultation is None:
                self.linked_consultation = consultation
                return
            if self.changed_on and self.change_consultation is None:
                self.change_consultation = consultation
                return
            raise ValidationError(
                f"この記録票の審議会は「{names}」ですが、承認の根拠の答申は"
                f"「{consultation}」に対するものです。記録票が記載する諮問の答申を選ぶか、"
                "記録票を差し戻して審議会の記載を直してください。"
            )
        if category is not None and cited:
            raise ValidationError(
                f"この記録票の審議会は「{names}」ですが、承認の根拠に「{category}」が"
                "選ばれています。記録票が記載する諮問の答申を根拠に選んでください。"
            )

    def basis_problems(self) -> list[str]:
        cited = {self.linked_consultation_id, self.change_consultation_id} - {None}
        if self.approval_consultation_id and self.approval_consultation_id not in cited:
            return [
                f"承認の根拠「{self.approval_consultation}」が記録票の審議会の記載にありません。"
            ]
        if self.approval_category_id and cited:
            return [f"承認の根拠「{self.approval_category}」は記録票の審議会の記載と異なります。"]
        return []

    def printed_content(self, **options) -> dict:
        """Everything 第5号様式 prints (and the linkage's line, measures and checklist)."""

        def month(value) -> str | None:
            return value.isoformat() if value else None

        def council(consultation) -> dict | None:
            if consultation is None:
                return None
            return {"label": str(consultation), "printed": consultation.printed_reference}

        section = self.business.section
        return {
            "number": self.business.number,
            "section": f"{section.department} {section.name}",
            "section_name": section.name,
            "business_name": self.business.name,
            "purpose": self.purpose,
            "linked_on": month(self.linked_on),
            "linked_consultation": council(self.linked_consultation),
            "changed_on": month(self.changed_on),
            "change_consultation": council(self.change_consultation),
            "partner": {"name": self.partner.name, "address": self.partner.address},
            "partner_role": self.partner_role,
            "line": self.get_line_display(),
            "provided_items": [item.name for item in self.provided_items],
            "received_items": [item.name for item in self.received_items],
            "ward_measures": self.ward_measures,
            "partner_measures": self.partner_measures,
            "checklist": [
                [m.measure.list_name, m.measure.order, m.measure.text, m.get_answer_display()]
                for m in self.measures.all()
            ],
            "manager": self.manager,
            "subject": self.subject,
            "data_subjects": self.data_subjects,
            "partner_description": self.partner_description,
            "connection": self.connection,
            "period": self.period,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
        }

    def form_values(self) -> list[tuple[str, str]]:
        """The form's items as text, label by label, for comparing two versions: an
        approved version as it was approved, a draft from live data."""
        content = self.shown_content()

        def month(value: str | None) -> str:
            return wareki.format_month(dt.date.fromisoformat(value)) if value else ""

        def council(consultation: dict | None) -> str:
            return consultation["label"] if consultation else ""

        partner = content["partner"]
        return [
            ("業務", f"{content['number']} {content['business_name']}"),
            ("電算結合の目的", content["purpose"]),
            ("結合年月日", month(content["linked_on"])),
            ("結合の審議会", council(content["linked_consultation"])),
            ("結合変更年月日", month(content["changed_on"])),
            ("結合変更の審議会", council(content["change_consultation"])),
            ("電算結合の相手方", f"{partner['address']} {partner['name']}"),
            ("相手方の役割", content["partner_role"]),
            ("回線", content["line"]),
            ("提供する管理個人情報", "、".join(content["provided_items"])),
            ("提供を受ける個人情報", "、".join(content["received_items"])),
            ("区が講じる保護措置", content["ward_measures"]),
            ("結合先が講じる保護措置", content["partner_measures"]),
            ("個人情報保護管理責任者", content["manager"]),
            # Approved before these existed, a version has none of them: blank.
            ("件名", content.get("subject", "")),
            ("結合される情報項目の対象者", content.get("data_subjects", "")),
            ("結合の相手方の説明", content.get("partner_description", "")),
            ("結合の形態", content.get("connection", "")),
            ("結合の開始時期と期間", content.get("period", "")),
            ("効力発生日", wareki.format_date(self.effective_from) if self.effective_from else ""),
        ]

    def agenda_annex(self, content: dict) -> dict:
        return annex_context(content)

    def agenda_data_items(self, content: dict) -> list[str]:
        return content["provided_items"] + content["received_items"]

    def agenda_checklists(self, content: dict) -> list[dict]:
        return annex_context(content)["checklists"]

    def child_changes(self):
        """Item and checklist changes, for the record's history."""
        yield from self._item_changes()
        yield from self._checklist_changes()

    def _checklist_changes(self):
        """Checklist answers given, changed or withdrawn, one entry per save. A save
        rewrites the answers it changes, so a row removed and added back with the same
        answer in one save is no change."""
        from reviews.workflow.history import EMPTY, Change

        grouped: dict[tuple, dict[int, dict[str, str]]] = {}
        for row in LinkageMeasure.history.filter(linkage_id=self.pk).select_related("history_user"):
            key = (row.history_date, row.history_user)
            side = "old" if row.history_type == "-" else "new"
            grouped.setdefault(key, {}).setdefault(row.measure_id, {})[side] = row.answer
        measures = ProtectionMeasure.objects.in_bulk(
            {measure_id for rows in grouped.values() for measure_id in rows}
        )
        labels = dict(LinkageMeasure.Answer.choices)
        for (at, user), rows in sorted(grouped.items(), key=lambda kv: kv[0][0]):
            changes = [
                Change(
                    f"チェックリスト {measures[measure_id]}",
                    labels.get(values.get("old"), EMPTY),
                    labels.get(values.get("new"), EMPTY),
                )
                for measure_id, values in rows.items()
                if values.get("old") != values.get("new")
            ]
            if changes:
                yield at, user, changes

    def _item_changes(self):
        """Item additions and removals. A save rewrites the lists, so an item removed and
        added back in the same save is no change (the services give one save's rows one
        time)."""
        from reviews.workflow.history import Change

        grouped: dict[tuple, dict[tuple[str, str], int]] = {}
        for row in LinkageItem.history.filter(linkage_id=self.pk).select_related("history_user"):
            key = (row.history_date, row.history_user)
            sign = {"+": 1, "-": -1}.get(row.history_type, 0)
            counts = grouped.setdefault(key, {})
            counts[(row.direction, row.name)] = counts.get((row.direction, row.name), 0) + sign
        labels = dict(LinkageItem.Direction.choices)
        for (at, user), counts in grouped.items():
            changes = [
                Change(labels[direction], "" if n > 0 else name, name if n > 0 else "")
                for (direction, name), n in counts.items()
                if n
            ]
            if changes:
                yield at, user, changes

    def _items(self, direction: str) -> list["LinkageItem"]:
        # Filter in Python so a prefetched `items` serves both lists without a query.
        return [item for item in self.items.all() if item.direction == direction]

    @property
    def provided_items(self) -> list["LinkageItem"]:
        return self._items(LinkageItem.Direction.PROVIDED)

    @property
    def received_items(self) -> list["LinkageItem"]:
        return self._items(LinkageItem.Direction.RECEIVED)

    def checklist_problems(self) -> list[str]:
        """Why the protection-measure checklists are not complete yet, in Japanese.

        A linkage may only be submitted for review once every active row of the four
        checklists (ward / partner x operational / technical) is answered ○ or ー, so the
        reviewer never has to guess whether a blank means "not needed" or "forgotten".
        An empty list means complete.
        """
        return checklist_problems(self, ProtectionMeasure, title="保護措置チェックリスト")


class LinkageItem(models.Model):
    """One personal-data item in 個人情報の記録項目, in the order the form lists it."""

    class Direction(models.TextChoices):
        PROVIDED = "provided", "提供する管理個人情報"
        RECEIVED = "received", "提供を受ける個人情報"

    linkage = models.ForeignKey(
        Linkage, verbose_name="電算結合記録票", on_delete=models.CASCADE, related_name="items"
    )
    direction = models.CharField("区分", max_length=10, choices=Direction.choices)
    position = models.PositiveSmallIntegerField("順序")
    name = models.CharField("項目", max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "個人情報の記録項目"
        ordering = ["direction", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["linkage", "direction", "position"], name="unique_linkage_item_position"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProtectionMeasure(ChecklistRow):
    """One row of the protection-measure checklist for a linkage (外部結合にかかる個人情報
    保護対策チェックリスト)."""

    # Numbers, so the lists sort in the form's order: the ward's before the partner's,
    # operational before technical.
    class Side(models.IntegerChoices):
        WARD = 1, "区が行う情報保護対策"
        PARTNER = 2, "結合先に行わせる情報保護対策"

    side = models.PositiveSmallIntegerField("区分", choices=Side.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "情報保護対策（チェックリスト項目）"
        ordering = ["side", "kind", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["side", "kind", "order"], name="unique_protection_measure_order"
            )
        ]


class LinkageMeasure(ChecklistAnswer):
    """A linkage's answer for one checklist row."""

    linkage = models.ForeignKey(
        Linkage, verbose_name="電算結合記録票", on_delete=models.CASCADE, related_name="measures"
    )
    measure = models.ForeignKey(
        ProtectionMeasure,
        verbose_name="情報保護対策",
        on_delete=models.PROTECT,
        related_name="answers",
    )
    # The answers are part of the record: their history shows who answered what.
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "情報保護対策チェックリスト"
        ordering = ["measure__side", "measure__kind", "measure__order"]
        constraints = [
            models.UniqueConstraint(fields=["linkage", "measure"], name="unique_linkage_measure")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.get_answer_display()}"
