"""A page part the same for everyone (the public register) is kept in the shared cache
as well as in each process's memory: built once for every process, and rebuilt after
any change like every part kept under the change stamp."""

import pytest
from django.core.cache import cache

from registry.changes import cached_for_everyone
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_shared_part_is_built_once_for_every_process():
    built = []

    def build():
        built.append(1)
        return len(built)

    assert cached_for_everyone("shared-part", 1, build=build) == 1
    cache.clear()  # another process: nothing in its own memory
    assert cached_for_everyone("shared-part", 1, build=build) == 1
    assert built == [1]
    OrganizationFactory()
    assert cached_for_everyone("shared-part", 1, build=build) == 2
