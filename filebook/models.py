"""個人情報ファイル簿 (Act on the Protection of Personal Information, art. 74–75): one
entry per personal-information file a section holds, reviewed through the same workflow
as Form 2 / Form 5 and published as the ward publishes its 帳簿."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from notation import fullwidth, wareki
from registry.models import Business
from reviews.models import Consultation, PreApprovalCategory, ReviewedQuerySet, ReviewedRecord

# What the 帳簿 lists for each file, in the order wards publish it (and the issue lists
# it): printed_content() key, label. The public page, the PDF, the Excel/CSV columns
# and the comparison of versions all read this one list.
ITEMS: tuple[tuple[str, str], ...] = (
    ("name", "個人情報ファイルの名称"),
    ("agency_name", "行政機関等の名称"),
    ("organization_name", "利用に供される事務をつかさどる組織の名称"),
    ("purpose", "利用目的"),
    ("record_items", "記録項目"),
    ("record_scope", "記録範囲"),
    ("collection_method", "記録情報の収集方法"),
    ("sensitive", "要配慮個人情報が含まれるときはその旨"),
    ("regular_recipients", "記録情報の経常的提供先"),
    ("disclosure_office", "開示請求等を受理する組織の名称及び所在地"),
    ("special_procedures", "訂正及び利用停止に関する他の法令の規定による特別の手続等"),
    ("file_kind", "個人情報ファイルの種別"),
    ("anonymization", "行政機関等匿名加工情報の提案の募集をする個人情報ファイルである旨"),
    ("subject_count", "本人の数"),
    ("number", "業務登録番号"),
    ("effective_from", "効力発生日"),
    ("effective_until", "廃止日"),
)
# Shown for an item left empty (a file with no regular recipient, no special procedure):
# JIS X 0208's minus (U+2212), which exports keep as it is, not Windows' look-alike (U+FF0D).
NONE = "\u2212"


def lines(text: str) -> list[str]:
    """A one-per-line field as its entries, without blanks or surrounding spaces."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def item_texts(content: dict, printed: bool = False) -> list[tuple[str, str]]:
    """Each item of the 帳簿 as published text, from a file's printed content; `printed`
    writes the number and the dates full-width, as the official documents print them."""

    def date(value: str | None) -> str:
        return wareki.format_date(dt.date.fromisoformat(value), fullwidth=printed) if value else ""

    values = {
        **{key: content.get(key) or "" for key, _ in ITEMS},
        "record_items": "、".join(content["record_items"]),
        "sensitive": "含む" if content["sensitive"] else "含まない",
        "regular_recipients": "、".join(content["regular_recipients"]),
        "anonymization": "該当" if content["anonymization"] else "非該当",
        "effective_from": date(content.get("effective_from")),
        "effective_until": date(content.get("effective_until")),
    }
    if printed:
        values["number"] = fullwidth.business_number(content["number"])
    return [(label, values[key] or (NONE if key in OPTIONAL_ITEMS else "")) for key, label in ITEMS]


# Items a file may leave empty (shown as NONE); every other one is needed before submission.
OPTIONAL_ITEMS = frozenset({"regular_recipients", "special_procedures", "effective_until"})


class PersonalInfoFileQuerySet(ReviewedQuerySet):
    def for_business(self, number: str):
        return self.filter(business__number=number)

    def with_form_data(self):
        return self.select_related("business__section")

    def published(self, *, small_files: bool, on: dt.date | None = None):
        """The approved files in force that the 帳簿 lists: files of 1,000 people or more
        (the Act), and smaller ones too where the ward's ordinance publishes them."""
        files = self.in_force(on)
        if not small_files:
            files = files.filter(subject_count=PersonalInfoFile.SubjectCount.LARGE)
        return files.with_form_data().order_by("business__number", "pk")


