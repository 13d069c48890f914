"""Who hears of a review step. The listeners of apps above the workflow (notifications)
are registered by config.wiring, the one place every extension point is filled; the
workflow imports none of them. Listeners run once the step's transaction has committed,
so a step that is rolled back tells nobody."""

from collections.abc import Callable

from django.db import transaction

from reviews.workflow.models import Transition

TransitionListener = Callable[[Transition], None]

_listeners: list[TransitionListener] = []


def on_transition(listener: TransitionListener) -> None:
    """`listener(transition)` runs after each recorded step commits."""
    if listener not in _listeners:
        _listeners.append(listener)


def transition_recorded(transition: Transition) -> None:
    def tell() -> None:
        for listener in _listeners:
            listener(transition)

    # robust: a listener that fails (the task queue unreachable) is logged; the step,
    # already committed, stands and the user sees it done.
    transaction.on_commit(tell, robust=True)
