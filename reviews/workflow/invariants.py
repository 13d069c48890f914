"""What must always hold for the register, stated once. Each function reads the database
and returns its violations as readable lines (empty when the invariant holds); the tests
(tests/reviews/workflow/test_invariants.py) run them after every step of random workflows.

1. At most one approved version of a record is in force on any day. A record is a chain
   of versions linked by `amends`; a version is in force on a day when its state is in
   REGISTER_STATES and effective_from <= day <= effective_until (or no end).
2. Every state change has exactly one Transition row naming a permitted actor: the row's
   action leads from its from_state to its to_state under RULES (or is a creation, an
   amendment's creation or a supersession), the actor held the role the action needs (or
   is a superuser), the rows of a record form one chain ending in its current state, and
   the state changes in the record's history are exactly those rows.
3. Nothing changes a record outside the editable states: between two consecutive
   history snapshots its content (fields and checkbox lists) changes only while the
   state was draft or returned, and the workflow's own fields change only with a step.
   Two steps change content on purpose: approval makes the record cite its basis (its
   審議会事項 / 結合の諮問), and a reviewer's correction (訂正) has a transition of its own.
4. An approved record's printed content never changes: what the record holds now, and
   the content it prints (`approved_content`), are what its snapshot at approval (or at
   its last correction) held; changes that bypass the history show up here.
5. The public register shows exactly the approved versions in force: those in
   REGISTER_STATES, approved on a basis (category, consultation, answer or an agenda
   item's decision), in force today.
6. Consultation numbers have no gaps and no duplicates per series (the fiscal year, or
   all consultations when settings.CONSULTATION_NUMBERING is "cumulative"), and each
   series' counter stands at its highest number, so the next one follows it.

Records are found through the ReviewedRecord base class, so this module imports no app
that builds on the workflow; the public register is handed in by the caller for the same
reason.
"""

import datetime as dt
import functools
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from registry import roles
from registry.access import has_role, is_section_staff_of
from reviews.council.models import Consultation, ConsultationCounter
from reviews.workflow.models import APPROVED_CONTENT_FIELDS, ReviewedRecord, Transition
from reviews.workflow.states import EDITABLE_STATES, REGISTER_STATES, RULES, Action, State

# Fields the workflow steps write (not the staff): they change only with a step.
WORKFLOW_FIELDS = frozenset(
    {
        "state",
        "approved_at",
        "amends",
        "approval_category",
        "approval_consultation",
        "approval_answer",
        "approval_agenda_item",
        "effective_until",
        # approved_content and the register's search columns taken from it
        *APPROVED_CONTENT_FIELDS,
    }
)
# What approval may add so that the record cites the basis it was approved on.
CITATION_FIELDS = frozenset(
    {"categories", "consultations", "linked_consultation_id", "change_consultation_id"}
)
# The same as columns, less the state (compared on its own).
WORKFLOW_COLUMNS = (
    "effective_until",
    "approval_category_id",
    "approval_answer_id",
    "approval_consultation_id",
    "approval_agenda_item_id",
    "approved_at",
    "amends_id",
)
# Bookkeeping that changes on every save.
IGNORED_FIELDS = frozenset({"id", "lock_version"})
# A reviewer's correction (訂正) of an approved record changes its content on purpose,
# with a transition row of its own; each such row allows one change of an approved record.
CORRECTION_ACTIONS = frozenset({"correct"})


def reviewed_models() -> list[type[ReviewedRecord]]:
    return [m for m in apps.get_models() if issubclass(m, ReviewedRecord)]


# The record types a check reads: all of them unless named (a test driving one type).
Models = Iterable[type[ReviewedRecord]] | None


def _label(record) -> str:
    return f"{record._meta.verbose_name} No.{record.pk}"


def _in_force_on(record, day: dt.date) -> bool:
    return (
        record.state in REGISTER_STATES
        and record.effective_from <= day
        and (record.effective_until is None or day <= record.effective_until)
    )


# 1 ---------------------------------------------------------------------------------


