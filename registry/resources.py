"""Excel/CSV import and export of the shared registers (所管課, 業務, 相手方), the cells
other registers name them by, and the base resources of registers whose rows belong to
a section or whose writes are audited. The column types and the base resource are the
spreadsheet exchange's (exchange.resources)."""

import re
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from exchange.resources import (
    Column,
    LookupListWidget,
    LookupWidget,
    RegisterResource,
    TextWidget,
    TickWidget,
    normalise_text,
)
from registry.access import may_change_register, visible_sections
from registry.changes import change_stamp_bump
from registry.models import Business, Organization, Section, StaffMember

_DASHES = re.compile(r"[‐‑‒–—―−－ーｰ]")


def normalise_business_number(value: Any) -> str:
    """０４０４―０１ / 0404ー01 -> 0404-01, as other wards' registers write it."""
    return _DASHES.sub("-", normalise_text(value)).replace(" ", "")


class BusinessNumberWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_business_number(value)


class SectionRegisterResource(RegisterResource):
    """A register whose rows belong to a section through their 業務 (Form 2, Form 5):
    section staff import only their own section's rows and export its records."""

    def __init__(self, *, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.own_section = own_section(user)

    def check_row_rights(self, instance, errors: dict) -> None:
        super().check_row_rights(instance, errors)
        business = getattr(instance, "business", None) if self.own_section else None
        if business is not None and business.section_id != self.own_section.pk:
            errors.setdefault("業務登録番号", []).append(
                f"{self._excel_row}行目 業務「{business.number}」は{business.section}の業務です。"
                f"取り込めるのは自課（{self.own_section}）の記録だけです。"
            )

    def export_queryset_for(self, user):
        """As far as the user sees the register (section staff their own section)."""
        return visible_sections(self.get_queryset(), user, "business__section_id")


# --- lookups shared by several registers ---------------------------------------------


def own_section(user) -> Section | None:
    """The section a section-staff user is limited to; None for everyone else."""
    from registry.roles import SECTION_STAFF

    if user is None or user.is_superuser or not user.groups.filter(name=SECTION_STAFF).exists():
        return None
    staff = StaffMember.objects.filter(user=user).select_related("section").first()
    # Section staff without a section may import nothing of a section's records.
    return staff.section if staff else Section(pk=0, department="", name="（所属なし）")


def find_business(number: str) -> Business:
    try:
        return Business.objects.select_related("section").get(number=number)
    except Business.DoesNotExist:
        raise ValueError(
            f"業務登録番号「{number}」の業務が登録されていません。先に業務を登録してください。"
        ) from None


def business_widget() -> LookupWidget:
    return LookupWidget(
        find=find_business, show=lambda b: b.number, normalise=normalise_business_number
    )


def find_section(text: str) -> Section:
    # The section is the last word; a department may hold spaces (新宿区 総務部).
    parts = text.replace("　", " ").split()
    if len(parts) < 2:
        raise ValueError("所管課は「部 課」の形で入力してください（例: 区民部 収納課）。")
    try:
        return Section.objects.get(department=" ".join(parts[:-1]), name=parts[-1])
    except Section.DoesNotExist:
        raise ValueError(f"所管課「{text}」が登録されていません。") from None


def find_organization(text: str) -> Organization:
    """An organisation by its name, or by 「名称（住所）」 when two share a name."""
    if match := re.fullmatch(r"(?P<name>.+?)[（(](?P<address>[^（(]*)[）)]", text):
        found = list(
            Organization.objects.filter(
                name=match["name"].strip(), address=match["address"].strip()
            )
        )
    else:
        found = list(Organization.objects.filter(name=text))
    if not found:
        raise ValueError(f"相手方「{text}」が登録されていません。先に相手方を登録してください。")
    if len(found) > 1:
        raise ValueError(
            f"相手方「{text}」は複数あります。「名称（住所）」の形で入力してください。"
        )
    return found[0]


def organization_widget() -> LookupListWidget:
    return LookupListWidget(find=find_organization, show=lambda o: o.name)


# --- audited registers -------------------------------------------------------------------


class AuditedRegisterResource(RegisterResource):
    """A register whose records change only through services that check who may change
    them and record it. Its import is the bulk variant of those services: refused unless
    the importing user may change the register, and every row it creates or changes
    writes a history row naming that user."""

    def may_import(self, user) -> bool:
        raise NotImplementedError

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Only rows that would create or change a record get here: an unchanged file
        # imports back as "nothing changed" for anyone, even from the command line.
        if self.user is None or not self.may_import(self.user):
            who = "取り込む職員が分からない" if self.user is None else "取り込む権限がない"
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        f"{self._excel_row}行目 {who}ため、"
                        f"{self._meta.model._meta.verbose_name}を登録・変更できません。"
                        "登録・変更の権限を持つ職員が管理画面から取り込んでください。"
                    ]
                }
            )
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def after_bulk_create(self, instances: list, rows_by_model: dict, *, batch_size=None) -> None:
        super().after_bulk_create(instances, rows_by_model, batch_size=batch_size)
        self._meta.model.history.bulk_history_create(
            instances, batch_size=batch_size, default_user=self.user
        )
        change_stamp_bump()  # bulk history rows send no signal

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances = list(self.update_instances)
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)
        if instances and (using_transactions or not dry_run):
            self._meta.model.history.bulk_history_create(
                instances, batch_size=batch_size, update=True, default_user=self.user
            )
            change_stamp_bump()


# --- the shared registers --------------------------------------------------------------


class SectionResource(AuditedRegisterResource):
    department = Column("department", "部")
    name = Column("name", "課")
    manager_title = Column("manager_title", "個人情報保護管理責任者")

    natural_key = ("department", "name")
    required_columns = ("部", "課")

    def may_import(self, user) -> bool:
        return may_change_register(user, "section")

    class Meta:
        model = Section
        fields = ("department", "name", "manager_title")


class BusinessResource(AuditedRegisterResource):
    number = Column("number", "業務登録番号", widget=BusinessNumberWidget())
    name = Column("name", "業務の名称")
    section = Column(
        "section",
        "所管課",
        widget=LookupWidget(find=find_section, show=str),
    )

    natural_key = ("number",)
    required_columns = ("業務登録番号",)
    skip_model_validation = ("section",)

    def may_import(self, user) -> bool:
        return may_change_register(user, "business")

    class Meta:
        model = Business
        fields = ("number", "name", "section")

    def get_queryset(self):
        return super().get_queryset().select_related("section")


class OrganizationResource(AuditedRegisterResource):
    name = Column("name", "名称")
    address = Column("address", "住所")
    is_terms_of_service = Column("is_terms_of_service", "約款による外部サービス", TickWidget())
    note = Column("note", "備考")

    natural_key = ("name", "address")
    required_columns = ("名称",)

    def may_import(self, user) -> bool:
        return may_change_register(user, "organization")

    class Meta:
        model = Organization
        fields = ("name", "address", "is_terms_of_service", "note")
