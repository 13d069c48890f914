"""An import of a shared register (所管課, 業務, 相手方) or of the council's (事前一括承認基準,
事例, 諮問) is the bulk variant of the register's services: every row it creates or
changes has a history row naming the importing user, text is stored in its JIS X 0208
form as the admin stores it, and without the right the whole file is refused."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import models
from tablib import Dataset

from exchange.runs import error_messages
from notation.jis import to_jis_x_0208
from registry import roles
from registry.models import Business, Organization, Section
from registry.resources import BusinessResource, OrganizationResource, SectionResource
from reviews.council.models import CategoryExample, Consultation, PreApprovalCategory
from reviews.council.resources import (
    CategoryExampleResource,
    ConsultationResource,
    PreApprovalCategoryResource,
)
from tests.factories import (
    BusinessFactory,
    CategoryExampleFactory,
    ConsultationFactory,
    OrganizationFactory,
    PreApprovalCategoryFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

TYPED = "9時～17時"  # U+FF5E, as Windows types it
STORED = to_jis_x_0208(TYPED)


@dataclass
class Register:
    resource: type
    model: type[models.Model]
    keeper: str
    outsider: str
    text_field: str
    #: an existing row, and the file's cells changing it (the text column set to TYPED)
    existing: Callable[[], models.Model]
    changed: Callable[[models.Model], dict]
    #: the cells of a new row (the text column set to TYPED), and how to find it
    new: Callable[[], dict]
    find_new: dict


REGISTERS = [
    Register(
        SectionResource,
        Section,
        roles.CLERK,
        roles.REVIEWER,
        "manager_title",
        existing=lambda: SectionFactory(department="区民部", name="収納課"),
        changed=lambda s: {"部": "区民部", "課": "収納課", "個人情報保護管理責任者": TYPED},
        new=lambda: {"部": "区民部", "課": "新設課", "個人情報保護管理責任者": TYPED},
        find_new={"name": "新設課"},
    ),
    Register(
        BusinessResource,
        Business,
        roles.CLERK,
        roles.REVIEWER,
        "name",
        existing=lambda: BusinessFactory(number="0404-01"),
        changed=lambda b: {
            "業務登録番号": "0404-01",
            "業務の名称": TYPED,
            "所管課": str(b.section),
        },
        new=lambda: {
            "業務登録番号": "0404-02",
            "業務の名称": TYPED,
            "所管課": str(SectionFactory(department="区民部", name="税務課")),
        },
        find_new={"number": "0404-02"},
    ),
    Register(
        OrganizationResource,
        Organization,
        roles.REVIEWER,
        roles.SECTION_STAFF,
        "note",
        existing=lambda: OrganizationFactory(name="株式会社既存", address="東京都"),
        changed=lambda o: {"名称": "株式会社既存", "住所": "東京都", "備考": TYPED},
        new=lambda: {"名称": "株式会社新規", "住所": "東京都", "備考": TYPED},
        find_new={"name": "株式会社新規"},
    ),
    Register(
        PreApprovalCategoryResource,
        PreApprovalCategory,
        roles.CLERK,
        roles.REVIEWER,
        "rule",
        existing=lambda: PreApprovalCategoryFactory(chapter=3, number=91),
        changed=lambda c: {"章": "3", "類型": "91", "基準": TYPED},
        new=lambda: {"章": "3", "類型": "92", "基準": TYPED},
        find_new={"chapter": 3, "number": 92},
    ),
    Register(
        CategoryExampleResource,
        CategoryExample,
        roles.REVIEWER,
        roles.SECTION_STAFF,
        "added_by",
        existing=lambda: CategoryExampleFactory(
            category=PreApprovalCategoryFactory(chapter=3, number=93), text="既存の事例"
        ),
        changed=lambda e: {"事前一括承認基準": "3-93", "事例": "既存の事例", "追加した報告": TYPED},
        new=lambda: {"事前一括承認基準": "3-93", "事例": "新しい事例", "追加した報告": TYPED},
        find_new={"text": "新しい事例"},
    ),
    Register(
        ConsultationResource,
        Consultation,
        roles.CLERK,
        roles.REVIEWER,
        "subject",
        existing=lambda: ConsultationFactory(number=23),
        changed=lambda c: {"諮問日": "令和7年6月1日", "諮問番号": "23", "件名": TYPED},
        new=lambda: {"諮問日": "令和7年6月2日", "諮問番号": "24", "件名": TYPED},
        find_new={"number": 24},
    ),
]


def dataset(rows: list[dict]) -> Dataset:
    headers = list(dict.fromkeys(key for row in rows for key in row))
    data = Dataset(headers=headers)
    for row in rows:
        data.append([row.get(header, "") for header in headers])
    return data


def history_count() -> int:
    return sum(register.model.history.count() for register in REGISTERS)


@pytest.fixture(params=REGISTERS, ids=lambda r: r.model.__name__)
def register(request) -> Register:
    return request.param


def test_an_import_writes_history_naming_the_actor_and_stores_jis_text(register):
    existing = register.existing()
    rows = [register.changed(existing), register.new()]
    actor = user_with_role(register.keeper)

    result = register.resource(user=actor).import_data(dataset(rows))

    assert error_messages(result) == []
    created = register.model.objects.get(**register.find_new)
    existing.refresh_from_db()
    for row, kind in ((existing, "~"), (created, "+")):
        assert getattr(row, register.text_field) == STORED
        latest = row.history.latest()
        assert (latest.history_type, latest.history_user) == (kind, actor)
        assert getattr(latest, register.text_field) == STORED
    assert created.history.count() == 1


def test_an_import_without_the_right_is_refused_whole(register):
    existing = register.existing()
    before = getattr(existing, register.text_field)
    rows = [register.changed(existing), register.new()]
    histories = history_count()

    result = register.resource(user=user_with_role(register.outsider)).import_data(dataset(rows))

    [message] = error_messages(result)
    assert message.startswith("取り込む権限がないため、")
    assert not register.model.objects.filter(**register.find_new).exists()
    existing.refresh_from_db()
    assert getattr(existing, register.text_field) == before
    assert history_count() == histories


def test_an_unchanged_file_imports_back_for_anyone(register):
    existing = register.existing()
    exported = register.resource().export(queryset=register.model.objects.filter(pk=existing.pk))
    histories = history_count()

    result = register.resource(user=user_with_role(register.outsider)).import_data(exported)

    assert error_messages(result) == []
    assert [row.import_type for row in result.rows] == ["skip"]
    assert history_count() == histories
