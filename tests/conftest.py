import pytest
from django.core.management import call_command


@pytest.fixture
def seed(db):
    """The Nerima seed, loaded as `make run` loads it."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The permission matrix logs in hundreds of users; PBKDF2 would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
