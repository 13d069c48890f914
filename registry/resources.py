"""Excel/CSV import and export of the shared registers (所管課, 業務, 相手方), the cells
other registers name them by, and the base resources of registers whose rows belong to
a section or whose writes are audited. The column types and the base resource are the
spreadsheet exchange's (exchange.resources)."""

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count

from exchange.resources import (
    Column,
    LookupListWidget,
    LookupWidget,
    RegisterResource,
    TextWidget,
    TickWidget,
    normalise_text,
    stored_text,
)
from registry.access import visible_sections
from registry.models import Business, Organization, Section, StaffMember
from registry.services import register_save_many

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


class OrganizationLabel:
    """An organisation as a cell names it: its name, or 「名称（住所）」 when another
    organisation has the same name, so the cell finds it again (find_organization).
    The shared names are read once per resource (each resource deep-copies its
    widgets), not once per row of an export."""

    def __init__(self) -> None:
        self.shared_names: set[str] | None = None

    def __call__(self, organization: Organization) -> str:
        if self.shared_names is None:
            self.shared_names = set(
                Organization.objects.values("name")
                .annotate(count=Count("pk"))
                .filter(count__gt=1)
                .values_list("name", flat=True)
            )
        if organization.name in self.shared_names:
            return f"{organization.name}（{organization.address}）"
        return organization.name


def organization_widget() -> LookupListWidget:
    # Names as stored, not NFKC-folded: 株式会社ネリマＤＸソリューションズ keeps its ＤＸ.
    return LookupListWidget(find=find_organization, show=OrganizationLabel(), normalise=stored_text)


# --- audited registers -------------------------------------------------------------------


class AuditedRegisterResource(RegisterResource):
    """A register whose records change only through services that check who may change
    them and record it. Its import is one call of the bulk variant of those services
    (`save_rows`), once the whole file has been read: refused whole unless the
    importing user may change the register, and every row it creates or changes writes a
    history row naming that user. A file that changes nothing calls no service, so an
    exported register imports back as "nothing changed" for anyone."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._changes: list[tuple[Any, dict]] = []

    def save_rows(self, rows: list[tuple[Any, dict]]) -> None:
        """Hand the file's new and changed rows to the register's bulk service."""
        raise NotImplementedError

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        # The natural key names an existing record; a row never changes it.
        names = [
            f.attribute
            for f in self.fields.values()
            if not f.readonly and (is_create or f.attribute not in self.natural_key)
        ]
        data = {name: getattr(instance, name) for name in names}
        self._changes.append((None if is_create else instance, data))
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        """The registers have no lists: everything goes with the row (save_rows)."""

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        changes, self._changes = self._changes, []
        if not changes or result.has_errors() or result.has_validation_errors():
            return  # nothing to write, or the file is refused anyway
        try:
            if self.user is None:
                raise PermissionDenied  # every service names who made the change
            self.save_rows(changes)
        except PermissionDenied:
            who = "取り込む職員が分からない" if self.user is None else "取り込む権限がない"
            raise PermissionDenied(
                f"{who}ため、{self._meta.model._meta.verbose_name}を登録・変更できません。"
                "登録・変更の権限を持つ職員が管理画面から取り込んでください。"
            ) from None
        except ValidationError as error:
            raise ValueError("\n".join(error.messages)) from None


# --- the shared registers --------------------------------------------------------------


class SectionResource(AuditedRegisterResource):
    department = Column("department", "部")
    name = Column("name", "課")
    manager_title = Column("manager_title", "個人情報保護管理責任者")

    natural_key = ("department", "name")
    required_columns = ("部", "課")

    def save_rows(self, rows):
        register_save_many(actor=self.user, model=Section, rows=rows)

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

    def save_rows(self, rows):
        register_save_many(actor=self.user, model=Business, rows=rows)

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

    def save_rows(self, rows):
        register_save_many(actor=self.user, model=Organization, rows=rows)

    class Meta:
        model = Organization
        fields = ("name", "address", "is_terms_of_service", "note")
