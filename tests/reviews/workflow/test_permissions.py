"""The permission matrix: every role against every staff page, workflow action and admin
page, for the user's own section, another section, and approved records.

anonymous → login redirect; wrong role or section → 403 / 404; right role → 200 / 302,
and the side effect (or its absence) is checked, not only the status."""

import pytest
from django.urls import reverse

from consignments.models import Consignment
from linkages.models import Linkage
from registry import roles
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    PreApprovalCategoryFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "own_staff", "other_staff", "reviewer", "clerk", "superuser"]
KINDS = {
    "consignments": (Consignment, ConsignmentFactory, "consignment"),
    "linkages": (Linkage, LinkageFactory, "linkage"),
}


@pytest.fixture
def world():
    own, other = SectionFactory(name="収納課"), SectionFactory(name="税務課")
    users = {
        "no_role": user_with_role(None),
        "own_staff": user_with_role(roles.SECTION_STAFF, own),
        "other_staff": user_with_role(roles.SECTION_STAFF, other),
        "reviewer": user_with_role(roles.REVIEWER),
        "clerk": user_with_role(roles.CLERK),
        "superuser": user_with_role(None, is_superuser=True, is_staff=True),
    }
    return {"own": own, "other": other, "users": users}


def records(world, kind: str) -> dict:
    _, factory, _ = KINDS[kind]
    own_business = BusinessFactory(section=world["own"])
    return {
        "draft": factory(business=own_business, state=State.DRAFT),
        "submitted": factory(business=own_business, state=State.SUBMITTED),
        "approved": factory(business=own_business, state=State.APPROVED),
        "other_draft": factory(business=BusinessFactory(section=world["other"]), state="draft"),
    }


def client_for(client, world, role: str):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def assert_login_redirect(response, login_url="/accounts/login/"):
    assert response.status_code == 302
    assert response["Location"].startswith(login_url)


