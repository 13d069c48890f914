"""The people most workflow tests start from: a section, its staff and a reviewer."""

import pytest

from registry import roles
from tests.factories import SectionFactory, user_with_role


@pytest.fixture
def section():
    return SectionFactory()


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section)


@pytest.fixture
def reviewer():
    return user_with_role(roles.REVIEWER)