def one_version_in_force(*, models: Models = None) -> list[str]:
    """At most one approved version of each record is in force on any day."""
    violations = []
    for model in models or reviewed_models():
        versions = {
            r.pk: r
            for r in model.objects.only("state", "amends", "effective_from", "effective_until")
        }
        chains: dict[int, list] = defaultdict(list)
        for record in versions.values():
            root, seen = record, {record.pk}
            while root.amends_id and root.amends_id in versions and root.amends_id not in seen:
                root = versions[root.amends_id]
                seen.add(root.pk)
            chains[root.pk].append(record)
        for chain in chains.values():
            register = sorted(
                (r for r in chain if r.state in REGISTER_STATES), key=lambda r: r.effective_from
            )
            for i, earlier in enumerate(register):
                for later in register[i + 1 :]:
                    start = later.effective_from
                    if earlier.effective_until is None or earlier.effective_until >= start:
                        violations.append(
                            f"{_label(earlier)} と {_label(later)} が {start} に同時に効力を持つ"
                        )
    return violations


# 2 ---------------------------------------------------------------------------------


def _may_take(actor, action: str, record) -> bool:
    """Whether actor held the role action needs on record (as the current groups say)."""
    if actor.is_superuser:
        return True
    if action in (Action.CREATE, Action.AMEND):
        return is_section_staff_of(actor, record.business.section_id)
    if action == Action.SUPERSEDE:
        # Taken by whoever approved the successor.
        return has_role(actor, RULES[Action.APPROVE][0])
    role = RULES[action][0]
    if role == roles.SECTION_STAFF:
        return is_section_staff_of(actor, record.business.section_id)
    return has_role(actor, role)


def _allowed_move(row: Transition, record) -> bool:
    if row.action == Action.CREATE:
        return (row.from_state, row.to_state) == ("", State.DRAFT)
    if row.action == Action.AMEND:
        # Written on the new version: the approved one it copies stays as it is.
        return (row.from_state, row.to_state) == ("", State.DRAFT) and bool(record.amends_id)
    if row.action == Action.SUPERSEDE:
        return (row.from_state, row.to_state) == (State.APPROVED, State.AMENDED)
    if row.action not in RULES:
        return False
    return RULES[row.action][1].get(row.from_state) == row.to_state


def _state_runs(states: list[str]) -> list[str]:
    """The states in order with repeats collapsed: what the steps moved through."""
    runs: list[str] = []
    for state in states:
        if not runs or runs[-1] != state:
            runs.append(state)
    return runs


def transitions_match_state_changes(*, models: Models = None) -> list[str]:
    """Every state change has exactly one Transition row naming a permitted actor."""
    violations = []
    users = {u.pk: u for u in get_user_model().objects.all()}
    for model in models or reviewed_models():
        content_type = ContentType.objects.get_for_model(model)
        records = {r.pk: r for r in model.objects.select_related("business")}
        rows_by_record: dict[int, list[Transition]] = defaultdict(list)
        for row in Transition.objects.filter(content_type=content_type).order_by("at", "pk"):
            rows_by_record[row.object_id].append(row)
        states_by_record: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for pk, kind, state in model.history.order_by("history_date", "history_id").values_list(
            "id", "history_type", "state"
        ):
            states_by_record[pk].append((kind, state))
        for object_id in rows_by_record.keys() - records.keys():
            violations.append(f"{model._meta.verbose_name} No.{object_id} の経過があるが記録がない")
        for pk, record in records.items():
            rows = rows_by_record.get(pk, [])
            label = _label(record)
            for i, row in enumerate(rows):
                step = f"{label} の「{row.action}」（{row.from_state or '新規'}→{row.to_state}）"
                if not _allowed_move(row, record):
                    violations.append(f"{step} は規則にない遷移")
                if not _may_take(users[row.actor_id], row.action, record):
                    violations.append(f"{step} を権限のない {users[row.actor_id]} が行った")
                if i and row.from_state != rows[i - 1].to_state:
                    violations.append(f"{step} の前の状態が直前の経過と一致しない")
                if i and row.from_state == "":
                    violations.append(f"{step}: 作成の経過が途中にある")
            if rows and rows[-1].to_state != record.state:
                violations.append(
                    f"{label} の状態 {record.state} が最後の経過（{rows[-1].to_state}）と一致しない"
                )
            if not rows:
                history = states_by_record.get(pk, [])
                if len(_state_runs([s for _, s in history] + [record.state])) > 1:
                    violations.append(f"{label} の状態が経過なしに変わった")
                continue
            # The states the history saw must be the ones the rows walked through. A
            # record loaded without history (the seed) starts its history mid-walk.
            history = states_by_record.get(pk, [])
            walked = _state_runs(
                ([rows[0].from_state] if rows[0].from_state else []) + [r.to_state for r in rows]
            )
            seen = _state_runs([s for _, s in history])
            created_here = bool(history) and history[0][0] == "+"
            if seen and not (seen == walked or (not created_here and seen == walked[1:])):
                violations.append(f"{label} の履歴の状態 {seen} が経過 {walked} と一致しない")
    return violations