class PersonalInfoFile(ReviewedRecord):
    class FileKind(models.TextChoices):
        COMPUTER = "computer", "電算処理ファイル"
        MANUAL = "manual", "マニュアル処理ファイル"

    class SubjectCount(models.TextChoices):
        LARGE = "1000_or_more", "1,000人以上"
        SMALL = "under_1000", "1,000人未満"

    # Approved on the privacy office's review: the Act consults no council (art. 129
    # only for a special need), so there is no category or answer to cite.
    council_basis = False
    print_noun = "ファイル"

    business = models.ForeignKey(
        Business, verbose_name="業務", on_delete=models.PROTECT, related_name="personal_info_files"
    )
    name = models.CharField("個人情報ファイルの名称", max_length=200)
    agency_name = models.CharField("行政機関等の名称", max_length=100)
    organization_name = models.CharField("利用に供される事務をつかさどる組織の名称", max_length=200)
    purpose = models.TextField("利用目的", blank=True)
    record_items = models.TextField("記録項目", blank=True, help_text="1行に1項目")
    record_scope = models.TextField("記録範囲", blank=True)
    collection_method = models.TextField("記録情報の収集方法", blank=True)
    sensitive = models.BooleanField("要配慮個人情報が含まれるときはその旨", default=False)
    regular_recipients = models.TextField(
        "記録情報の経常的提供先", blank=True, help_text="1行に1提供先。ない場合は空欄"
    )
    disclosure_office = models.TextField("開示請求等を受理する組織の名称及び所在地", blank=True)
    special_procedures = models.TextField(
        "訂正及び利用停止に関する他の法令の規定による特別の手続等",
        blank=True,
        help_text="ない場合は空欄",
    )
    file_kind = models.CharField(
        "個人情報ファイルの種別", max_length=10, choices=FileKind.choices, blank=True
    )
    anonymization = models.BooleanField(
        "行政機関等匿名加工情報の提案の募集をする個人情報ファイルである旨", default=False
    )
    subject_count = models.CharField(
        "本人の数", max_length=20, choices=SubjectCount.choices, blank=True
    )
    built_from_register = models.BooleanField(
        "登録簿の記録から作成",
        default=False,
        help_text="第2号様式・第5号様式・データの流れから提案された内容で作成（出典文書はありません）",
    )

    objects = PersonalInfoFileQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "個人情報ファイル"
        ordering = ["business__number", "pk"]

    def __str__(self) -> str:
        return f"{self.business.number} {self.name}"

    # A correction fixes a mistake in what was approved; the business and the dates that
    # decide which version is in force change only through an amendment.
    correctable_fields = (
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
    )

    @property
    def record_item_names(self) -> list[str]:
        return lines(self.record_items)

    @property
    def recipient_names(self) -> list[str]:
        return lines(self.regular_recipients)

    def cited_consultation_ids(self) -> set[int]:
        return set()

    def cite_basis(
        self, *, category: PreApprovalCategory | None, consultation: Consultation | None
    ) -> None:
        if category is not None or consultation is not None:
            raise ValidationError(
                "個人情報ファイルは審議会の承認の根拠を記載しません（審査担当の審査で承認します）。"
            )

    def basis_problems(self) -> list[str]:
        if self.approval_category_id or self.approval_answer_id or self.approval_consultation_id:
            return ["個人情報ファイルに承認の根拠（類型・答申）は付けられません。"]
        return []

    def submit_problems(self) -> list[str]:
        """Every item the Act requires, except those a file may lack (no regular
        recipient, no special procedure), must be filled in before review."""
        labels = dict(ITEMS)
        required = {
            "purpose": self.purpose.strip(),
            "record_items": self.record_item_names,
            "record_scope": self.record_scope.strip(),
            "collection_method": self.collection_method.strip(),
            "disclosure_office": self.disclosure_office.strip(),
            "file_kind": self.file_kind,
            "subject_count": self.subject_count,
        }
        return [f"「{labels[key]}」が未記入です。" for key, value in required.items() if not value]

    def printed_content(self, **options) -> dict:
        """Every item of the 帳簿, as approved (lists as lists, choices as labels)."""
        section = self.business.section
        return {
            "number": self.business.number,
            "business_name": self.business.name,
            "section": f"{section.department} {section.name}",
            "name": self.name,
            "agency_name": self.agency_name,
            "organization_name": self.organization_name,
            "purpose": self.purpose,
            "record_items": self.record_item_names,
            "record_scope": self.record_scope,
            "collection_method": self.collection_method,
            "sensitive": self.sensitive,
            "regular_recipients": self.recipient_names,
            "disclosure_office": self.disclosure_office,
            "special_procedures": self.special_procedures,
            "file_kind": self.get_file_kind_display(),
            "anonymization": self.anonymization,
            "subject_count": self.get_subject_count_display(),
            "built_from_register": self.built_from_register,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
        }

    def shown_items(self, printed: bool = False) -> list[tuple[str, str]]:
        """The 帳簿's items as this version shows them (approved or live), with the
        dates read from the record, which retirement and amendment move."""
        content = dict(self.shown_content())
        content["effective_until"] = (
            self.effective_until.isoformat() if self.effective_until else None
        )
        return item_texts(content, printed)

    def form_values(self) -> list[tuple[str, str]]:
        content = self.shown_content()
        return [
            ("業務", f"{content['number']} {content['business_name']}"),
            *[
                (label, text)
                for label, text in item_texts(content)
                if label not in ("業務登録番号", "廃止日")
            ],
        ]
