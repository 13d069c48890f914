"""The register's invariants (reviews/workflow/invariants.py), proven two ways: a
Hypothesis state machine drives the real services on PostgreSQL with users of every role
and checks every invariant after every step, and example tests write one bad row each so
every checker is seen to fail."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from consignments.forms import ConsignmentForm
from consignments.models import Consignment
from filebook.forms import PersonalInfoFileForm
from filebook.models import PersonalInfoFile
from linkages.forms import LinkageForm
from linkages.models import Linkage, ProtectionMeasure
from processing.forms import ProcessingForm
from processing.models import Processing, ProcessingMeasure
from publication import register
from registry import roles
from reviews.council.services import answer_create, consultation_create
from reviews.models import Answer, Consultation, ConsultationCounter, Transition
from reviews.workflow import invariants, services
from reviews.workflow.models import ReviewedRecord
from reviews.workflow.states import (
    EDITABLE_STATES,
    REGISTER_STATES,
    UNDER_REVIEW_STATES,
    State,
)
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    ConsultationFactory,
    OrganizationFactory,
    PreApprovalCategoryFactory,
    ProtectionMeasureFactory,
    SectionFactory,
    UserFactory,
    user_with_role,
)

REFUSALS = (PermissionDenied, ValidationError, services.EditConflict)

# --- Adapters: the only places that know the services' signatures. ------------------
# The form only parses the strings (era dates, checkbox codes) as the staff page does;
# rights, state and validity are the services' to check.


@dataclass(frozen=True)
class Kind:
    """One ReviewedRecord model as the machine drives it: its staff form, and the form
    data staff post for it (`data(effective_from, variant, fixed)`, where `fixed` holds
    what `fixed()` built once per example, e.g. a partner). Variant 0 is what a record is
    created with, 1 a changed version, 2 (but for Form 2) a draft submission refuses
    until a later save completes it. Approval passes a category only for models with a
    council basis."""

    model: type[ReviewedRecord]
    form: type
    data: Callable[[dt.date, int, dict], dict]
    fixed: Callable[[], dict] = dict

    @property
    def name(self) -> str:
        return self.model._meta.label


def _parsed(kind: Kind, data: dict, business) -> dict:
    # A fresh instance: the form parses, the service judges the stored record (a copy
    # held by the machine may be stale, e.g. retired since).
    form = kind.form(data=data | {"business": business.pk})
    if not form.is_valid():  # the form runs the model's clean(): a refusal like any other
        raise ValidationError(form.errors)
    return form.record_data()


def create_record(*, kind: Kind, actor, business, data: dict) -> ReviewedRecord:
    return services.record_create(actor=actor, model=kind.model, **_parsed(kind, data, business))


def save_record(
    *, kind: Kind, actor, record: ReviewedRecord, data: dict, loaded_version: int
) -> ReviewedRecord:
    return services.record_save(
        actor=actor,
        record=record,
        loaded_version=loaded_version,
        **_parsed(kind, data, record.business),
    )


def submit_record(*, actor, record):
    return services.record_submit(actor=actor, record=record)


def return_record(*, actor, record, comment: str):
    return services.record_return(actor=actor, record=record, comment=comment)


def approve_record(*, actor, record, category=None, answer=None):
    return services.record_approve(actor=actor, record=record, category=category, answer=answer)


def amend_record(*, actor, record):
    return services.record_amend(actor=actor, record=record)


def retire_record(*, actor, record, retired_on: dt.date):
    return services.record_retire(actor=actor, record=record, retired_on=retired_on)


def open_consultation(*, actor, consulted_on: dt.date) -> Consultation:
    return consultation_create(actor=actor, consulted_on=consulted_on, subject="電算結合について")


def record_answer(*, actor, consultation: Consultation, conclusion: str) -> Answer:
    return answer_create(
        actor=actor,
        consultation=consultation,
        data={
            "number": consultation.number,
            "answered_on": consultation.consulted_on + dt.timedelta(days=30),
            "conclusion": conclusion,
        },
    )


def published_records() -> list:
    first = register.register_page()
    pages = [first, *(register.register_page(page=n) for n in range(2, first.page.num_pages + 1))]
    return [
        record
        for page in pages
        for section in page.sections
        for business in section.businesses
        for entry in [*business.consignments, *business.linkages]
        for record in [entry.record]
    ]


# --- Each model's form data -----------------------------------------------------------


def consignment_data(effective_from: dt.date, variant: int, fixed: dict) -> dict:
    return {
        "contractor_type": "収納代行事業者",
        "content": [
            "・収納データを送信する。",
            "・委託内容を改めた。",
            "・納付結果情報を送信する。",
        ][variant],
        "period_kind": "ongoing",
        "period_start": effective_from.isoformat(),
        "record_kinds": ["family"],
        "conditions": ["confidentiality"],
        "transfer_forms": ["computer"],
        "manager": "収納課長",
        "effective_from": effective_from.isoformat(),
    }


def _answers(measures, variant: int) -> dict:
    """Every active checklist row answered; variant 2 leaves the first open, as a draft
    may, and the changed version answers the last ー."""
    rows = list(measures.filter(is_active=True).order_by("pk"))
    answers = {f"measure_{m.pk}": "taken" for m in rows[variant == 2 :]}
    if variant:
        answers[f"measure_{rows[-1].pk}"] = "not_needed"
    return answers


def linkage_fixed() -> dict:
    # The test database has no checklist rows (the ward enters its own): two lists of
    # one row each, so submission has a checklist to refuse on.
    ProtectionMeasureFactory(order=1, text="端末の操作者を限定する。")
    ProtectionMeasureFactory(
        side=ProtectionMeasure.Side.PARTNER,
        kind=ProtectionMeasure.Kind.TECHNICAL,
        order=1,
        text="通信を暗号化させる。",
    )
    return {"partner": OrganizationFactory().pk}


def linkage_data(effective_from: dt.date, variant: int, fixed: dict) -> dict:
    return {
        "purpose": ["・納付書情報を送信する。", "・納付結果を受け取る。"][variant > 0],
        "linked_on": "令和2年1月",
        "partner": fixed["partner"],
        "partner_role": "収納代行事業者",
        "line": "lgwan",
        "provided_items_text": ["税目\n納付書番号", "税目"][variant > 0],
        "received_items_text": "収納日時",
        "manager": "収納課長",
        "effective_from": effective_from.isoformat(),
        **_answers(ProtectionMeasure.objects, variant),
    }


def file_data(effective_from: dt.date, variant: int, fixed: dict) -> dict:
    return {
        "name": "特別区民税・都民税ファイル",
        "agency_name": "練馬区長",
        "organization_name": "区民部 収納課",
        "purpose": ["特別区民税の賦課徴収のため", "特別区民税・都民税の賦課徴収のため"][
            variant > 0
        ],
        "record_items": ["氏名\n住所\n税額", "氏名\n住所"][variant > 0],
        # Required before review only: a draft may leave it open.
        "record_scope": "" if variant == 2 else "特別区民税・都民税の納税義務者",
        "collection_method": "本人からの申告",
        "sensitive": "False",
        "regular_recipients": "",
        "disclosure_office": "練馬区 区民部 収納課",
        "special_procedures": "",
        "file_kind": "computer",
        "anonymization": "False",
        "subject_count": ["1000_or_more", "under_1000"][variant > 0],
        "effective_from": effective_from.isoformat(),
        "built_from_register": "False",
    }


def processing_data(effective_from: dt.date, variant: int, fixed: dict) -> dict:
    return {
        "subject": "税務システムの改修について",
        "data_subjects": "軽自動車税（種別割）の納税義務者",
        "recorded_items": "資料９－２のとおり",
        "computer": "税務システム",
        "reason": ["納付情報を作成する機能が必要になるため。", "連携先が増えたため。"][variant > 0],
        "changes_intro": "既存の税務システムに以下の機能を追加する。",
        "changes_text": ["納付情報連携データの作成", "納付情報連携データの作成\n異動情報の抽出"][
            variant > 0
        ],
        "milestones_text": ["令和6年7月（予定） 開発", "2025-04 運用開始"][variant > 0],
        "effective_from": effective_from.isoformat(),
        **_answers(ProcessingMeasure.objects, variant),
    }


KINDS = (
    Kind(Consignment, ConsignmentForm, consignment_data),
    Kind(Linkage, LinkageForm, linkage_data, fixed=linkage_fixed),
    Kind(PersonalInfoFile, PersonalInfoFileForm, file_data),
    Kind(Processing, ProcessingForm, processing_data),
)


# --- Helpers --------------------------------------------------------------------------


def violations(model: type[ReviewedRecord]) -> list[str]:
    """Every invariant, read for the record type a machine drives (the others are
    empty, and reading them took half of each step)."""
    found = [line for check in invariants.RECORD_CHECKS for line in check(models=[model])]
    found += invariants.consultation_numbers_consecutive()
    return found + invariants.register_shows_approved_in_force(
        published=published_records, models=[model]
    )


def _rows(model) -> list[tuple]:
    return list(model.objects.order_by("pk").values_list())


def fingerprint(model: type[ReviewedRecord]) -> tuple:
    """What a refused step must leave as it was: the model's rows with their lists and
    child rows, their history and transitions, and the council's numbering."""
    lists = [f.remote_field.through for f in model._meta.many_to_many]
    children = [services._child_relation(model, name)[0] for name in model.child_lists]
    return (
        _rows(model),
        [_rows(through) for through in lists],
        [_rows(child) for child in children],
        [child.history.count() for child in children if hasattr(child, "history")],
        Transition.objects.count(),
        model.history.count(),
        list(Consultation.objects.order_by("pk").values_list("pk", "fiscal_year", "number")),
        list(ConsultationCounter.objects.order_by("series").values_list("series", "last_number")),
    )