# 3 and 4 ----------------------------------------------------------------------------


@functools.cache
def _m2m_fields(model) -> tuple:
    """The checkbox lists the history keeps with each snapshot (simple-history's
    m2m_fields), read from the historical model's relations once per model."""
    history_model = model.history.model
    kept = {f.name for f in history_model._meta.get_fields()}
    prefix = history_model._meta.model_name
    return tuple(f for f in model._meta.many_to_many if f"{prefix}_{f.name}" in kept)


def _content_fields(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in WORKFLOW_FIELDS and f.name not in IGNORED_FIELDS
    ]


def _snapshots(model) -> dict[int, list[dict]]:
    """Each record's history rows as {field: value} with checkbox lists as sets, oldest first."""
    fields = ["id", *_content_fields(model), "state", *WORKFLOW_COLUMNS, "approved_content"]
    rows = list(
        model.history.order_by("history_date", "history_id").values(
            "history_id", "history_type", "history_date", *fields
        )
    )
    lists: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for field in _m2m_fields(model):
        through = model.history.model._meta.get_field(
            f"{model.history.model._meta.model_name}_{field.name}"
        ).related_model
        target = field.m2m_reverse_field_name()
        for history_id, value in through.objects.values_list("history_id", f"{target}_id"):
            lists[history_id][field.name].add(value)
    by_record: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        for field in _m2m_fields(model):
            row[field.name] = lists[row["history_id"]][field.name]
        by_record[row["id"]].append(row)
    return by_record


def _corrections(model) -> dict[int, int]:
    content_type = ContentType.objects.get_for_model(model)
    counts: dict[int, int] = defaultdict(int)
    for object_id in Transition.objects.filter(
        content_type=content_type, action__in=CORRECTION_ACTIONS
    ).values_list("object_id", flat=True):
        counts[object_id] += 1
    return counts


def _differences(before: dict, after: dict, names: Iterable[str]) -> list[str]:
    return [name for name in names if before[name] != after[name]]


def no_change_outside_editable_states(*, models: Models = None) -> list[str]:
    """Content changes only while draft or returned; workflow fields only with a step."""
    violations = []
    for model in models or reviewed_models():
        content = [*_content_fields(model), *(f.name for f in _m2m_fields(model))]
        corrections = _corrections(model)
        for pk, history in _snapshots(model).items():
            allowed = corrections.get(pk, 0)
            for before, after in itertools.pairwise(history):
                changed = _differences(before, after, content)
                if after["state"] == State.APPROVED and before["state"] != State.APPROVED:
                    changed = [name for name in changed if name not in CITATION_FIELDS]
                if changed and before["state"] not in EDITABLE_STATES:
                    if allowed:
                        allowed -= 1
                        continue
                    violations.append(
                        f"{model._meta.verbose_name} No.{pk} の {', '.join(changed)} が"
                        f"「{before['state']}」の間に変わった（{after['history_date']:%Y-%m-%d %H:%M:%S}）"
                    )
                moved = _differences(before, after, WORKFLOW_COLUMNS)
                if (
                    moved
                    and before["state"] == after["state"]
                    and before["state"] not in EDITABLE_STATES
                ):
                    if allowed:
                        allowed -= 1
                        continue
                    violations.append(
                        f"{model._meta.verbose_name} No.{pk} の {', '.join(moved)} が手続なしに変わった"
                    )
    return violations


