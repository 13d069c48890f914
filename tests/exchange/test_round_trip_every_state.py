"""Export → re-import changes nothing, for every register of reviewed records and a
record in every state, by each way in: section staff on their pages, a clerk in the
admin, and `manage.py export` / `manage.py import`. The shared and council registers'
round trip is test_round_trip.py."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from consignments.resources import ConsignmentResource
from exchange.models import ImportRecord
from filebook.resources import PersonalInfoFileResource
from linkages.resources import LinkageResource
from processing.resources import ProcessingResource
from registry import roles
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    PersonalInfoFileFactory,
    ProcessingFactory,
    SectionFactory,
    UserFactory,
    user_with_role,
)

# (resource, factory, staff pages' namespace, one record's distinguishing field)
REGISTERS = [
    (ConsignmentResource, ConsignmentFactory, "consignments", "contractor_type"),
    (LinkageResource, LinkageFactory, "linkages", None),
    (ProcessingResource, ProcessingFactory, "processing", "subject"),
    (PersonalInfoFileResource, PersonalInfoFileFactory, "filebook", "name"),
]
IDS = [register[0].__name__ for register in REGISTERS]


@pytest.fixture
def section(db):
    return SectionFactory()


def every_state(factory, field, section) -> None:
    """One record per state in one section, an amendment chain included: an approved
    version superseded by the version in force, which an amendment draft replaces."""
    for position, state in enumerate(State.values, start=1):
        kwargs = {"business": BusinessFactory(section=section), "state": state}
        if field:
            kwargs[field] = f"{State(state).label}の記録{position}"
        factory(**kwargs)
    old = factory(
        business=BusinessFactory(section=section),
        state=State.AMENDED,
        effective_from=dt.date(2020, 4, 1),
        effective_until=dt.date(2023, 3, 31),
    )
    # The versions of one record share its key (a Form 5's partner included).
    same = {"business": old.business}
    same.update({field: getattr(old, field)} if field else {"partner": old.partner})
    in_force = factory(**same, state=State.APPROVED, amends=old, effective_from=dt.date(2023, 4, 1))
    factory(**same, state=State.DRAFT, amends=in_force, effective_from=dt.date(2027, 4, 1))


def state_of_the_register(resource_class) -> tuple:
    model = resource_class._meta.model
    return (
        resource_class().export().dict,
        sorted(model.objects.values_list("pk", "lock_version", "state")),
        model.history.count(),
    )


@pytest.mark.parametrize(("resource_class", "factory", "namespace", "field"), REGISTERS, ids=IDS)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_manage_py_export_then_import_changes_nothing(
    tmp_path, section, resource_class, factory, namespace, field, file_format
):
    every_state(factory, field, section)
    staff = user_with_role(roles.SECTION_STAFF, section)
    label = resource_class._meta.model._meta.label
    before = state_of_the_register(resource_class)
    assert len(before[0]) == len(State.values) + 3

    call_command("export", file_format, label, "--user", staff.username, "--out", str(tmp_path))
    [path] = tmp_path.iterdir()
    call_command("import", label, str(path), "--user", staff.username, "--no-input")

    assert state_of_the_register(resource_class) == before


@pytest.mark.parametrize(("resource_class", "factory", "namespace", "field"), REGISTERS, ids=IDS)
def test_the_admins_export_imports_back_in_the_admin_unchanged(
    client, post_to_worker, section, resource_class, factory, namespace, field
):
    every_state(factory, field, section)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    model = resource_class._meta.model
    admin = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    prefix = resource_class.__name__.lower()
    fields = {f"{prefix}_{name}": "on" for name in resource_class().fields}
    before = state_of_the_register(resource_class)

    exported = client.post(reverse(f"{admin}_export"), {"format": "0", "resource": "0", **fields})
    assert exported.status_code == 200
    post_to_worker(
        client,
        reverse(f"{admin}_import"),
        {"format": "0", "import_file": SimpleUploadedFile("台帳.xlsx", exported.content)},
    )
    record = ImportRecord.objects.get()
    assert record.state == ImportRecord.State.PREVIEWED, record.messages
    post_to_worker(client, reverse("admin:exchange_importrecord_run", args=[record.pk]))

    record.refresh_from_db()
    assert (record.state, record.counts) == (ImportRecord.State.DONE, {"skip": len(before[0])})
    assert state_of_the_register(resource_class) == before


@pytest.mark.parametrize(("resource_class", "factory", "namespace", "field"), REGISTERS, ids=IDS)
def test_section_staff_import_their_export_back_unchanged(
    client, post_to_worker, tmp_path, section, resource_class, factory, namespace, field
):
    every_state(factory, field, section)
    staff = user_with_role(roles.SECTION_STAFF, section)
    call_command(
        "export",
        "csv",
        resource_class._meta.model._meta.label,
        "--user",
        staff.username,
        "--out",
        str(tmp_path),
    )
    [path] = tmp_path.iterdir()
    before = state_of_the_register(resource_class)
    client.force_login(staff)

    response = post_to_worker(
        client,
        reverse(f"{namespace}:import"),
        {"import_file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    record = ImportRecord.objects.get()
    assert response["Location"] == reverse(f"{namespace}:import_status", args=[record.pk])
    assert record.state == ImportRecord.State.PREVIEWED, record.messages
    post_to_worker(client, response["Location"])

    record.refresh_from_db()
    assert (record.state, record.counts) == (ImportRecord.State.DONE, {"skip": len(before[0])})
    assert state_of_the_register(resource_class) == before