ROLES = ("staff", "other_staff", "reviewer", "clerk", "superuser", "nobody")


def actors(usual: str) -> st.SearchStrategy[str]:
    """Half the time the role the step is for (so records move on), else anyone (so
    refusals are tried from every role)."""
    return st.one_of(st.just(usual), st.sampled_from(ROLES))


DAYS = st.integers(min_value=0, max_value=4000)
BASE = dt.date(2016, 4, 1)


class RegisterMachine(RuleBasedStateMachine):
    """Random sequences of workflow steps by random users on one section's business,
    for the records of one model (`kind`; machine_for makes one machine per model)."""

    kind: Kind = KINDS[0]
    records = Bundle("records")
    answers = Bundle("answers")

    def __init__(self) -> None:
        super().__init__()
        # Each example starts from the test's empty register and leaves nothing behind.
        self.savepoint = transaction.savepoint()
        section = SectionFactory()
        self.business = BusinessFactory(section=section)
        self.users = {
            "staff": user_with_role(roles.SECTION_STAFF, section),
            "other_staff": user_with_role(roles.SECTION_STAFF, SectionFactory()),
            "reviewer": user_with_role(roles.REVIEWER),
            "clerk": user_with_role(roles.CLERK),
            "superuser": UserFactory(is_staff=True, is_superuser=True),
            "nobody": UserFactory(),
        }
        self.category = PreApprovalCategoryFactory()
        self.fixed = self.kind.fixed()
        # What each approved version printed when it was approved.
        self.printed: dict[int, list[tuple[str, str]]] = {}
        self.consultations = 0
        self.created = 0
        others = [m for m in invariants.reviewed_models() if m is not self.model]
        # The invariants are read for this machine's records only (violations()).
        assert not any(m.objects.exists() for m in others), "the register is not empty"

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    @property
    def model(self) -> type[ReviewedRecord]:
        return self.kind.model

    def form_data(self, effective_from: dt.date, variant: int = 0) -> dict:
        return self.kind.data(effective_from, variant, self.fixed)

    def basis(self, answer, both: bool) -> dict:
        """The approval's basis: a category or an answer, or both (refused). A model
        approved on the review alone gets nothing, or when both were drawn (refused)
        both, so most of its approvals can succeed."""
        if not self.model.council_basis and not (both and answer):
            return {"category": None, "answer": None}
        category = self.category if answer is None or both else None
        return {"category": category, "answer": answer}

    def aim(self, record, aimed: bool, states) -> ReviewedRecord:
        """When aimed, a record in a state where the step can succeed (if there is one),
        so runs get past approval and amendment instead of retrying impossible steps."""
        if aimed:
            ready = self.model.objects.filter(business=self.business, state__in=states)
            return ready.order_by("-pk").first() or record
        return record

    def attempt(self, step, **kwargs):
        """Run a step; a refusal must leave the database exactly as it was."""
        before = fingerprint(self.model)
        try:
            result = step(**kwargs)
        except REFUSALS as refusal:
            assert fingerprint(self.model) == before, (
                f"{step.__name__} was refused but changed data"
            )
            event(f"{step.__name__}: {type(refusal).__name__}")
            return None
        event(f"{step.__name__}: done")
        return result

    @initialize(target=records, days=DAYS)
    def first_draft(self, days):
        return self.create(who="staff", days=days)

    @initialize(target=records, days=DAYS)
    def first_approved(self, days):
        # Every run also starts with a record in the register, so amendments, retirement
        # and supersession are reached within a few steps.
        record = self.create(who="staff", days=days)
        submit_record(actor=self.users["staff"], record=record)
        approved = approve_record(
            actor=self.users["reviewer"], record=record, **self.basis(None, both=False)
        )
        self.printed[approved.pk] = approved.form_values()
        return approved

    # A few records per run, so steps go deep into each one's life instead of wide.
    @precondition(lambda self: self.created < 3)
    @rule(target=records, who=actors("staff"), days=DAYS)
    def create(self, who, days):
        record = self.attempt(
            create_record,
            kind=self.kind,
            actor=self.users[who],
            business=self.business,
            data=self.form_data(BASE + dt.timedelta(days=days)),
        )
        if record is None:
            return multiple()
        self.created += 1
        return record

    @rule(
        record=records,
        who=actors("staff"),
        days=st.integers(min_value=-30, max_value=1500),
        stale=st.booleans(),
        variant=st.sampled_from([1, 2, 0]),
    )
    def save(self, record, who, days, stale, variant):
        record.refresh_from_db()
        # An amendment must take effect after the version it replaces.
        base = record.amends.effective_from if record.amends_id else record.effective_from
        self.attempt(
            save_record,
            kind=self.kind,
            actor=self.users[who],
            record=record,
            data=self.form_data(base + dt.timedelta(days=days), variant),
            loaded_version=record.lock_version - 1 if stale else record.lock_version,
        )

    @rule(record=records, who=actors("staff"), aimed=st.booleans())
    def submit(self, record, who, aimed):
        record = self.aim(record, aimed, EDITABLE_STATES)
        self.attempt(submit_record, actor=self.users[who], record=record)

    @rule(
        record=records,
        who=actors("reviewer"),
        comment=st.sampled_from(["", "再確認を。"]),
        aimed=st.booleans(),
    )
    def send_back(self, record, who, comment, aimed):
        record = self.aim(record, aimed, UNDER_REVIEW_STATES)
        self.attempt(return_record, actor=self.users[who], record=record, comment=comment)

    @rule(
        record=records,
        who=actors("reviewer"),
        answer=st.none() | answers,
        both=st.booleans(),
        aimed=st.booleans(),
    )
    def approve(self, record, who, answer, both, aimed):
        record = self.aim(record, aimed, UNDER_REVIEW_STATES)
        approved = self.attempt(
            approve_record, actor=self.users[who], record=record, **self.basis(answer, both)
        )
        if approved:
            self.printed[approved.pk] = approved.form_values()

    @rule(target=records, record=records, who=actors("staff"), aimed=st.booleans())
    def amend(self, record, who, aimed):
        record = self.aim(record, aimed, [State.APPROVED])
        amendment = self.attempt(amend_record, actor=self.users[who], record=record)
        return amendment if amendment else multiple()

    @rule(record=records, who=actors("reviewer"), days=st.integers(-10, 2000), aimed=st.booleans())
    def retire(self, record, who, days, aimed):
        record = self.aim(record, aimed, [State.APPROVED])
        record.refresh_from_db()
        self.attempt(
            retire_record,
            actor=self.users[who],
            record=record,
            retired_on=record.effective_from + dt.timedelta(days=days),
        )

    @precondition(lambda self: self.consultations < 4)
    @rule(
        target=answers,
        who=actors("clerk"),
        # Past-dated ones too: a clerk enters an old consultation after newer ones.
        days=st.integers(min_value=0, max_value=4500),
        conclusion=st.sampled_from(Answer.Conclusion.values),
    )
    def consult(self, who, days, conclusion):
        consultation = self.attempt(
            open_consultation, actor=self.users[who], consulted_on=BASE + dt.timedelta(days=days)
        )
        if consultation is None:
            return multiple()
        self.consultations += 1
        return record_answer(
            actor=self.users["clerk"], consultation=consultation, conclusion=conclusion
        )

    @precondition(lambda self: self.printed)
    @invariant()
    def printed_content_unchanged(self):
        for record in self.model.objects.filter(pk__in=self.printed, state__in=REGISTER_STATES):
            assert record.form_values() == self.printed[record.pk], record

    @invariant()
    def invariants_hold(self):
        assert violations(self.model) == []


