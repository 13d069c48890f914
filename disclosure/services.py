"""The steps of a request, the only way its rows are created and changed.

Every step takes data and an actor, checks the actor (the 事務局 runs the 窓口; the
sections asked record their own decisions), checks the request's state and the Act's
rules, locks the row, validates, saves with the actor in the history, in one
transaction. The staff pages and the admin call these steps.
"""

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from disclosure import clock
from disclosure.models import (
    DISCLOSING,
    AskedSection,
    Correction,
    Decision,
    DisclosureRequest,
    Kind,
    Objection,
    Purge,
)
from notation import wareki
from registry import access
from registry.audited import apply_data, locked, save_audited
from registry.models import Section
from reviews.council.models import Consultation
from reviews.council.services import consultation_create

CLERKS_ONLY = "開示請求等の受付・通知・実施を行えるのは事務局です。"
DECIDERS_ONLY = "決定を登録できるのは、決定を依頼された所管課の職員または事務局です。"
NOT_OPEN = "処理中の請求ではありません。"
NUMBER_ATTEMPTS = 3

REQUEST_FIELDS = (
    "kind",
    "received_on",
    "requester_name",
    "requester_address",
    "requester_phone",
    "identity_document",
    "identity_note",
    "agent",
    "agent_name",
    "agent_proof",
    "requested_information",
    "purpose",
    "method",
)
DECISION_FIELDS = ("outcome", "decided_on", "document_number", "disclosed", "categories", "reasons")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _open(request: DisclosureRequest) -> DisclosureRequest:
    request = locked(request)
    if request.status != DisclosureRequest.Status.OPEN:
        raise ValidationError(NOT_OPEN)
    return request


def _next_number(fiscal_year: int) -> int:
    highest = DisclosureRequest.objects.filter(fiscal_year=fiscal_year).aggregate(
        highest=Max("number")
    )["highest"]
    return (highest or 0) + 1


@transaction.atomic
def request_receive(*, actor, data: Mapping[str, Any]) -> DisclosureRequest:
    """受付: the 窓口 registers a request with the next number of its fiscal year. A
    number taken meanwhile by another clerk is skipped, never a server error."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    for _ in range(NUMBER_ATTEMPTS):
        request = DisclosureRequest()
        apply_data(request, data, REQUEST_FIELDS)
        if request.received_on is None:
            raise ValidationError({"received_on": "受付日を入力してください。"})
        request.fiscal_year = wareki.fiscal_year(request.received_on)
        request.number = _next_number(request.fiscal_year)
        try:
            with transaction.atomic():
                return save_audited(request, actor=actor)
        except IntegrityError:
            continue
    raise ValidationError("受付番号を割り当てられませんでした。もう一度保存してください。")


@transaction.atomic
def request_update(
    *, actor, request: DisclosureRequest, data: Mapping[str, Any]
) -> DisclosureRequest:
    """Correct what was registered; the number and its fiscal year never change."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    request = _open(request)
    apply_data(request, data, REQUEST_FIELDS)
    if wareki.fiscal_year(request.received_on) != request.fiscal_year:
        raise ValidationError({"received_on": "受付番号の年度と異なる年度の日付にはできません。"})
    return save_audited(request, actor=actor)


@transaction.atomic
def request_ask_section(
    *, actor, request: DisclosureRequest, section: Section, asked_on: dt.date, what: str = ""
) -> AskedSection:
    """Ask the section holding the information to decide; it then sees the request."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    request = _open(request)
    if request.asked.filter(section=section).exists():
        raise ValidationError("この所管課には既に依頼しています。")
    asked = AskedSection(request=request, section=section, asked_on=asked_on, what=what)
    return save_audited(asked, actor=actor)


# --- 補正 (art. 77(3)) ------------------------------------------------------------------


@transaction.atomic
def correction_ask(
    *, actor, request: DisclosureRequest, asked_on: dt.date, what: str
) -> Correction:
    _require(access.is_clerk(actor), CLERKS_ONLY)
    request = _open(request)
    if request.waiting_correction:
        raise ValidationError("補正を待っている間は、次の補正を求められません。")
    if asked_on < request.received_on:
        raise ValidationError({"asked_on": "補正を求めた日が受付日より前です。"})
    return save_audited(Correction(request=request, asked_on=asked_on, what=what), actor=actor)


@transaction.atomic
def correction_answer(*, actor, correction: Correction, answered_on: dt.date) -> Correction:
    """The 補正 arrived: the clock runs again from the next day."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    _open(correction.request)
    correction = locked(correction)
    if correction.answered_on is not None:
        raise ValidationError("この補正は既に記録されています。")
    if answered_on < correction.asked_on:
        raise ValidationError({"answered_on": "補正された日が補正を求めた日より前です。"})
    correction.answered_on = answered_on
    return save_audited(correction, actor=actor)


