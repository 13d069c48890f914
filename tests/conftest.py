import logging

import pytest
from django.core.management import call_command


@pytest.fixture
def seed(db):
    """The Nerima seed, loaded as `make run` loads it."""
    call_command("loaddata", "seed", verbosity=0)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def weasyprint_warnings(request):
    """Any warning WeasyPrint logs (bad CSS, a refused fetch, a layout problem) fails the
    test; a test that provokes one on purpose asks for this fixture and clears it."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
    if handler.records:
        pytest.fail(
            "WeasyPrint warned: " + "; ".join(r.getMessage() for r in handler.records),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Print-job files go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The permission matrix logs in hundreds of users; PBKDF2 would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def plain_http():
    """Tests speak plain HTTP to the test client and the live server; production settings
    redirect to HTTPS and mark cookies Secure (tests/config/test_deploy.py checks those).
    Session-wide and first, because the live server reads them when it starts."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
