"""The section dashboard at `/`: it spans Form 2 and Form 5, so it lives above the apps."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.middleware import session_renew
from consignments.models import Consignment
from disclosure.models import DisclosureRequest
from linkages.models import Linkage
from notifications.models import Notice
from notifications.pending import pending_items
from registry.access import may_use_admin
from reviews.workflow.states import EDITABLE_STATES, UNDER_REVIEW_STATES, State

RECENT = 10


def _summary(model, user, related: tuple[str, ...]) -> dict:
    records = model.objects.visible_to(user)
    # Counted under what each version is today (reviews.workflow.standing), so a
    # superseded version still in force counts as approved, as its page reads.
    counts = dict(records.with_bucket().values_list("bucket").annotate(n=Count("pk")).order_by())
    return {
        "counts": [(state, label, counts.get(state, 0)) for state, label in State.choices],
        # A version under review counts under its own state (its bucket).
        "under_review": sum(counts.get(state, 0) for state in UNDER_REVIEW_STATES),
        "to_do": records.filter(state__in=EDITABLE_STATES)
        .select_related(*related)
        .order_by("-pk")[:RECENT],
        "in_review": records.filter(state__in=UNDER_REVIEW_STATES)
        .select_related(*related)
        .order_by("-pk")[:RECENT],
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form2 = _summary(Consignment, request.user, ("business",))
    form5 = _summary(Linkage, request.user, ("business", "partner"))
    return render(
        request,
        "dashboard.html",
        {
            "form2": form2,
            "form5": form5,
            "pending": pending_items(request.user),
            "notices": Notice.objects.for_user(request.user)[:RECENT],
            "disclosure_overdue": len(
                DisclosureRequest.objects.visible_to(request.user).overdue(
                    today=timezone.localdate()
                )
            ),
            # Whoever may use the admin sees every section, so the counts above are the
            # whole queue's: no second count of the tables.
            "queue_size": (
                form2["under_review"] + form5["under_review"]
                if may_use_admin(request.user)
                else None
            ),
        },
    )


@never_cache
@require_POST
@login_required
def keepalive(request: HttpRequest) -> HttpResponse:
    """「ログインを続ける」: the session is renewed now, however recently it was."""
    session_renew(request.session)
    return HttpResponse(status=204)
