"""factory-boy factories for every model, in one place."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from consignments.models import Consignment
from filebook.models import PersonalInfoFile
from incidents.models import Incident
from linkages.models import Linkage, LinkageItem, LinkageMeasure, ProtectionMeasure
from notation import wareki
from payments.models import Channel, DataItem, Flow, Party, TaxType
from processing.models import (
    Processing,
    ProcessingChange,
    ProcessingMeasure,
    ProcessingMeasureAnswer,
    ProcessingMilestone,
)
from registry.models import Business, Organization, Section, StaffMember
from reviews.models import (
    AgendaItem,
    AgendaRecord,
    Answer,
    CategoryExample,
    CommitteeMeeting,
    Consultation,
    CouncilMeeting,
    Obligation,
    PreApprovalCategory,
    PreApprovalReport,
    ReportItem,
)
from reviews.workflow.states import State


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    department = "区民部"
    name = factory.Sequence(lambda n: f"第{n}課")
    manager_title = factory.LazyAttribute(lambda section: f"{section.name}長")


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    number = factory.Sequence(lambda n: f"{1000 + n:04d}-{n % 100:02d}")
    name = factory.Sequence(lambda n: f"業務{n}")
    section = factory.SubFactory(SectionFactory)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"株式会社テスト{n}")
    address = "東京都練馬区豊玉北6-12-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-for-tests")


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    section = factory.SubFactory(SectionFactory)


def user_with_role(role: str | None, section: Section | None = None, **kwargs):
    """A user in one of the role groups (registry.roles), optionally working in section.
    Reviewers and clerks get staff status, as loaddemo gives them, to reach the admin."""
    from registry import roles

    kwargs.setdefault("is_staff", role in (roles.REVIEWER, roles.CLERK))
    user = UserFactory(**kwargs)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if section:
        StaffMemberFactory(user=user, section=section)
    return user


class PreApprovalCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreApprovalCategory

    chapter = 3
    number = factory.Sequence(lambda n: 50 + n)
    rule = "金融機関以外の者が税金等を領収し、区へ送金する。"


class CategoryExampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryExample

    category = factory.SubFactory(PreApprovalCategoryFactory)
    text = factory.Sequence(lambda n: f"事例{n}")


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    number = factory.Sequence(lambda n: 100 + n)
    consulted_on = dt.date(2025, 6, 1)
    fiscal_year = factory.LazyAttribute(lambda c: wareki.fiscal_year(c.consulted_on))
    subject = "電子計算組織の結合について"


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n + 1)
    answered_on = dt.date(2019, 3, 1)
    conclusion = Answer.Conclusion.APPROVED


class ConsignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consignment
        skip_postgeneration_save = True

    business = factory.SubFactory(BusinessFactory)
    contractor_type = "収納代行事業者"
    content = "・納付結果情報を区に送信する。"
    period_kind = Consignment.PeriodKind.ONGOING
    period_start = dt.date(2019, 4, 1)
    manager = "収納課長"
    effective_from = dt.date(2019, 4, 1)
    # Most records in tests are the register; workflow tests ask for drafts.
    state = State.APPROVED

    @factory.post_generation
    def record_kinds(self, create, extracted, **kwargs):
        if create and extracted:
            self.record_kinds.set(extracted)


class LinkageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Linkage
        skip_postgeneration_save = True

    business = factory.SubFactory(BusinessFactory)
    purpose = "・納付書情報を送信する。"
    linked_on = dt.date(2020, 1, 1)
    partner = factory.SubFactory(OrganizationFactory)
    manager = "収納課長"
    effective_from = dt.date(2020, 1, 1)
    state = State.APPROVED

    @factory.post_generation
    def checklist(self, create, extracted, **kwargs):
        """Every active checklist row answered ○, so the linkage can be submitted as a
        section would submit it; checklist=False leaves the checklist blank."""
        if create and extracted is not False:
            LinkageMeasure.objects.bulk_create(
                LinkageMeasure(linkage=self, measure=measure, answer=LinkageMeasure.Answer.TAKEN)
                for measure in ProtectionMeasure.objects.filter(is_active=True)
            )


class PersonalInfoFileFactory(factory.django.DjangoModelFactory):
    """A complete 個人情報ファイル簿 entry (every item the Act requires filled in)."""

    class Meta:
        model = PersonalInfoFile

    business = factory.SubFactory(BusinessFactory)
    name = factory.Sequence(lambda n: f"個人情報ファイル{n}")
    agency_name = "練馬区長"
    organization_name = "区民部 収納課"
    purpose = "特別区民税・都民税の賦課徴収のため"
    record_items = "氏名\n住所\n税額"
    record_scope = "特別区民税・都民税の納税義務者"
    collection_method = "本人からの申告、他の地方公共団体からの通知"
    regular_recipients = ""
    disclosure_office = "練馬区 区民部 収納課（東京都練馬区豊玉北6-12-1）"
    file_kind = PersonalInfoFile.FileKind.COMPUTER
    subject_count = PersonalInfoFile.SubjectCount.LARGE
    effective_from = dt.date(2023, 4, 1)
    # As in the register; workflow tests ask for drafts.
    state = State.APPROVED


class LinkageItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LinkageItem

    linkage = factory.SubFactory(LinkageFactory)
    direction = LinkageItem.Direction.PROVIDED
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"項目{n}")


class CouncilMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMeeting

    held_on = dt.date(2025, 7, 1)
    title = "審議会"
    agenda = "事務局からの説明\n審議"


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    answer = factory.SubFactory(AnswerFactory)
    text = "運営状況を定期的に確認し報告すること。"
    owner = factory.SubFactory(SectionFactory)
    due_on = dt.date(2026, 3, 31)


class PreApprovalReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreApprovalReport

    section = factory.SubFactory(SectionFactory)
    overview = "新たな納付方法を導入する。"


class ReportItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportItem

    report = factory.SubFactory(PreApprovalReportFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = "ペイジーによる納付"
    applies_from = dt.date(2020, 1, 1)
    category = factory.SubFactory(PreApprovalCategoryFactory)
    contractors = "（ア）日本マルチペイメントネットワーク運営機構"


class ProtectionMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtectionMeasure

    side = ProtectionMeasure.Side.WARD
    kind = ProtectionMeasure.Kind.OPERATIONAL
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"対策{n}を講じる。")


class LinkageMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LinkageMeasure

    linkage = factory.SubFactory(LinkageFactory)
    measure = factory.SubFactory(ProtectionMeasureFactory)
    answer = LinkageMeasure.Answer.TAKEN


class TaxTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxType

    name = factory.Sequence(lambda n: f"税目{n}")
    business = factory.SubFactory(BusinessFactory)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    name = factory.Sequence(lambda n: f"チャネル{n}")
    started_on = dt.date(2020, 1, 1)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    name = factory.Sequence(lambda n: f"事業者{n}")
    role = Party.Role.PAYMENT_AGENT
    organization = factory.SubFactory(OrganizationFactory)


class DataItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataItem

    name = factory.Sequence(lambda n: f"データ項目{n}")


class FlowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flow
        skip_postgeneration_save = True

    sender = factory.SubFactory(PartyFactory)
    receiver = factory.SubFactory(PartyFactory)
    label = ""

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create and extracted:
            self.items.set(extracted)

    @factory.post_generation
    def tax_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.tax_types.set(extracted)

    @factory.post_generation
    def channels(self, create, extracted, **kwargs):
        if create and extracted:
            self.channels.set(extracted)


class ProcessingFactory(factory.django.DjangoModelFactory):
    """A 電算処理 with one change, one milestone and (unless checklist=False) every
    active checklist row answered ○."""

    class Meta:
        model = Processing
        skip_postgeneration_save = True

    business = factory.SubFactory(BusinessFactory)
    subject = "税務システムの改修について"
    data_subjects = "軽自動車税（種別割）の納税義務者"
    recorded_items = "資料９－２のとおり"
    computer = "税務システム"
    reason = "小型二輪車の納付情報を作成する機能が必要になるため。"
    changes_intro = "既存の税務システムに以下の機能を追加する。"
    effective_from = dt.date(2025, 4, 1)
    state = State.DRAFT

    @factory.post_generation
    def lists(self, create, extracted, **kwargs):
        if create and extracted is not False:
            ProcessingChange.objects.create(processing=self, position=1, text="連携データの作成")
            ProcessingMilestone.objects.create(
                processing=self, position=1, on=dt.date(2025, 4, 1), label="運用開始"
            )

    @factory.post_generation
    def checklist(self, create, extracted, **kwargs):
        if create and extracted is not False:
            ProcessingMeasureAnswer.objects.bulk_create(
                ProcessingMeasureAnswer(
                    processing=self, measure=measure, answer=ProcessingMeasureAnswer.Answer.TAKEN
                )
                for measure in ProcessingMeasure.objects.filter(is_active=True)
            )


class CommitteeMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMeeting

    title = "令和6年度第3回個人情報保護管理運営会議"
    held_on = dt.date(2024, 6, 20)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(CommitteeMeetingFactory)
    material_number = "9"
    section = factory.SubFactory(SectionFactory)
    subject = "軽自動車税納付確認システムとの外部結合等について"
    kinds = ["processing", "linkage"]
    project_name = "軽自動車税（種別割）納税確認方法のシステム化"
    purpose = "納税義務者の利便性向上を図る。"
    targets = "軽自動車税（種別割）納税義務者"
    summary = "　小型二輪車の納付状況を登録する。"


def agenda_record(item, record, position: int = 1, **fields):
    """Put record forward on item (an AgendaRecord row)."""
    from django.contrib.contenttypes.models import ContentType

    return AgendaRecord.objects.create(
        item=item,
        position=position,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        request=fields.pop("request", "付議内容"),
        **fields,
    )


class IncidentFactory(factory.django.DjangoModelFactory):
    """An incident as a section records it: no criterion applies (9 people, nothing
    sensitive) unless a test says so."""

    class Meta:
        model = Incident

    title = factory.Sequence(lambda n: f"納付書の誤送付{n}")
    section = factory.SubFactory(SectionFactory)
    discovered_on = dt.date(2026, 4, 1)
    occurred_on = dt.date(2026, 3, 30)
    kind = Incident.Kind.LEAK
    summary = "納付書を別の納税者に送付した。"
    items = "氏名、住所、税額"
    people_count = 9


class DisclosureRequestFactory(factory.django.DjangoModelFactory):
    """A 開示請求 as the 窓口 registers it (numbers set here, not by the service)."""

    class Meta:
        model = "disclosure.DisclosureRequest"

    kind = "disclosure"
    received_on = dt.date(2026, 6, 3)
    fiscal_year = factory.LazyAttribute(lambda r: wareki.fiscal_year(r.received_on))
    number = factory.Sequence(lambda n: 1 + n)
    requester_name = "練馬 花子"
    requester_address = "東京都練馬区豊玉北6-12-1"
    identity_document = "driver"
    requested_information = "令和7年度の特別区民税の課税に関する記録"
    method = "copy"


class AskedSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "disclosure.AskedSection"

    request = factory.SubFactory(DisclosureRequestFactory)
    section = factory.SubFactory(SectionFactory)
    asked_on = dt.date(2026, 6, 4)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "disclosure.Decision"

    asked = factory.SubFactory(AskedSectionFactory)
    outcome = "full"
    decided_on = dt.date(2026, 6, 20)
    disclosed = "令和7年度特別区民税・都民税課税台帳（請求者に係る部分）"