RegisterMachine.TestCase.settings = settings(
    max_examples=8,
    stateful_step_count=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def machine_for(kind: Kind) -> type[RegisterMachine]:
    return type(f"{kind.model.__name__}Machine", (RegisterMachine,), {"kind": kind})


def test_the_machine_drives_every_reviewed_model():
    # A new ReviewedRecord model needs a Kind here, or its invariants go unproven.
    assert {kind.model for kind in KINDS} == set(invariants.reviewed_models())


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_it_keeps_every_invariant_through_random_workflows(kind):
    # The same run for every model: about 7 s each on PostgreSQL.
    run_state_machine_as_test(machine_for(kind), settings=RegisterMachine.TestCase.settings)


# --- Each checker fails on a crafted violation. ----------------------------------------


@pytest.fixture
def approved(section, staff, reviewer):
    """A Form 2 record taken through the services from draft to approved."""
    record = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    submit_record(actor=staff, record=record)
    return approve_record(actor=reviewer, record=record, category=PreApprovalCategoryFactory())


def write_transition(record, *, action, from_state, to_state, actor) -> Transition:
    return services._transition(
        actor=actor, record=record, action=action, from_state=from_state, to_state=to_state
    )


@pytest.mark.django_db
def test_it_finds_no_violation_in_a_clean_workflow(approved, staff, reviewer):
    amendment = amend_record(actor=staff, record=approved)
    Consignment.objects.filter(pk=amendment.pk).update(
        effective_from=approved.effective_from + dt.timedelta(days=365)
    )
    submit_record(actor=staff, record=amendment)
    approve_record(actor=reviewer, record=amendment, category=approved.approval_category)
    assert violations(Consignment) == []


@pytest.mark.django_db
def test_a_test_without_the_seed_finds_none_of_it_once_it_was_loaded(_seed_committed):
    # A test on the empty register that runs after the seed was loaded has the seed
    # removed in its transaction (tests/conftest.py): its history and lists too.
    for model in invariants.reviewed_models():
        assert not model.objects.exists() and not model.history.exists()
    assert [line for check in invariants.RECORD_CHECKS for line in check()] == []


@pytest.mark.django_db
def test_it_finds_two_versions_in_force_on_the_same_day(approved, staff):
    amendment = amend_record(actor=staff, record=approved)
    # Written around the services, as a second `loaddata seed` once did.
    Consignment.objects.filter(pk=amendment.pk).update(state=State.APPROVED)
    assert any("同時に効力を持つ" in line for line in invariants.one_version_in_force())


@pytest.mark.django_db
def test_it_finds_a_state_change_without_a_transition(approved):
    approved.state = State.RETIRED
    approved.save()  # a history row, but no Transition
    found = invariants.transitions_match_state_changes()
    assert any("一致しない" in line for line in found)


@pytest.mark.django_db
def test_it_finds_a_transition_by_someone_without_the_role(section):
    record = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    outsider = user_with_role(roles.SECTION_STAFF, SectionFactory())
    Consignment.objects.filter(pk=record.pk).update(state=State.SUBMITTED)
    write_transition(
        record,
        action="submit",
        from_state=State.DRAFT,
        to_state=State.SUBMITTED,
        actor=outsider,
    )
    found = invariants.transitions_match_state_changes()
    assert any("権限のない" in line for line in found)


@pytest.mark.django_db
def test_it_finds_a_transition_the_rules_do_not_allow(section, reviewer):
    record = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    Consignment.objects.filter(pk=record.pk).update(state=State.APPROVED)
    write_transition(
        record, action="approve", from_state=State.DRAFT, to_state=State.APPROVED, actor=reviewer
    )
    found = invariants.transitions_match_state_changes()
    assert any("規則にない遷移" in line for line in found)


@pytest.mark.django_db
def test_it_finds_a_content_change_outside_the_editable_states(approved):
    approved.content = "・承認後に書き換えた。"
    approved.save()
    found = invariants.no_change_outside_editable_states()
    assert any("content" in line and "approved" in line for line in found)


@pytest.mark.django_db
def test_it_finds_a_checkbox_change_outside_the_editable_states(approved):
    approved.consultations.add(ConsultationFactory())  # the history row follows the change
    found = invariants.no_change_outside_editable_states()
    assert any("consultations" in line for line in found)


@pytest.mark.django_db
def test_it_finds_printed_content_changed_without_history(approved):
    Consignment.objects.filter(pk=approved.pk).update(manager="総務課長")
    found = invariants.approved_content_unchanged()
    assert any("manager" in line for line in found)


@pytest.mark.django_db
def test_it_finds_a_published_draft_and_a_missing_approved_record(approved, section):
    draft = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    found = invariants.register_shows_approved_in_force(published=lambda: [draft])
    assert f"公開の登録簿に consignments.Consignment No.{approved.pk} がない" in found
    assert any(f"No.{draft.pk} がある" in line for line in found)


@pytest.mark.django_db
def test_it_counts_an_approved_state_without_a_basis_as_unpublishable(section):
    record = ConsignmentFactory(business=BusinessFactory(section=section))
    found = invariants.register_shows_approved_in_force(published=lambda: [record])
    assert any(f"No.{record.pk} がある" in line for line in found)


@pytest.mark.django_db
def test_it_finds_a_missing_consultation_number_and_a_counter_behind():
    for number in (1, 2, 4):
        ConsultationFactory(consulted_on=dt.date(2025, 6, 1), number=number)
    ConsultationCounter.objects.create(series=2025, last_number=2)
    assert invariants.consultation_numbers_consecutive() == [
        "2025年度の諮問番号 [3] が欠けている",
        "2025年度の採番が第2号だが、最大の番号は第4号",
    ]


@pytest.mark.django_db
def test_it_finds_a_duplicate_consultation_number_in_cumulative_numbering(settings):
    settings.CONSULTATION_NUMBERING = "cumulative"
    ConsultationFactory(consulted_on=dt.date(2024, 6, 1), number=7)
    ConsultationFactory(consulted_on=dt.date(2025, 6, 1), number=7)
    found = invariants.consultation_numbers_consecutive()
    assert found == ["通し番号の諮問番号 [7] が重複している"]


# --- Counterexamples the state machine found, kept as ordinary tests ------------------


def test_a_record_with_an_open_amendment_cannot_be_retired(db):
    section = SectionFactory()
    staff, reviewer = user_with_role(roles.SECTION_STAFF, section), user_with_role(roles.REVIEWER)
    category = PreApprovalCategoryFactory()
    record = ConsignmentFactory(
        business=BusinessFactory(section=section), approval_category=category
    )
    record.categories.set([category])
    services.record_amend(actor=staff, record=record)
    with pytest.raises(services.WorkflowError, match="作成中の変更"):
        services.record_retire(
            actor=reviewer, record=record, retired_on=record.effective_from + dt.timedelta(100)
        )
    record.refresh_from_db()
    assert (record.state, record.effective_until) == (State.APPROVED, None)
    assert not Transition.objects.filter(object_id=record.pk, action="retire").exists()


def test_an_amendment_of_a_retired_record_is_not_approved(db):
    # The path the machine found: amend, retire (then allowed), approve the amendment,
    # which turned the retired version into 変更済み. Retirement now refuses first; the
    # approval refuses on its own as well.
    section = SectionFactory()
    staff, reviewer = user_with_role(roles.SECTION_STAFF, section), user_with_role(roles.REVIEWER)
    category = PreApprovalCategoryFactory()
    record = ConsignmentFactory(business=BusinessFactory(section=section))
    record.categories.set([category])
    amendment = services.record_amend(actor=staff, record=record)
    Consignment.objects.filter(pk=amendment.pk).update(
        effective_from=record.effective_from + dt.timedelta(400)
    )
    services.record_submit(actor=staff, record=amendment)
    Consignment.objects.filter(pk=record.pk).update(
        state=State.RETIRED, effective_until=record.effective_from + dt.timedelta(100)
    )
    with pytest.raises(services.WorkflowError, match="廃止"):
        services.record_approve(actor=reviewer, record=amendment, category=category)
    record.refresh_from_db()
    assert record.state == State.RETIRED


def test_consultation_numbers_continue_after_the_seeds_numbers(seed):
    # The machine's fourth finding: a past-dated consultation restarted at 第1号.
    clerk = user_with_role(roles.CLERK)
    consultation = consultation_create(
        actor=clerk, consulted_on=dt.date(2019, 2, 1), subject="電算結合について"
    )
    assert consultation.fiscal_year == 2018 and consultation.number == 6
    assert invariants.consultation_numbers_consecutive() == []