# --- 延長 and 特例 --------------------------------------------------------------------


@transaction.atomic
def request_extend(
    *, actor, request: DisclosureRequest, days: int, reason: str, notified_on: dt.date
) -> DisclosureRequest:
    """延長 (art. 83(2), 94(2), 102(2)): up to 30 days, with a written notice of the
    reason sent before the first deadline."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    request = _open(request)
    if request.extension_days or request.special_until:
        raise ValidationError("この請求の期限は既に延長されています。")
    if not 1 <= days <= clock.MAX_EXTENSION_DAYS:
        raise ValidationError({"days": f"延長できるのは1日から{clock.MAX_EXTENSION_DAYS}日です。"})
    if not reason.strip():
        raise ValidationError({"reason": "延長の理由を入力してください。"})
    if notified_on > request.first_deadline:
        raise ValidationError(
            {"notified_on": "延長の通知は、当初の期限までに行わなければなりません。"}
        )
    request.extension_days, request.extension_reason = days, reason
    request.extension_notified_on = notified_on
    return save_audited(request, actor=actor)


@transaction.atomic
def request_extend_special(
    *, actor, request: DisclosureRequest, reason: str, notified_on: dt.date, until: dt.date
) -> DisclosureRequest:
    """特例 (art. 84, 95, 103): the notice, within the first 30-day period, says why and
    by when the rest will be decided."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    request = _open(request)
    if request.special_until:
        raise ValidationError("この請求には既に特例を適用しています。")
    if not reason.strip():
        raise ValidationError({"reason": "特例を適用する理由を入力してください。"})
    if notified_on > request.first_deadline:
        raise ValidationError(
            {"notified_on": "特例の通知は、当初の期限までに行わなければなりません。"}
        )
    if until <= request.deadline:
        raise ValidationError({"until": "残りの部分の期限は、通常の期限より後の日にしてください。"})
    request.special_reason, request.special_notified_on = reason, notified_on
    request.special_until = until
    return save_audited(request, actor=actor)


@transaction.atomic
def request_ask_third_party(
    *, actor, request: DisclosureRequest, third_party: str, asked_on: dt.date, due_on: dt.date
) -> DisclosureRequest:
    """Art. 86: a third party named in the information is given the chance to object."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    request = _open(request)
    if request.kind != Kind.DISCLOSURE:
        raise ValidationError("第三者への意見照会は開示請求のときに行います。")
    if due_on <= asked_on:
        raise ValidationError({"due_on": "意見書の提出期限は照会日より後の日にしてください。"})
    request.third_party, request.third_party_asked_on = third_party, asked_on
    request.third_party_due_on = due_on
    return save_audited(request, actor=actor)


@transaction.atomic
def request_record_objection(*, actor, request: DisclosureRequest) -> DisclosureRequest:
    """The third party sent an opinion against disclosure (反対意見書)."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    request = _open(request)
    if not request.third_party:
        raise ValidationError("第三者への意見照会がありません。")
    request.third_party_objected = True
    return save_audited(request, actor=actor)


# --- decisions, 開示の実施 and closing ---------------------------------------------------


def may_decide(user, asked: AskedSection) -> bool:
    return access.is_clerk(user) or access.is_section_staff_of(user, asked.section_id)


@transaction.atomic
def decision_record(*, actor, asked: AskedSection, data: Mapping[str, Any]) -> Decision:
    """A section's decision (開示決定等) on what it holds."""
    _require(may_decide(actor, asked), DECIDERS_ONLY)
    _open(asked.request)
    decision = Decision(asked=asked)
    apply_data(decision, data, DECISION_FIELDS)
    return save_audited(decision, actor=actor)


@transaction.atomic
def decision_implement(
    *, actor, decision: Decision, implemented_on: dt.date, method: str
) -> Decision:
    """開示の実施 (art. 87), after the art. 86(3) wait when a third party objected."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    decision = locked(decision)
    if decision.outcome not in DISCLOSING:
        raise ValidationError("開示の実施は、開示する決定についてのみ記録できます。")
    if decision.implemented_on:
        raise ValidationError("この決定の開示は既に実施されています。")
    earliest = decision.earliest_implementation
    if implemented_on < earliest:
        raise ValidationError(
            {
                "implemented_on": "開示の実施日は"
                f"{wareki.format_date(earliest)}以降にしてください"
                "（決定日以降、第三者の反対意見書があるときは2週間を置きます）。"
            }
        )
    if method not in DisclosureRequest.Method.values:
        raise ValidationError({"method": "実施の方法を選んでください。"})
    decision.implemented_on, decision.implemented_by = implemented_on, method
    return save_audited(decision, actor=actor)


@transaction.atomic
def request_close(*, actor, request: DisclosureRequest, closed_on: dt.date) -> DisclosureRequest:
    """完了: every section asked has decided and every disclosure has been made."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    request = _open(request)
    if not request.all_decided:
        raise ValidationError("決定していない所管課があります。")
    pending = Decision.objects.filter(
        asked__request=request, outcome__in=DISCLOSING, implemented_on__isnull=True
    )
    if pending.exists():
        raise ValidationError("開示を実施していない決定があります。")
    request.status, request.closed_on = DisclosureRequest.Status.CLOSED, closed_on
    return save_audited(request, actor=actor)


