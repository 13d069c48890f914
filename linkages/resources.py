"""Excel/CSV import and export of 電算結合記録票 (第5号様式).

One row per linkage, identified by 業務登録番号 + the partner's name and address. The
form's two item lists (〔提供する管理個人情報〕, 〔提供を受ける個人情報〕) are one cell each,
items in form order separated by 「、」 or line breaks.
"""

from django.core.exceptions import ValidationError

from exchange.resources import (
    LIST_SEPARATOR,
    Column,
    TextWidget,
    WarekiDateWidget,
    normalise_text,
    split_list,
    stored_text,
)
from linkages.models import Linkage, LinkageItem
from registry.models import Organization
from registry.resources import business_widget
from reviews.council.resources import consultation_widget
from reviews.workflow.resources import ReviewedRecordResource

_LINES_BY_LABEL = {normalise_text(label).upper(): value for value, label in Linkage.Line.choices}


class LineWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).upper()
        if not text:
            return ""
        if text in _LINES_BY_LABEL:
            return _LINES_BY_LABEL[text]
        labels = "・".join(label for _, label in Linkage.Line.choices)
        raise ValueError(f"回線は次のいずれかで入力してください: {labels}")

    def render(self, value, obj=None, **kwargs):
        return dict(Linkage.Line.choices).get(value, "")


class ItemListColumn(Column):
    """The ordered items of one direction, as one cell."""

    def __init__(self, direction: str, column_name: str):
        super().__init__(f"items:{direction}", column_name)
        self.direction = direction

    def clean(self, row, **kwargs) -> list[str]:
        names = split_list(row.get(self.column_name))
        too_long = [name for name in names if len(name) > 100]
        if too_long:
            raise ValueError(
                f"「{self.column_name}」の項目「{too_long[0][:20]}…」が長すぎます（100文字まで）。"
            )
        return names

    def save(self, instance, row, is_m2m=False, **kwargs):
        self.pending(instance)[self.attribute] = self.clean(row, **kwargs)

    def get_value(self, instance) -> list[str]:
        pending = instance.__dict__.get("_import_pending", {})
        if self.attribute in pending:
            return pending[self.attribute]
        if instance.pk is None:
            return []
        return [item.name for item in instance._items(self.direction)]

    def export(self, instance, **kwargs) -> str:
        return LIST_SEPARATOR.join(self.get_value(instance))


class LinkageResource(ReviewedRecordResource):
    business = Column("business", "業務登録番号", business_widget())
    section_name = Column("business__section", "所管課名", readonly=True)
    business_name = Column("business__name", "業務の名称", readonly=True)
    purpose = Column("purpose", "電算結合の目的")
    linked_on = Column("linked_on", "結合年月日", WarekiDateWidget(month_only=True))
    linked_consultation = Column(
        "linked_consultation", "結合の審議会（諮問）", consultation_widget()
    )
    changed_on = Column("changed_on", "結合変更年月日", WarekiDateWidget(month_only=True))
    change_consultation = Column(
        "change_consultation", "結合変更の審議会（諮問）", consultation_widget()
    )
    partner_name = Column("partner__name", "電算結合の相手方（名称）", readonly=True)
    partner_address = Column("partner__address", "電算結合の相手方（住所）", readonly=True)
    partner_role = Column("partner_role", "相手方の役割")
    provided_items = ItemListColumn(LinkageItem.Direction.PROVIDED, "提供する管理個人情報")
    received_items = ItemListColumn(LinkageItem.Direction.RECEIVED, "提供を受ける個人情報")
    line = Column("line", "回線", LineWidget())
    ward_measures = Column("ward_measures", "区が講じる保護措置")
    partner_measures = Column("partner_measures", "結合先が講じる保護措置")
    manager = Column("manager", "個人情報保護管理責任者")
    effective_from = Column("effective_from", "効力発生日", WarekiDateWidget())
    effective_until = Column("effective_until", "廃止日", WarekiDateWidget())
    # What the 別紙 prints when an agenda item puts the linkage to the committee.
    subject = Column("subject", "件名（付議事項の別紙）")
    data_subjects = Column("data_subjects", "結合される情報項目の対象者")
    partner_description = Column("partner_description", "結合の相手方の説明")
    connection = Column("connection", "結合の形態")
    period = Column("period", "結合の開始時期と期間")

    natural_key = ("business", "partner")
    required_columns = ("業務登録番号", "電算結合の相手方（名称）")
    skip_model_validation = ("business", "partner", "linked_consultation", "change_consultation")

    class Meta:
        model = Linkage
        # Explicit on purpose: a workflow status must never be written by an import.
        fields = (
            "record_number",
            "business",
            "section_name",
            "business_name",
            "purpose",
            "linked_on",
            "linked_consultation",
            "changed_on",
            "change_consultation",
            "partner_name",
            "partner_address",
            "partner_role",
            "provided_items",
            "received_items",
            "line",
            "ward_measures",
            "partner_measures",
            "manager",
            "effective_from",
            "effective_until",
            "subject",
            "data_subjects",
            "partner_description",
            "connection",
            "period",
            "state",
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._partners: dict[tuple[str, str], Organization | None] = {}

    def get_queryset(self):
        return super().get_queryset().with_form_data()

    # The partner is named by two cells (名称, 住所), so it is looked up here rather
    # than by a single-cell widget.
    def natural_key_of(self, instance) -> tuple:
        return (instance.business, instance.partner)

    def natural_key_from_row(self, row) -> tuple:
        return (self.fields["business"].clean(row), self._partner_from_row(row))

    def _partner_from_row(self, row) -> Organization:
        # As stored (full-width letters kept), so an exported partner is found again.
        name = stored_text(row.get("電算結合の相手方（名称）"))
        address = stored_text(row.get("電算結合の相手方（住所）"))
        if not name:
            raise ValueError("「電算結合の相手方（名称）」を入力してください。")
        key = (name, address)
        if key not in self._partners:
            found = Organization.objects.filter(name=name)
            if "電算結合の相手方（住所）" in row:
                found = found.filter(address=address)
            found = list(found[:2])
            self._partners[key] = found[0] if len(found) == 1 else None
        partner = self._partners[key]
        if partner is None:
            raise ValueError(
                f"相手方「{name}」（住所「{address}」）が一つに決まりません。"
                "先に相手方を登録するか、住所を正しく入力してください。"
            )
        return partner

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list[str]] = {}
        try:
            instance.partner = self._partner_from_row(row)
        except ValueError as error:
            errors["電算結合の相手方（名称）"] = [f"{self._excel_row}行目 {error}"]
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    def record_entry(self, instance):
        entry = super().record_entry(instance)
        # Named by two cells rather than a column of its own (see import_instance).
        entry.data["partner"] = instance.partner
        return entry

    def children_of(self, instance) -> dict[str, list[dict]]:
        """The item lists the row sets; a list whose column the file leaves out keeps
        the record's items."""
        pending = instance.__dict__.get("_import_pending", {})
        directions = LinkageItem.Direction.values
        if not any(f"items:{direction}" in pending for direction in directions):
            return {}
        rows = []
        for direction in directions:
            if f"items:{direction}" in pending:
                names = pending[f"items:{direction}"]
            elif instance.pk is not None:
                names = [item.name for item in instance._items(direction)]
            else:
                names = []
            rows += [
                {"direction": direction, "position": position, "name": name}
                for position, name in enumerate(names, start=1)
            ]
        return {"items": rows}
