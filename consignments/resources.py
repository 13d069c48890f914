"""Excel/CSV import and export of 外部委託記録票 (第2号様式).

One row per record, identified by 業務登録番号 + 委託先業種. Each checkbox of the form is
its own column holding ■ or □ (○, ✓, 1 … are read as ticked), so the sheet reads like
the paper form; その他 is its own text column, ticked on the form when it has text.
"""

from consignments.models import Condition, Consignment, RecordKind, TransferForm
from exchange.resources import (
    Column,
    RelatedListColumn,
    TextWidget,
    WarekiDateWidget,
    checkbox_columns,
    normalise_text,
)
from registry.resources import business_widget, organization_widget
from reviews.council.resources import category_list_widget, consultation_list_widget
from reviews.workflow.resources import ReviewedRecordResource

_PERIOD_KINDS = {
    "以降継続": Consignment.PeriodKind.ONGOING,
    "継続": Consignment.PeriodKind.ONGOING,
    "ONGOING": Consignment.PeriodKind.ONGOING,
    "期間を定める": Consignment.PeriodKind.FIXED,
    "期間": Consignment.PeriodKind.FIXED,
    "FIXED": Consignment.PeriodKind.FIXED,
}
_PERIOD_LABELS = {
    Consignment.PeriodKind.ONGOING: "以降継続",
    Consignment.PeriodKind.FIXED: "期間を定める",
}


class PeriodKindWidget(TextWidget):
    """以降継続 / 期間を定める; left blank, a period with an end date is fixed."""

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).upper()
        if not text:
            ends = normalise_text((row or {}).get("委託期間（終了）"))
            return Consignment.PeriodKind.FIXED if ends else Consignment.PeriodKind.ONGOING
        if text not in _PERIOD_KINDS:
            raise ValueError("「以降継続」か「期間を定める」と入力してください。")
        return _PERIOD_KINDS[text]

    def render(self, value, obj=None, **kwargs):
        return _PERIOD_LABELS.get(value, "")


class ConsignmentResource(ReviewedRecordResource):
    business = Column("business", "業務登録番号", business_widget())
    # Shown for the reader, as on the form; an import takes them from the business.
    section_name = Column("business__section", "所管課名", readonly=True)
    business_name = Column("business__name", "業務の名称", readonly=True)
    contractor_type = Column("contractor_type", "委託先業種")
    contractors = RelatedListColumn("contractors", "委託先", organization_widget())
    content = Column("content", "委託内容")
    period_kind = Column("period_kind", "委託期間の種類", PeriodKindWidget())
    period_start = Column("period_start", "委託期間（開始）", WarekiDateWidget())
    period_end = Column("period_end", "委託期間（終了）", WarekiDateWidget())
    consultations = RelatedListColumn(
        "consultations", "審議会事項（諮問）", consultation_list_widget()
    )
    categories = RelatedListColumn(
        "categories", "審議会事項（事前一括承認基準）", category_list_widget()
    )
    record_kinds_other = Column("record_kinds_other", "記録の種別（その他）")
    conditions_other = Column("conditions_other", "委託の条件（その他）")
    transfer_forms_other = Column("transfer_forms_other", "授受の形態（その他）")
    manager = Column("manager", "個人情報保護管理責任者")
    effective_from = Column("effective_from", "効力発生日", WarekiDateWidget())
    effective_until = Column("effective_until", "廃止日", WarekiDateWidget())

    natural_key = ("business", "contractor_type")
    required_columns = ("業務登録番号", "委託先業種")
    skip_model_validation = ("business",)

    class Meta:
        model = Consignment
        # Explicit on purpose: a workflow status must never be written by an import.
        fields = (
            "record_number",
            "business",
            "section_name",
            "business_name",
            "contractor_type",
            "contractors",
            "content",
            "period_kind",
            "period_start",
            "period_end",
            "consultations",
            "categories",
            "record_kinds_other",
            "conditions_other",
            "transfer_forms_other",
            "manager",
            "effective_from",
            "effective_until",
            "state",
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.insert_columns(
            "categories",
            checkbox_columns("record_kinds", "記録の種別", RecordKind.objects.all()),
        )
        self.insert_columns(
            "record_kinds_other",
            checkbox_columns("conditions", "委託の条件", Condition.objects.all()),
        )
        self.insert_columns(
            "conditions_other",
            checkbox_columns("transfer_forms", "授受の形態", TransferForm.objects.all()),
        )

    def get_queryset(self):
        return super().get_queryset().with_form_data()
