"""Every extension point is filled in config.wiring and nowhere else, and what the apps
define reaches it: a line dropped from the wiring fails here."""

import importlib
import pkgutil
from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models.signals import post_migrate
from simple_history.signals import post_create_historical_record

from config import wiring
from consignments.models import Consignment
from filebook.checks import check_files
from filebook.models import PersonalInfoFile
from incidents import admin as incidents_admin
from incidents.notices import incident_reminders_send, pending_incident_items
from incidents.summary import annual_summary_part
from linkages.models import Linkage
from notifications import pending as notification_pending
from notifications import services as notification_services
from notifications.tasks import enqueue_transition_notices
from payments import admin as payments_admin
from payments import figures, rules
from printing import kinds
from printing.kinds import PrintableKind
from publication import summary as publication_summary
from registry import citations
from reviews import figures as review_figures
from reviews.committee.gate import waiting_decision
from reviews.workflow import admin as record_admin
from reviews.workflow import events, gates
from reviews.workflow.models import ReviewedRecord


def _project_apps() -> list[AppConfig]:
    base = Path(settings.BASE_DIR)
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base) and ".venv" not in Path(config.path).parts
    ]


def _defined_kinds() -> set[str]:
    """Every PrintableKind an app's pdf module (at any depth) defines."""
    names = set()
    for config in _project_apps():
        package = importlib.import_module(config.name)
        for info in pkgutil.walk_packages(package.__path__, f"{config.name}."):
            if info.name.rsplit(".", 1)[-1] == "pdf":
                module = importlib.import_module(info.name)
                names |= {v.name for v in vars(module).values() if isinstance(v, PrintableKind)}
    return names


def _reviewed_models() -> list[type[ReviewedRecord]]:
    return [m for m in apps.get_models() if issubclass(m, ReviewedRecord)]


def test_no_app_registers_anything_in_its_ready():
    """Which code runs must not depend on INSTALLED_APPS order: only config's own entry
    (the admin's config) has a ready(), and it calls the wiring."""
    assert [config.label for config in _project_apps() if "ready" in vars(type(config))] == []
    assert "ready" in vars(type(apps.get_app_config("admin")))


def test_every_printable_kind_an_app_defines_is_registered():
    defined = _defined_kinds()
    assert {"form2", "form5", "processing", "filebook", "report", "answer", "agenda"} <= defined
    assert set(kinds.names()) == defined


def test_every_record_type_prints_and_is_cited():
    printed = {kinds.get(name).queryset().model for name in kinds.names()}
    for model in _reviewed_models():
        assert model in printed, model
        assert model in citations._citing_models, model


def test_the_listeners_rules_figures_and_gate_are_connected():
    assert events._listeners == [enqueue_transition_notices]
    assert gates._gates == [waiting_decision]
    assert check_files in rules._registered_rules
    assert review_figures._report_item_providers == [figures.report_item_figures]
    assert review_figures._record_providers == [figures.record_figures]
    assert review_figures._records_providers == [figures.records_figures]


def test_incidents_add_their_dashboard_items_reminders_and_summary():
    assert notification_pending._providers == [pending_incident_items]
    assert notification_services._reminders == [incident_reminders_send]
    assert publication_summary._parts == [annual_summary_part]


def test_payments_and_incidents_add_their_panels_and_warnings_to_the_record_admins():
    assert record_admin._panels == {
        Linkage: [payments_admin.LINKAGE_FLOWS],
        Consignment: [incidents_admin.CONSIGNMENT_INCIDENTS],
        PersonalInfoFile: [incidents_admin.FILE_INCIDENTS],
    }
    assert record_admin._save_warnings == {
        Linkage: [payments_admin.linkage_flow_warnings],
        Consignment: [payments_admin.consignment_flow_warnings],
    }


def test_the_change_stamp_and_the_roles_are_connected():
    def uids(signal) -> set[str]:
        return {key[0] for key, *_ in signal.receivers}

    assert "registry.changes.history" in uids(post_create_historical_record)
    assert "registry.sync_roles" in uids(post_migrate)


def test_the_registries_hold_what_the_wiring_lists():
    assert [kinds.get(kind.name) for kind in wiring.PRINTABLE_KINDS] == wiring.PRINTABLE_KINDS
    assert set(wiring.FLOW_RULES) <= set(rules._registered_rules)
    assert events._listeners == wiring.TRANSITION_LISTENERS
    assert gates._gates == wiring.APPROVAL_GATES
    assert citations._citing_models == wiring.citing_models()


def test_connecting_twice_registers_nothing_twice():
    before = (list(events._listeners), list(rules._registered_rules), kinds.names())
    wiring.connect()
    assert (events._listeners, rules._registered_rules, kinds.names()) == before
