"""Logins: repeated failures lock the user name out from that address, every attempt is
recorded, and passwords must be long and uncommon."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from config import settings as project_settings

PASSWORD = "correct-horse-2026"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("shuno", password=PASSWORD)


def _login(client, password: str):
    return client.post("/accounts/login/", {"username": "shuno", "password": password})


def test_it_locks_the_user_out_after_repeated_failures(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "wrong-password").status_code == 200
    # The failure that reaches the limit is answered with the lockout page.
    assert _login(client, "wrong-password").status_code == 429
    response = _login(client, PASSWORD)
    # Even the right password is refused while the lockout lasts.
    assert response.status_code == 429
    assert "ログインを一時停止しました" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="shuno").failures_since_start >= 5


def test_it_locks_out_the_admin_login_too(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "shuno", "password": "nope"})
    response = client.post("/admin/login/", {"username": "shuno", "password": PASSWORD})
    assert response.status_code == 429


def test_it_records_failed_and_successful_logins(client, user):
    _login(client, "wrong-password")
    assert AccessFailureLog.objects.filter(username="shuno").count() == 1
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert AccessLog.objects.filter(username="shuno").count() == 1
    # A success clears the failure count, so a typo a week ago does not count.
    assert not AccessAttempt.objects.filter(username="shuno").exists()


@pytest.mark.parametrize("weak", ["12345678", "password", "password1234", "shuno-shuno1"])
def test_it_refuses_weak_passwords(weak, django_user_model):
    user = django_user_model(username="shuno-shuno1")
    with pytest.raises(ValidationError):
        validate_password(weak, user)


@pytest.mark.parametrize("weak", ["passwordpassword", "shuno2026shuno", "abcdabcdabcdabcd"])
def test_it_refuses_repetitions_and_the_user_s_names_in_japanese(weak, django_user_model):
    """Long enough for the length rule, but guessed in hours or less (zxcvbn)."""
    with pytest.raises(ValidationError) as refused:
        validate_password(weak, django_user_model(username="shuno", last_name="収納"))
    assert "パスワードが推測しやすすぎます" in " ".join(refused.value.messages)


def test_it_accepts_a_long_uncommon_password():
    validate_password("kuminbu-shuno-2026-haru")


def test_it_hashes_new_passwords_with_argon2(settings):
    # Tests use a fast hasher; put the project's own list back for this one.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    encoded = make_password("kuminbu-shuno-2026")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in encoded


def test_a_password_hashed_at_django_s_default_cost_still_logs_in_and_is_redone(
    settings, client, django_user_model
):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = django_user_model.objects.create(username="furui-hash")
    user.password = Argon2PasswordHasher().encode("kuminbu-shuno-2026", "saltsaltsalt1234")
    user.save()
    assert "m=102400" in user.password
    response = client.post(
        "/accounts/login/", {"username": "furui-hash", "password": "kuminbu-shuno-2026"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(
    client, user, settings
):
    """Behind the proxy every request comes from its address; the lockout must still be
    per client address, or anyone could lock any account out."""
    settings.TRUSTED_PROXIES = 1
    attacker = {"HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "shuno", "password": "nope"}, **attacker)
    locked = client.post(
        "/accounts/login/", {"username": "shuno", "password": PASSWORD}, **attacker
    )
    assert locked.status_code == 429
    owner = client.post(
        "/accounts/login/",
        {"username": "shuno", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert owner.status_code == 302
