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
from registry.access import may_use_admin, role_names, section_id_of
from registry.changes import cached
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
        "to_do": list(
            records.filter(state__in=EDITABLE_STATES)
            .select_related(*related)
            .order_by("-pk")[:RECENT]
        ),
        "in_review": list(
            records.filter(state__in=UNDER_REVIEW_STATES)
            .select_related(*related)
            .order_by("-pk")[:RECENT]
        ),
    }


def _records_part(user, today) -> dict:
    """What the dashboard reads from audited records (Form 2, Form 5, 附帯意見,
    漏えい等事案, 開示請求等): all of it changes only with the change stamp or the day."""
    return {
        "form2": _summary(Consignment, user, ("business",)),
        "form5": _summary(Linkage, user, ("business", "partner")),
        "pending": pending_items(user, today=today),
        "disclosure_overdue": len(DisclosureRequest.objects.visible_to(user).overdue(today=today)),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    # Users of the same section, roles and superuser flag are shown the same records.
    part = cached(
        "dashboard",
        section_id_of(user),
        user.is_superuser,
        *sorted(role_names(user)),
        today,
        build=lambda: _records_part(user, today),
    )
    return render(
        request,
        "dashboard.html",
        {
            **part,
            # Notices are no audited record: read on every view.
            "notices": Notice.objects.for_user(user)[:RECENT],
            # Whoever may use the admin sees every section, so the counts above are the
            # whole queue's: no second count of the tables.
            "queue_size": (
                part["form2"]["under_review"] + part["form5"]["under_review"]
                if may_use_admin(user)
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