def approved_content_unchanged(*, models: Models = None) -> list[str]:
    """A record in the register holds what its snapshot at approval (or at its last
    recorded correction) held."""
    violations = []
    for model in models or reviewed_models():
        content = _content_fields(model)
        lists = _m2m_fields(model)
        corrections = _corrections(model)
        snapshots = _snapshots(model)
        live = model.objects.filter(state__in=REGISTER_STATES).prefetch_related(
            *(f.name for f in lists)
        )
        for record in live:
            history = snapshots.get(record.pk, [])
            approvals = [i for i, row in enumerate(history) if row["state"] == State.APPROVED]
            if not approvals:
                continue  # loaded approved (the seed): no snapshot to compare with
            reference = history[-1] if corrections.get(record.pk) else history[approvals[0]]
            now = {name: getattr(record, name) for name in content}
            now |= {f.name: {o.pk for o in getattr(record, f.name).all()} for f in lists}
            changed = _differences(reference, now, [*content, *(f.name for f in lists)])
            if reference.get("approved_content") not in (None, record.approved_content):
                changed.append("approved_content")
            if changed:
                violations.append(
                    f"承認済みの {_label(record)} の {', '.join(changed)} が承認時と異なる"
                )
    return violations


# 5 ---------------------------------------------------------------------------------


def register_shows_approved_in_force(
    *,
    published: Callable[[], Iterable[ReviewedRecord]],
    on: dt.date | None = None,
    models: Models = None,
) -> list[str]:
    """`published()` lists the records the public register shows (publication.register);
    they must be exactly the approved versions in force on `on` (today)."""
    on = on or timezone.localdate()
    shown = {(type(r)._meta.label, r.pk) for r in published()}
    expected = set()
    for model in models or reviewed_models():
        if not model.on_public_register:
            continue
        for record in model.objects.all():
            has_basis = (
                record.approval_category_id
                or record.approval_consultation_id
                or record.approval_answer_id
                or record.approval_agenda_item_id
            )
            if _in_force_on(record, on) and has_basis:
                expected.add((model._meta.label, record.pk))
    violations = [
        f"公開の登録簿に {label} No.{pk} がない" for label, pk in sorted(expected - shown)
    ]
    violations += [
        f"公開の登録簿に承認され効力のある版でない {label} No.{pk} がある"
        for label, pk in sorted(shown - expected)
    ]
    return violations


# 6 ---------------------------------------------------------------------------------


def consultation_numbers_consecutive() -> list[str]:
    """Per series: no number twice, no number skipped after the series' first, and the
    counter at the highest number."""
    cumulative = settings.CONSULTATION_NUMBERING == "cumulative"
    series: dict[int, list[int]] = defaultdict(list)
    for fiscal_year, number in Consultation.objects.values_list("fiscal_year", "number"):
        series[0 if cumulative else fiscal_year].append(number)
    violations = []
    for key, numbers in sorted(series.items()):
        name = "通し番号" if cumulative else f"{key}年度"
        numbers.sort()
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        if duplicates:
            violations.append(f"{name}の諮問番号 {duplicates} が重複している")
        missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers))
        if missing:
            violations.append(f"{name}の諮問番号 {missing} が欠けている")
    for counter in ConsultationCounter.objects.all():
        numbers = series.get(counter.series, [])
        highest = max(numbers, default=0)
        if counter.last_number != highest:
            name = "通し番号" if cumulative else f"{counter.series}年度"
            violations.append(
                f"{name}の採番が第{counter.last_number}号だが、最大の番号は第{highest}号"
            )
    return violations


# The checks that need nothing from the caller, in the order of the docstring: those that
# read records, then the council's numbering.
RECORD_CHECKS: tuple[Callable[..., list[str]], ...] = (
    one_version_in_force,
    transitions_match_state_changes,
    no_change_outside_editable_states,
    approved_content_unchanged,
)
