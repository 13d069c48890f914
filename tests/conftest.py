import pytest
from django.core.management import call_command


@pytest.fixture
def seed(db):
    """The Nerima seed, loaded as `make run` loads it."""
    call_command("loaddata", "seed", verbosity=0)
