import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


def test_it_leaves_existing_demo_users_alone(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("loaddemo", verbosity=0)
    shuno = get_user_model().objects.get(username="shuno")
    shuno.set_password("shuno-own-password-77")
    shuno.save()
    call_command("loaddemo", verbosity=0)
    shuno.refresh_from_db()
    assert shuno.check_password("shuno-own-password-77")
    assert get_user_model().objects.filter(username__in=["shuno", "zeimu", "admin"]).count() == 3


def test_it_refuses_a_weak_demo_password(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("loaddemo", verbosity=0)
    assert not get_user_model().objects.exists()


def test_zeimu_gets_a_business_once_and_can_create_records(db, monkeypatch, client):
    from django.urls import reverse

    from registry.models import Business

    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("loaddemo", verbosity=0)
    call_command("loaddemo", verbosity=0)
    zeimu = get_user_model().objects.get(username="zeimu")
    [business] = Business.objects.filter(section=zeimu.staff_member.section)
    assert business.number == "0403-01"
    assert business.history.get().history_user.username == "admin"
    client.force_login(zeimu)
    page = client.get(reverse("consignments:new")).content.decode()
    assert "0403-01" in page


def test_demo_sections_and_memberships_are_written_with_history(db, monkeypatch):
    from registry.models import Section, StaffMember

    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("loaddemo", verbosity=0)
    admin = get_user_model().objects.get(username="admin")
    member = StaffMember.objects.get(user__username="zeimu")
    assert member.section == Section.objects.get(department="新宿区 総務部", name="税務課")
    assert member.history.get().history_user == admin
    assert member.section.history.get().history_user == admin


def test_zeimu_works_in_the_seeds_shinjuku_section(seed, monkeypatch):
    from processing.models import Processing
    from registry.access import section_of

    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("loaddemo", verbosity=0)
    zeimu = get_user_model().objects.get(username="zeimu")
    assert section_of(zeimu) == Processing.objects.get(pk=1).business.section
