"""The review workflow shared by Form 2 and Form 5: states, transitions and who may take
each one, in one table so the views, the admin and the services read the same rules.

draft → submitted → returned ↔ resubmitted → approved → amended / retired
"""

from django.db import models

from registry import roles
from registry.access import has_role, is_section_staff_of


class State(models.TextChoices):
    DRAFT = "draft", "下書き"
    SUBMITTED = "submitted", "審査中（提出）"
    RETURNED = "returned", "差戻し"
    RESUBMITTED = "resubmitted", "審査中（再提出）"
    APPROVED = "approved", "承認済み"
    AMENDED = "amended", "変更済み（旧版）"
    RETIRED = "retired", "廃止"


# Staff may change the content only while the record is in their hands.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# Waiting for a reviewer: the admin queue.
UNDER_REVIEW_STATES = frozenset({State.SUBMITTED, State.RESUBMITTED})
# Approved at some time: part of the register, ended only by its dates.
REGISTER_STATES = frozenset({State.APPROVED, State.AMENDED, State.RETIRED})


class Action(models.TextChoices):
    CREATE = "create", "作成"
    SUBMIT = "submit", "提出"
    RETURN = "return", "差戻し"
    APPROVE = "approve", "承認"
    AMEND = "amend", "変更の開始"
    SUPERSEDE = "supersede", "変更の承認により旧版化"
    RETIRE = "retire", "廃止"
    CORRECT = "correct", "訂正"


# {action: (role that may take it, {from state: to state})}. Superusers may take any.
# AMEND leaves the approved record as it is: it starts a new draft version instead.
# CORRECT keeps the record approved and re-takes its approved content.
# SUPERSEDE is not taken by a person: approving an amendment takes it on the old version.
RULES: dict[str, tuple[str, dict[str, str]]] = {
    Action.SUBMIT: (
        roles.SECTION_STAFF,
        {State.DRAFT: State.SUBMITTED, State.RETURNED: State.RESUBMITTED},
    ),
    Action.RETURN: (
        roles.REVIEWER,
        {State.SUBMITTED: State.RETURNED, State.RESUBMITTED: State.RETURNED},
    ),
    Action.APPROVE: (
        roles.REVIEWER,
        {State.SUBMITTED: State.APPROVED, State.RESUBMITTED: State.APPROVED},
    ),
    Action.AMEND: (roles.SECTION_STAFF, {State.APPROVED: State.APPROVED}),
    Action.RETIRE: (roles.REVIEWER, {State.APPROVED: State.RETIRED}),
    # A reviewer fixes an approved record's mistake (a cited category, a typo) with a
    # recorded reason: the only way an approved record's content changes.
    Action.CORRECT: (roles.REVIEWER, {State.APPROVED: State.APPROVED}),
}


def target_state(action: str, state: str) -> str | None:
    """The state `action` leads to from `state`, or None when it is not allowed there."""
    return RULES[action][1].get(state)


def may(user, action: str, record) -> bool:
    """Whether user may take action on record now (state and role both checked)."""
    if not user.is_authenticated or target_state(action, record.state) is None:
        return False
    if user.is_superuser:
        return True
    role = RULES[action][0]
    if role == roles.SECTION_STAFF:
        return is_section_staff_of(user, record.business.section_id)
    return has_role(user, role)


def may_edit(user, record) -> bool:
    """Content changes: a draft or a returned record, by its own section (or a superuser)."""
    if not user.is_authenticated or record.state not in EDITABLE_STATES:
        return False
    return user.is_superuser or is_section_staff_of(user, record.business.section_id)
