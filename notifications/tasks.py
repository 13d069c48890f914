"""Notices are sent by the task worker (`manage.py worker`), never in the request
that took the step: a slow or failing mail server does not hold up the user."""

from django_tasks import task

from notifications.services import notices_for_transition, reminders_send
from reviews.workflow.models import Transition
from reviews.workflow.states import Action

NOTIFIED_ACTIONS = {Action.SUBMIT, Action.RETURN, Action.APPROVE}


@task()
def send_transition_notices(transition_id: int) -> int:
    transition = Transition.objects.select_related("actor").get(pk=transition_id)
    return notices_for_transition(transition=transition)


@task()
def send_reminders() -> int:
    return reminders_send()


def enqueue_transition_notices(transition: Transition) -> None:
    """The workflow's listener (reviews.workflow.events), run after the step commits."""
    if transition.action in NOTIFIED_ACTIONS:
        send_transition_notices.enqueue(transition.pk)
