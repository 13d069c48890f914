"""Excel/CSV import and export of 個人情報ファイル (個人情報ファイル簿の記載事項).

One row per file, identified by its 記録番号 or by 業務登録番号 + 個人情報ファイルの名称;
the items are the Act's (article 75), one column each; lists (記録項目, 経常的提供先)
are one cell, an entry per line, as on the staff pages.
"""

from exchange.resources import Column, TextWidget, TickWidget, WarekiDateWidget, normalise_text
from filebook.models import PersonalInfoFile
from registry.resources import business_widget
from reviews.workflow.resources import ReviewedRecordResource


class ChoiceWidget(TextWidget):
    """A choice as its label (電算処理ファイル); the stored value is read as well."""

    def __init__(self, choices):
        super().__init__()
        self.labels = dict(choices)
        self.values = {normalise_text(label): value for value, label in choices}
        self.values.update({value: value for value in self.labels})

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value)
        if not text:
            return ""
        if text not in self.values:
            raise ValueError("次のいずれかで入力してください: " + "・".join(self.labels.values()))
        return self.values[text]

    def render(self, value, obj=None, **kwargs) -> str:
        return self.labels.get(value, "")


class PersonalInfoFileResource(ReviewedRecordResource):
    business = Column("business", "業務登録番号", business_widget())
    business_name = Column("business__name", "業務の名称", readonly=True)
    name = Column("name", "個人情報ファイルの名称")
    agency_name = Column("agency_name", "行政機関等の名称")
    organization_name = Column("organization_name", "利用に供される事務をつかさどる組織の名称")
    purpose = Column("purpose", "利用目的")
    record_items = Column("record_items", "記録項目")
    record_scope = Column("record_scope", "記録範囲")
    collection_method = Column("collection_method", "記録情報の収集方法")
    sensitive = Column("sensitive", "要配慮個人情報が含まれるときはその旨", TickWidget())
    regular_recipients = Column("regular_recipients", "記録情報の経常的提供先")
    disclosure_office = Column("disclosure_office", "開示請求等を受理する組織の名称及び所在地")
    special_procedures = Column(
        "special_procedures", "訂正及び利用停止に関する他の法令の規定による特別の手続等"
    )
    file_kind = Column(
        "file_kind", "個人情報ファイルの種別", ChoiceWidget(PersonalInfoFile.FileKind.choices)
    )
    anonymization = Column(
        "anonymization",
        "行政機関等匿名加工情報の提案の募集をする個人情報ファイルである旨",
        TickWidget(),
    )
    subject_count = Column(
        "subject_count", "本人の数", ChoiceWidget(PersonalInfoFile.SubjectCount.choices)
    )
    effective_from = Column("effective_from", "効力発生日", WarekiDateWidget())
    effective_until = Column("effective_until", "廃止日", WarekiDateWidget())

    natural_key = ("business", "name")
    required_columns = ("業務登録番号", "個人情報ファイルの名称")
    skip_model_validation = ("business",)

    class Meta:
        model = PersonalInfoFile
        # Explicit on purpose: a workflow status must never be written by an import.
        fields = (
            "record_number",
            "business",
            "business_name",
            "name",
            "agency_name",
            "organization_name",
            "purpose",
            "record_items",
            "record_scope",
            "collection_method",
            "sensitive",
            "regular_recipients",
            "disclosure_office",
            "special_procedures",
            "file_kind",
            "anonymization",
            "subject_count",
            "effective_from",
            "effective_until",
            "state",
        )

    def get_queryset(self):
        return super().get_queryset().select_related("business__section")
