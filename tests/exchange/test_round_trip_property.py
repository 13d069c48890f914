"""Hypothesis: whatever names and text the registers hold — full and half width, kana,
Windows' look-alikes stored as their JIS X 0208 characters, text that looks like a
formula — export → re-import changes nothing, in CSV and in xlsx, for every register
of reviewed records."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consignments.resources import ConsignmentResource
from exchange.spreadsheets import SpreadsheetCSV, SpreadsheetXLSX, read_csv, read_xlsx
from filebook.resources import PersonalInfoFileResource
from linkages.resources import LinkageResource
from notation.jis import to_jis_x_0208
from processing.resources import ProcessingResource
from registry import roles
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    OrganizationFactory,
    PersonalInfoFileFactory,
    ProcessingFactory,
    SectionFactory,
    user_with_role,
)

FULL_WIDTH = "ＡＢＣＤＸａｚ０１９"
HALF_WIDTH = "ABCDXaz019"
KANA = "あがぱゃアガパヴャー"
HALF_WIDTH_KANA = "ｱｶﾞﾊﾟｬｰ"
KANJI = "株式会社練馬区髙橋"
LOOKALIKES = "～－∥￠￡￢"  # stored as 〜 − ‖ ¢ £ ¬ (notation.jis)
FORMULA = "=+-@'＝＋－＠"
SPACES = " 　"

NAME_CHARS = FULL_WIDTH + HALF_WIDTH + KANA + HALF_WIDTH_KANA + KANJI + LOOKALIKES + FORMULA


def stored(text: str) -> str:
    """Text as the services store it."""
    return to_jis_x_0208(text).strip()


# A name is one list entry: no separators or brackets (名称（住所）) inside it.
names = st.text(st.sampled_from(NAME_CHARS + SPACES), min_size=1, max_size=16).map(stored)
names = names.filter(bool)
# Free text may also start with a formula character or hold a list separator.
texts = st.builds(
    lambda start, rest: stored(start + rest),
    st.sampled_from([*FORMULA, "\t", ""]),
    st.text(st.sampled_from(NAME_CHARS + SPACES + "、（）\n"), min_size=1, max_size=24),
).filter(bool)

RESOURCES = [ConsignmentResource, LinkageResource, ProcessingResource, PersonalInfoFileResource]


def reimported(resource_class, data: bytes, file_format: str, user):
    dataset = read_xlsx(data) if file_format == "xlsx" else read_csv(data)
    return resource_class(user=user).import_data(dataset)


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    contractor=names,
    partner=names,
    text=texts,
    title=names,
    state=st.sampled_from(State.values),
)
def test_any_text_round_trips_unchanged(contractor, partner, text, title, state):
    # One example's records are rolled back before the next.
    with transaction.atomic():
        section = SectionFactory()
        staff = user_with_role(roles.SECTION_STAFF, section)
        business = BusinessFactory(section=section)
        consignment = ConsignmentFactory(
            business=business, state=state, contractor_type=title, content=text, manager=text
        )
        consignment.contractors.set(
            [OrganizationFactory(name=contractor, address=f"委託先 {partner}")]
        )
        LinkageFactory(
            business=business,
            state=state,
            partner=OrganizationFactory(name=partner, address=f"結合先 {title}"),
            purpose=text,
        )
        processing = ProcessingFactory(business=business, state=state, subject=title, reason=text)
        processing.changes.update(text=text.replace("\n", " "))
        PersonalInfoFileFactory(business=business, state=state, name=title, purpose=text)

        for resource_class in RESOURCES:
            before = resource_class().export()
            for file_format, data in (
                ("xlsx", SpreadsheetXLSX().export_data(before)),
                ("csv", SpreadsheetCSV().export_data(before)),
            ):
                result = reimported(resource_class, data, file_format, staff)
                errors = [
                    m for r in result.invalid_rows for ms in r.error_dict.values() for m in ms
                ]
                assert not errors and not result.has_errors(), (resource_class.__name__, errors)
                assert result.totals["skip"] == 1, (resource_class.__name__, dict(result.totals))
                assert resource_class().export().dict == before.dict
        transaction.set_rollback(True)