@transaction.atomic
def request_withdraw(
    *, actor, request: DisclosureRequest, withdrawn_on: dt.date
) -> DisclosureRequest:
    _require(access.is_clerk(actor), CLERKS_ONLY)
    request = _open(request)
    request.status, request.closed_on = DisclosureRequest.Status.WITHDRAWN, withdrawn_on
    return save_audited(request, actor=actor)


# --- 審査請求 (art. 104–) -----------------------------------------------------------------


@transaction.atomic
def objection_file(*, actor, decision: Decision, filed_on: dt.date, grounds: str) -> Objection:
    _require(access.is_clerk(actor), CLERKS_ONLY)
    if filed_on < decision.decided_on:
        raise ValidationError({"filed_on": "審査請求日が決定日より前です。"})
    objection = Objection(decision=locked(decision), filed_on=filed_on, grounds=grounds)
    return save_audited(objection, actor=actor)


@transaction.atomic
def objection_refer(*, actor, objection: Objection, consulted_on: dt.date) -> Objection:
    """Art. 105: refer the objection to the council as a 諮問, numbered like any other.
    The subject names the kind and the decision, never the requester."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    objection = locked(objection)
    if objection.consultation_id:
        raise ValidationError("この審査請求は既に諮問しています。")
    decision = objection.decision
    request = decision.request
    consultation: Consultation = consultation_create(
        actor=actor,
        consulted_on=consulted_on,
        subject=(
            f"{request.get_kind_display()}に対する{decision.get_outcome_display()}決定"
            "に係る審査請求について"
        ),
        section=decision.asked.section,
    )
    objection.consultation = consultation
    return save_audited(objection, actor=actor)


@transaction.atomic
def objection_decide(*, actor, objection: Objection, result: str, result_on: dt.date) -> Objection:
    """裁決, made after the council's 答申 (or a 却下/取下げ without one)."""
    _require(access.is_clerk(actor), CLERKS_ONLY)
    objection = locked(objection)
    if result not in Objection.Result.values or not result:
        raise ValidationError({"result": "裁決を選んでください。"})
    if result_on < objection.filed_on:
        raise ValidationError({"result_on": "裁決日が審査請求日より前です。"})
    objection.result, objection.result_on = result, result_on
    return save_audited(objection, actor=actor)


# --- retention ----------------------------------------------------------------------


@transaction.atomic
def requests_purge(*, today: dt.date) -> int:
    """Remove closed requests past DISCLOSURE_RETENTION_YEARS with their history rows
    (which hold the same personal data); a Purge row per fiscal year and kind keeps the
    counts. Returns how many requests were removed."""
    requests = list(
        DisclosureRequest.objects.purgeable(today=today).prefetch_related("asked__decisions")
    )
    groups: dict[tuple[int, str], list[DisclosureRequest]] = {}
    for request in requests:
        groups.setdefault((request.fiscal_year, request.kind), []).append(request)
    for (fiscal_year, kind), rows in groups.items():
        outcomes = Counter(
            decision.outcome for r in rows for a in r.asked.all() for decision in a.decisions.all()
        )
        Purge.objects.create(
            fiscal_year=fiscal_year, kind=kind, requests=len(rows), decisions=dict(outcomes)
        )
    ids = [request.pk for request in requests]
    if not ids:
        return 0
    asked_ids = list(AskedSection.objects.filter(request_id__in=ids).values_list("pk", flat=True))
    decision_ids = list(
        Decision.objects.filter(asked_id__in=asked_ids).values_list("pk", flat=True)
    )
    # Objections referred to the council keep their 諮問 (the council's record).
    Objection.objects.filter(decision_id__in=decision_ids).delete()
    DisclosureRequest.objects.filter(pk__in=ids).delete()
    # The history rows last, the deletions' own rows included.
    DisclosureRequest.history.filter(id__in=ids).delete()
    AskedSection.history.filter(request_id__in=ids).delete()
    Decision.history.filter(asked_id__in=asked_ids).delete()
    Correction.history.filter(request_id__in=ids).delete()
    Objection.history.filter(decision_id__in=decision_ids).delete()
    return len(ids)