# (page, record key or None) → expected status per role, in ROLES order.
PAGES = {
    ("dashboard", None): [302, 200, 200, 200, 200, 200, 200],
    ("list", None): [302, 200, 200, 200, 200, 200, 200],
    ("new", None): [302, 403, 200, 200, 403, 403, 200],
    ("detail", "draft"): [302, 404, 200, 404, 200, 200, 200],
    ("detail", "approved"): [302, 404, 200, 404, 200, 200, 200],
    ("detail", "other_draft"): [302, 404, 404, 200, 200, 200, 200],
    ("edit", "draft"): [302, 404, 200, 404, 403, 403, 200],
    ("edit", "submitted"): [302, 404, 403, 404, 403, 403, 403],
    ("edit", "approved"): [302, 404, 403, 404, 403, 403, 403],
    ("edit", "other_draft"): [302, 404, 404, 200, 403, 403, 200],
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("page", "key"), PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_it_enforces_the_page_matrix(client, world, kind, page, key, role):
    record = records(world, kind)[key] if key else None
    if page == "dashboard":
        url = reverse("dashboard")
    elif record is None:
        url = reverse(f"{kind}:{page}")
    else:
        url = reverse(f"{kind}:{page}", args=[record.pk])
    response = client_for(client, world, role).get(url)
    expected = PAGES[(page, key)][ROLES.index(role)]
    if expected == 302:
        assert_login_redirect(response)
    else:
        assert response.status_code == expected
    if expected == 200 and page == "edit":
        # The form is the record's, with the version it was loaded at.
        assert f'name="loaded_version" value="{record.lock_version}"' in response.content.decode()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_it_lists_only_the_records_a_role_may_see(client, world, kind, role):
    model, _, _ = KINDS[kind]
    made = records(world, kind)
    response = client_for(client, world, role).get(reverse(f"{kind}:list"))
    if role == "anonymous":
        assert_login_redirect(response)
        return
    listed = {record.pk for record in response.context["page"]}
    own = {made[k].pk for k in ("draft", "submitted", "approved")}
    expected = {
        "no_role": set(),
        "own_staff": own,
        "other_staff": {made["other_draft"].pk},
        "reviewer": own | {made["other_draft"].pk},
        "clerk": own | {made["other_draft"].pk},
        "superuser": own | {made["other_draft"].pk},
    }[role]
    assert listed == expected
    assert set(model.objects.visible_to(world["users"][role]).values_list("pk", flat=True)) == (
        expected
    )


# (action, record key) → (status per role, whether the record changes state for them)
ACTIONS = {
    ("submit", "draft"): [302, 404, 302, 404, 403, 403, 302],
    ("submit", "approved"): [302, 404, 302, 404, 302, 302, 302],
    ("submit", "other_draft"): [302, 404, 404, 302, 403, 403, 302],
    ("amend", "approved"): [302, 404, 302, 404, 403, 403, 302],
    ("amend", "other_draft"): [302, 404, 404, 302, 302, 302, 302],
}
CHANGES = {
    ("submit", "draft"): {"own_staff", "superuser"},
    ("submit", "approved"): set(),
    ("submit", "other_draft"): {"other_staff", "superuser"},
    ("amend", "approved"): {"own_staff", "superuser"},
    ("amend", "other_draft"): set(),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("action", "key"), ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_it_enforces_the_action_matrix(client, world, kind, action, key, role):
    model, _, _ = KINDS[kind]
    record = records(world, kind)[key]
    count_before = model.objects.count()
    response = client_for(client, world, role).post(reverse(f"{kind}:{action}", args=[record.pk]))
    expected = ACTIONS[(action, key)][ROLES.index(role)]
    if role == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == expected
    changed = role in CHANGES[(action, key)]
    before_state = record.state
    record.refresh_from_db()
    if action == "submit":
        assert (record.state != before_state) is changed
        assert record.transitions.exists() is changed
    else:
        assert (model.objects.count() == count_before + 1) is changed
        assert record.state == before_state


def test_it_refuses_get_on_actions(client, world):
    record = records(world, "consignments")["draft"]
    client.force_login(world["users"]["own_staff"])
    response = client.get(reverse("consignments:submit", args=[record.pk]))
    assert response.status_code == 405
    record.refresh_from_db()
    assert record.state == State.DRAFT


def test_staff_cannot_file_a_record_for_another_sections_business(client, world):
    other_business = BusinessFactory(section=world["other"])
    client.force_login(world["users"]["own_staff"])
    response = client.post(
        reverse("consignments:new"),
        {
            "business": other_business.pk,
            "contractor_type": "収納代行事業者",
            "content": "・送信する。",
            "period_kind": "ongoing",
            "period_start": "令和8年4月1日",
            "manager": "収納課長",
            "effective_from": "令和8年4月1日",
        },
    )
    assert response.status_code == 200
    assert "business" in response.context["form"].errors
    assert not Consignment.objects.filter(business=other_business).exists()


ADMIN_ROLES = {
    "anonymous": 302,
    "no_role": 302,
    "own_staff": 302,
    "other_staff": 302,
    "reviewer": 200,
    "clerk": 200,
    "superuser": 200,
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_only_for_reviewers_clerks_and_superusers(client, world, kind, role):
    _, _, name = KINDS[kind]
    made = records(world, kind)
    if role in ("own_staff", "other_staff"):
        # Even a section user wrongly given staff status stays out of the admin.
        world["users"][role].is_staff = True
        world["users"][role].save()
    c = client_for(client, world, role)
    for url in [
        reverse("admin:index"),
        reverse(f"admin:{kind}_{name}_changelist"),
        reverse(f"admin:{kind}_{name}_change", args=[made["draft"].pk]),
        reverse(f"admin:{kind}_{name}_history", args=[made["draft"].pk]),
    ]:
        response = c.get(url)
        if ADMIN_ROLES[role] == 302:
            assert_login_redirect(response, "/admin/login/")
        else:
            assert response.status_code == 200, url


# admin workflow step → status per role among reviewer, clerk, superuser
ADMIN_STEPS = {
    ("approve", "submitted"): {"reviewer": 200, "clerk": 403, "superuser": 200},
    ("return", "submitted"): {"reviewer": 200, "clerk": 403, "superuser": 200},
    ("retire", "approved"): {"reviewer": 200, "clerk": 403, "superuser": 200},
    ("approve", "draft"): {"reviewer": 403, "clerk": 403, "superuser": 403},
    ("approve", "approved"): {"reviewer": 403, "clerk": 403, "superuser": 403},
    ("retire", "submitted"): {"reviewer": 403, "clerk": 403, "superuser": 403},
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("step", "key"), ADMIN_STEPS)
@pytest.mark.parametrize("role", ["reviewer", "clerk", "superuser"])
def test_it_enforces_the_admin_workflow_steps(client, world, kind, step, key, role):
    _, _, name = KINDS[kind]
    record = records(world, kind)[key]
    url = reverse(f"admin:{kind}_{name}_{step}", args=[record.pk])
    c = client_for(client, world, role)
    assert c.get(url).status_code == ADMIN_STEPS[(step, key)][role]
    post = {
        "approve": {"basis": "category", "category": PreApprovalCategoryFactory().pk},
        "return": {"comment": "記載を補ってください。"},
        "retire": {"retired_on": "令和9年3月31日"},
    }[step]
    response = c.post(url, post)
    record.refresh_from_db()
    if ADMIN_STEPS[(step, key)][role] == 200:
        assert response.status_code == 302
        assert (
            record.state
            == {
                "approve": State.APPROVED,
                "return": State.RETURNED,
                "retire": State.RETIRED,
            }[step]
        )
        assert record.transitions.get().actor == world["users"][role]
    else:
        assert response.status_code == 403
        assert record.state == key.replace("other_", "")
        assert not record.transitions.exists()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key", ["submitted", "approved"])
def test_nobody_edits_a_record_in_the_admin_once_it_left_the_section(client, world, kind, key):
    _, _, name = KINDS[kind]
    record = records(world, kind)[key]
    for role in ("reviewer", "superuser"):
        client.force_login(world["users"][role])
        url = reverse(f"admin:{kind}_{name}_change", args=[record.pk])
        page = client.get(url).content.decode()
        assert 'name="_save"' not in page
        response = client.post(url, {"manager": "書き換え"})
        assert response.status_code == 403
        record.refresh_from_db()
        assert record.manager != "書き換え"


def test_the_reviewer_queue_filter_shows_only_waiting_records(client, world):
    made = records(world, "consignments")
    client.force_login(world["users"]["reviewer"])
    response = client.get(
        reverse("admin:consignments_consignment_changelist"), {"queue": "waiting"}
    )
    assert [r.pk for r in response.context["cl"].result_list] == [made["submitted"].pk]


def test_the_dashboard_counts_the_queue_for_reviewers_only(client, world):
    records(world, "consignments")
    records(world, "linkages")
    client.force_login(world["users"]["reviewer"])
    page = client.get(reverse("dashboard"))
    assert page.context["queue_size"] == 2
    assert "?queue=waiting" in page.content.decode()
    client.force_login(world["users"]["own_staff"])
    page = client.get(reverse("dashboard"))
    assert page.context["queue_size"] is None
    assert "?queue=waiting" not in page.content.decode()
    draft_counts = {state: n for state, _, n in page.context["form2"]["counts"]}
    assert draft_counts["draft"] == 1 and draft_counts["approved"] == 1
