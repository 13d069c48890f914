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


def test_zeimu_works_in_the_seeds_shinjuku_section(seed, monkeypatch):
    from processing.models import Processing
    from registry.access import section_of

    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("loaddemo", verbosity=0)
    zeimu = get_user_model().objects.get(username="zeimu")
    assert section_of(zeimu) == Processing.objects.get(pk=1).business.section
