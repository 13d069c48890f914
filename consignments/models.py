"""外部委託記録票 (第2号様式（第6条関係）): one record per business and contractor type."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from notation import wareki
from registry.fields import WarekiDateField
from registry.models import Business, CheckboxOption, Organization
from reviews.models import Consultation, PreApprovalCategory, ReviewedQuerySet, ReviewedRecord
from reviews.workflow.models import register_order_index


class RecordKind(CheckboxOption):
    class Meta(CheckboxOption.Meta):
        verbose_name = verbose_name_plural = "預託する管理個人情報の記録の種別"


class Condition(CheckboxOption):
    class Meta(CheckboxOption.Meta):
        verbose_name = verbose_name_plural = "委託の条件"


class TransferForm(CheckboxOption):
    class Meta(CheckboxOption.Meta):
        verbose_name = verbose_name_plural = "預託する管理個人情報の授受の形態"


def council_references_of(consultations, categories) -> list[str]:
    """審議会事項 in print order: consultations by date, then pre-approval categories."""
    consultations = sorted(consultations, key=lambda c: (c.consulted_on, c.number))
    categories = sorted(categories, key=lambda c: (c.chapter, c.number))
    return [str(c) for c in consultations] + [str(c) for c in categories]


class ConsignmentQuerySet(ReviewedQuerySet):
    def for_section(self, section):
        return self.filter(business__section=section)

    def for_business(self, number: str):
        return self.filter(business__number=number)

    def with_council_references(self):
        """For lists with a 審議会事項 column: both lists read with the page into plain
        lists (council_references_of), not through a related manager per row."""
        return self.prefetch_related(
            models.Prefetch("consultations", to_attr="listed_consultations"),
            models.Prefetch("categories", to_attr="listed_categories"),
        )

    def with_form_data(self):
        """Everything a list or a printed form shows, in a fixed number of queries."""
        return self.select_related("business__section").prefetch_related(
            "contractors",
            "consultations",
            "categories",
            "record_kinds",
            "conditions",
            "transfer_forms",
        )


class Consignment(ReviewedRecord):
    class PeriodKind(models.TextChoices):
        FIXED = "fixed", "期間を定める（○年○月○日から○年○月○日まで）"
        ONGOING = "ongoing", "以降継続"

    business = models.ForeignKey(
        Business, verbose_name="業務", on_delete=models.PROTECT, related_name="consignments"
    )
    contractor_type = models.CharField("委託先業種", max_length=100)
    contractors = models.ManyToManyField(
        Organization, verbose_name="委託先", blank=True, related_name="consignments"
    )
    content = models.TextField("委託内容")
    period_kind = models.CharField(
        "委託期間の種類", max_length=10, choices=PeriodKind.choices, default=PeriodKind.ONGOING
    )
    period_start = WarekiDateField("委託期間（開始）", null=True, blank=True)
    period_end = WarekiDateField("委託期間（終了）", null=True, blank=True)
    consultations = models.ManyToManyField(
        Consultation, verbose_name="審議会事項（諮問）", blank=True, related_name="consignments"
    )
    categories = models.ManyToManyField(
        PreApprovalCategory,
        verbose_name="審議会事項（事前一括承認基準）",
        blank=True,
        related_name="consignments",
    )
    record_kinds = models.ManyToManyField(
        RecordKind, verbose_name="預託する管理個人情報の記録の種別", blank=True
    )
    record_kinds_other = models.CharField("記録の種別（その他）", max_length=200, blank=True)
    conditions = models.ManyToManyField(Condition, verbose_name="委託の条件", blank=True)
    conditions_other = models.CharField("委託の条件（その他）", max_length=200, blank=True)
    transfer_forms = models.ManyToManyField(
        TransferForm, verbose_name="預託する管理個人情報の授受の形態", blank=True
    )
    transfer_forms_other = models.CharField("授受の形態（その他）", max_length=200, blank=True)
    manager = models.CharField("個人情報保護管理責任者", max_length=50)

    objects = ConsignmentQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[
            contractors,
            consultations,
            categories,
            record_kinds,
            conditions,
            transfer_forms,
        ]
    )

    class Meta:
        verbose_name = verbose_name_plural = "外部委託記録票"
        ordering = ["business__number", "pk"]
        indexes = [register_order_index("consignment_register_order")]

    def __str__(self) -> str:
        return f"{self.business.number} {self.contractor_type}"

    def clean(self) -> None:
        super().clean()
        if self.period_kind == self.PeriodKind.FIXED:
            errors = {}
            if not self.period_start:
                errors["period_start"] = "期間を定める場合は開始日を入力してください。"
            if not self.period_end:
                errors["period_end"] = "期間を定める場合は終了日を入力してください。"
            if errors:
                raise ValidationError(errors)
            if self.period_end < self.period_start:
                raise ValidationError(
                    {"period_end": "委託期間の終了日は開始日以降の日付にしてください。"}
                )
        elif self.period_kind == self.PeriodKind.ONGOING:
            if not self.period_start:
                raise ValidationError(
                    {"period_start": "「以降継続」の場合は開始日を入力してください。"}
                )
            if self.period_end:
                raise ValidationError(
                    {"period_end": "「以降継続」の場合は終了日を入力しないでください。"}
                )

    # A correction fixes a mistake in what was approved; the business and the dates that
    # decide which version is in force change only through an amendment.
    correctable_fields = (
        "contractor_type",
        "contractors",
        "content",
        "consultations",
        "categories",
        "record_kinds",
        "record_kinds_other",
        "conditions",
        "conditions_other",
        "transfer_forms",
        "transfer_forms_other",
        "manager",
    )

    def cited_consultation_ids(self) -> set[int]:
        return {consultation.pk for consultation in self.consultations.all()}

    def cited_category_ids(self) -> set[int]:
        return {category.pk for category in self.categories.all()}

    def cite_basis(
        self, *, category: PreApprovalCategory | None, consultation: Consultation | None
    ) -> None:
        """審議会事項 and the approval basis must agree: approving under a category or a
        consultation makes the record cite it when it cites none of that kind."""
        for basis, cited, kind in (
            (category, self.categories, "事前一括承認基準"),
            (consultation, self.consultations, "諮問"),
        ):
            if basis is None:
                continue
            current = list(cited.all())
            if not current:
                cited.add(basis)
            elif basis not in current:
                raise ValidationError(
                    f"この記録票の審議会事項（{kind}）は「{'、'.join(map(str, current))}」ですが、"
                    f"承認の根拠に「{basis}」が選ばれています。審議会事項と同じ根拠を選ぶか、"
                    "記録票を差し戻して審議会事項を直してください。"
                )

    def basis_problems(self) -> list[str]:
        problems = []
        if self.approval_category_id:
            current = list(self.categories.all())
            if self.approval_category not in current:
                problems.append(
                    f"承認の根拠「{self.approval_category}」が審議会事項"
                    f"（{'、'.join(map(str, current)) or 'なし'}）にありません。"
                )
        if self.approval_consultation_id:
            current = list(self.consultations.all())
            if self.approval_consultation not in current:
                problems.append(
                    f"承認の根拠「{self.approval_consultation}」が審議会事項"
                    f"（{'、'.join(map(str, current)) or 'なし'}）にありません。"
                )
        return problems

    @staticmethod
    def vocabularies(records=None) -> dict[str, list] | None:
        """The three checkbox lists, read once for a batch of printed_content() calls; None
        when every one of `records` shows its approved content and needs none."""
        if records is not None and all(
            r.shows_approved_content and r.approved_content is not None for r in records
        ):
            return None
        return {
            "record_kinds": list(RecordKind.objects.all()),
            "conditions": list(Condition.objects.all()),
            "transfer_forms": list(TransferForm.objects.all()),
        }

    def printed_content(self, vocabularies: dict[str, list] | None = None) -> dict:
        """Everything 第2号様式 prints, as approved: the checkbox lists with every label
        of the vocabulary at the time, ticked or not."""
        vocabularies = vocabularies or self.vocabularies()

        def boxes(options, chosen) -> list[list]:
            chosen_pks = {option.pk for option in chosen}
            return [[option.label, option.pk in chosen_pks] for option in options]

        section = self.business.section
        consultations = sorted(self.consultations.all(), key=lambda c: (c.consulted_on, c.number))
        categories = sorted(self.categories.all(), key=lambda c: (c.chapter, c.number))
        return {
            "number": self.business.number,
            "section": f"{section.department} {section.name}",
            "business_name": self.business.name,
            "contractor_type": self.contractor_type,
            "contractors": [{"name": c.name, "address": c.address} for c in self.contractors.all()],
            "content": self.content,
            "period_kind": self.period_kind,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "period_display": self.period_display,
            "consultations": [
                {"label": str(c), "printed": c.printed_reference} for c in consultations
            ],
            "categories": [str(c) for c in categories],
            "record_kinds": boxes(vocabularies["record_kinds"], self.record_kinds.all()),
            "record_kinds_other": self.record_kinds_other,
            "conditions": boxes(vocabularies["conditions"], self.conditions.all()),
            "conditions_other": self.conditions_other,
            "transfer_forms": boxes(vocabularies["transfer_forms"], self.transfer_forms.all()),
            "transfer_forms_other": self.transfer_forms_other,
            "manager": self.manager,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
        }

    def submit_problems(self) -> list[str]:
        # Form 2 has no rule beyond its fields' own (full_clean at submission).
        return []

    @property
    def period_display(self) -> str:
        """委託期間 as one line: 平成31年4月1日以降継続, or …から…まで."""
        if not self.period_start:
            return ""
        start = wareki.format_date(self.period_start)
        if self.period_kind == self.PeriodKind.ONGOING:
            return f"{start}以降継続"
        end = wareki.format_date(self.period_end) if self.period_end else ""
        return f"{start}から{end}まで"

    @property
    def council_references(self) -> list[str]:
        """審議会事項 in print order: consultations by date, then pre-approval categories."""
        return council_references_of(self.consultations.all(), self.categories.all())

    def form_values(self) -> list[tuple[str, str]]:
        """The form's items as text, label by label, for comparing two versions: an
        approved version as it was approved, a draft from live data."""
        content = self.shown_content()

        def ticked(name: str) -> str:
            labels = [label for label, checked in content[name] if checked]
            if content[f"{name}_other"]:
                labels.append(f"その他（{content[f'{name}_other']}）")
            return "、".join(labels)

        references = [c["label"] for c in content["consultations"]] + content["categories"]
        return [
            ("業務", f"{content['number']} {content['business_name']}"),
            ("委託先業種", content["contractor_type"]),
            ("委託先", "、".join(c["name"] for c in content["contractors"])),
            ("委託内容", content["content"]),
            ("委託期間", content["period_display"]),
            ("審議会事項", "、".join(references)),
            ("記録の種別", ticked("record_kinds")),
            ("委託の条件", ticked("conditions")),
            ("授受の形態", ticked("transfer_forms")),
            ("個人情報保護管理責任者", content["manager"]),
            ("効力発生日", wareki.format_date(self.effective_from) if self.effective_from else ""),
        ]
