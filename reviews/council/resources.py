"""Excel/CSV import and export of 事前一括承認基準, their 事例, and 諮問."""

import re

from exchange.resources import (
    Column,
    LookupListWidget,
    LookupWidget,
    NumberWidget,
    WarekiDateWidget,
    normalise_text,
)
from notation import wareki
from registry.resources import AuditedRegisterResource
from reviews.council import services
from reviews.council.models import CategoryExample, Consultation, PreApprovalCategory

_CATEGORY_NUMBER = re.compile(r"(?P<chapter>\d+)\s*[-‐‑‒–—―−－ーｰ]\s*(?P<number>\d+)")
_CONSULTATION = re.compile(r"^(?P<date>.+?)\s*諮問第\s*(?P<number>\d+)\s*号$")


def find_category(text: str) -> PreApprovalCategory:
    """「3-17」「３‐１７」「事前一括承認基準(３‐１７)」 all name chapter 3, category 17."""
    match = _CATEGORY_NUMBER.search(text)
    if not match:
        raise ValueError("事前一括承認基準は「章-類型」の形で入力してください（例: 3-17）。")
    try:
        return PreApprovalCategory.objects.get(
            chapter=int(match["chapter"]), number=int(match["number"])
        )
    except PreApprovalCategory.DoesNotExist:
        raise ValueError(f"事前一括承認基準「{text}」が登録されていません。") from None


def show_category(category: PreApprovalCategory) -> str:
    return f"{category.chapter}-{category.number}"


def find_consultation(text: str) -> Consultation:
    """「平成21年10月22日 諮問第23号」 as Form 2 prints a council reference."""
    match = _CONSULTATION.match(normalise_text(text))
    if not match:
        raise ValueError(f"「{text}」は諮問として読めません（例: 平成21年10月22日 諮問第23号）。")
    consulted_on = wareki.parse_date(match["date"])
    try:
        return Consultation.objects.get(consulted_on=consulted_on, number=int(match["number"]))
    except Consultation.DoesNotExist:
        raise ValueError(
            f"{wareki.format_date(consulted_on)} 諮問第{match['number']}号 は登録されていません。"
        ) from None


def consultation_widget() -> LookupWidget:
    return LookupWidget(find=find_consultation, show=str)


def consultation_list_widget() -> LookupListWidget:
    return LookupListWidget(find=find_consultation, show=str)


def category_list_widget() -> LookupListWidget:
    return LookupListWidget(find=find_category, show=show_category)


class PreApprovalCategoryResource(AuditedRegisterResource):
    chapter = Column("chapter", "章", NumberWidget())
    number = Column("number", "類型", NumberWidget())
    rule = Column("rule", "基準")

    natural_key = ("chapter", "number")
    required_columns = ("章", "類型")

    def save_rows(self, rows):
        services.category_save_many(actor=self.user, rows=rows)

    class Meta:
        model = PreApprovalCategory
        fields = ("chapter", "number", "rule")


class CategoryExampleResource(AuditedRegisterResource):
    category = Column(
        "category",
        "事前一括承認基準",
        LookupWidget(find=find_category, show=show_category),
    )
    text = Column("text", "事例")
    order = Column("order", "順序", NumberWidget(), default=0)
    added_on = Column("added_on", "追加日", WarekiDateWidget())
    added_by = Column("added_by", "追加した報告")

    natural_key = ("category", "text")
    required_columns = ("事前一括承認基準", "事例")
    skip_model_validation = ("category",)

    def save_rows(self, rows):
        services.example_save_many(actor=self.user, rows=rows)

    class Meta:
        model = CategoryExample
        fields = ("category", "text", "order", "added_on", "added_by")

    def get_queryset(self):
        return super().get_queryset().select_related("category")


class ConsultationResource(AuditedRegisterResource):
    consulted_on = Column("consulted_on", "諮問日", WarekiDateWidget())
    number = Column("number", "諮問番号", NumberWidget())
    subject = Column("subject", "件名")
    summary = Column("summary", "諮問の概要")

    natural_key = ("consulted_on", "number")
    required_columns = ("諮問日", "諮問番号")

    def save_rows(self, rows):
        # Past consultations keep the council's numbers from the file; new ones are
        # numbered after them (consultation_assign_number reads the highest in use).
        services.consultation_save_many(actor=self.user, rows=rows)

    class Meta:
        model = Consultation
        fields = ("consulted_on", "number", "subject", "summary")
