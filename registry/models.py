"""Shared vocabulary: sections (所管課), registered businesses (業務), external
organisations (相手方), and which section a user works in."""

import datetime as dt
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from notation import fullwidth
from registry.fields import WarekiDateField
from registry.validators import BusinessNumberValidator


class InForceQuerySet(models.QuerySet):
    def in_force(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(effective_from__lte=on).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=on)
        )

    def retired(self):
        return self.filter(effective_until__isnull=False)


class InForce(models.Model):
    """Records live across legal regimes (ward ordinance, then the national Act from
    令和5年4月), so each keeps the date it took effect and, once retired, when it ended."""

    effective_from = WarekiDateField("効力発生日")
    effective_until = WarekiDateField("廃止日", null=True, blank=True)

    objects = InForceQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if (
            self.effective_from
            and self.effective_until
            and self.effective_until < self.effective_from
        ):
            raise ValidationError(
                {"effective_until": "廃止日は効力発生日より後の日付にしてください。"}
            )

    @property
    def is_in_force(self) -> bool:
        today = timezone.localdate()
        return self.effective_from <= today and (
            self.effective_until is None or self.effective_until >= today
        )


class Section(models.Model):
    department = models.CharField("部", max_length=50)
    name = models.CharField("課", max_length=50)
    manager_title = models.CharField(
        "個人情報保護管理責任者",
        max_length=50,
        help_text="通常は課長の職名（例: 収納課長）。記録票の既定値になります。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "所管課"
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="unique_section_name")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.name}"


class BusinessQuerySet(models.QuerySet):
    def get_by_natural_key(self, number: str):
        return self.get(number=number)


class Business(models.Model):
    number = models.CharField(
        "業務登録番号", max_length=20, unique=True, validators=[BusinessNumberValidator()]
    )
    name = models.CharField("業務の名称", max_length=200)
    section = models.ForeignKey(
        Section, verbose_name="所管課", on_delete=models.PROTECT, related_name="businesses"
    )

    objects = BusinessQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "業務"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def natural_key(self) -> tuple[str]:
        return (self.number,)

    @property
    def printed_number(self) -> str:
        return fullwidth.business_number(self.number)


# Legal-form words two spellings of one company differ by: 株式会社ＡＢＣ, （株）ABC, ABC株式会社.
_LEGAL_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|一般社団法人|一般財団法人|\(株\)|\(有\)|㈱|㈲"
)


def organization_name_key(name: str) -> str:
    """A name reduced to what tells organisations apart: width, case, blanks and the
    legal form do not."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = _LEGAL_FORMS.sub("", text)
    return re.sub(r"[\s・.,、。\-]", "", text)


class OrganizationQuerySet(models.QuerySet):
    def similar_to(self, name: str) -> list["Organization"]:
        """Organisations whose name is the same once width, blanks and the legal form
        are set aside, or contains the other: probably the same contractor."""
        key = organization_name_key(name)
        if not key:
            return []
        return [
            organization
            for organization in self
            if (other := organization_name_key(organization.name))
            and (
                other == key or (min(len(key), len(other)) >= 3 and (key in other or other in key))
            )
        ]


class Organization(models.Model):
    name = models.CharField("名称", max_length=200)
    address = models.CharField("住所", max_length=200, blank=True)
    is_terms_of_service = models.BooleanField(
        "約款による外部サービス",
        default=False,
        help_text="利用約款への同意だけで使う外部サービス（例: LINE Pay）。区民の個人情報を渡せません。",
    )
    note = models.TextField("備考", blank=True)

    objects = OrganizationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "相手方"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "address"], name="unique_organization")
        ]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """The section a user works for: section staff see and edit their own section only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="ユーザー",
        on_delete=models.CASCADE,
        related_name="staff_member",
    )
    section = models.ForeignKey(
        Section, verbose_name="所管課", on_delete=models.PROTECT, related_name="staff"
    )

    # Who belongs to which section decides whose records a user sees and edits.
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "職員の所属"

    def __str__(self) -> str:
        return f"{self.user} ({self.section})"


class CheckboxOption(models.Model):
    """One label of a fixed checkbox list on a form. Every label prints, ticked or not,
    in `order`; the lists ship in data migrations."""

    code = models.SlugField("コード", primary_key=True, max_length=40)
    label = models.CharField("表示名", max_length=100)
    order = models.PositiveSmallIntegerField("順序")

    class Meta:
        abstract = True
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label


class ChangeStamp(models.Model):
    """One row per committed change of an audited record (registry.changes): the newest
    id is the stamp that cached pages are keyed on. Old rows are pruned by housekeeping."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = "変更の通し番号"
        verbose_name_plural = "変更の通し番号"

    def __str__(self) -> str:
        return str(self.id)
