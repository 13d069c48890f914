import pytest
from django.core.exceptions import ValidationError

from tests.factories import BusinessFactory


@pytest.mark.django_db
def test_it_accepts_nerimas_registration_number_pattern():
    BusinessFactory.build(number="0404-01", section=BusinessFactory().section).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["404-01", "0404_01", "0404-011", "０４０４-０１", ""])
def test_it_refuses_a_number_outside_the_pattern(number):
    business = BusinessFactory.build(number=number, section=BusinessFactory().section)
    with pytest.raises(ValidationError) as error:
        business.full_clean()
    assert "number" in error.value.message_dict


@pytest.mark.django_db
def test_it_follows_the_pattern_in_settings(settings):
    settings.BUSINESS_NUMBER_PATTERN = r"^[A-Z]\d{3}$"
    settings.BUSINESS_NUMBER_EXAMPLE = "A123"
    section = BusinessFactory().section
    BusinessFactory.build(number="A123", section=section).full_clean()
    with pytest.raises(ValidationError) as error:
        BusinessFactory.build(number="0404-01", section=section).full_clean()
    assert "例: A123" in error.value.message_dict["number"][0]
