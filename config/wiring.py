"""Every extension point, filled in this one place.

The lower layers declare extension points and import none of the apps that fill them;
this module, on top of every app, lists what fills each one. `connect()` runs once, from
the admin app's config (config.apps), after every app's models are loaded: which code
runs never depends on the order of INSTALLED_APPS. To add a record type, a printable
form or a listener, add it to the lists below (docs: adding a record type).
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.db.models.signals import post_migrate

from config.cache import cache_tables_create
from consignments.models import Consignment
from consignments.pdf import FORM2
from disclosure import suggestions
from disclosure.pdf import DECISION_NOTICE, EXTENSION_NOTICE
from exchange.writing import data_version_register
from filebook.checks import check_files
from filebook.models import PersonalInfoFile
from filebook.pdf import FILEBOOK
from filebook.suggestions import file_suggestions
from incidents import admin as incidents_admin
from incidents.models import Incident
from incidents.notices import incident_reminders_send, pending_incident_items
from incidents.pdf import INCIDENT_REPORT
from incidents.summary import annual_summary_part
from linkages.models import Linkage
from linkages.pdf import FORM5
from notation.jis import refuse_control_characters
from notation.people import person_name
from notifications.pending import register_pending
from notifications.services import register_reminder
from notifications.tasks import enqueue_transition_notices
from payments import admin as payments_admin
from payments import figures
from payments.rules import register_rule
from printing import kinds
from processing.pdf import PROCESSING
from publication.summary import register_part
from registry import changes, citations
from registry.roles import sync_roles
from reviews.committee.gate import waiting_decision
from reviews.committee.pdf import AGENDA
from reviews.council.pdf import ANSWER, REPORT
from reviews.figures import (
    register_record_figures,
    register_records_figures,
    register_report_item_figures,
)
from reviews.workflow.admin import add_panel, add_save_warnings
from reviews.workflow.events import on_transition
from reviews.workflow.gates import register_gate
from reviews.workflow.models import ReviewedRecord

# printing.kinds: the forms the print command, the batch jobs and the admin print by name.
PRINTABLE_KINDS = [
    FORM2,
    FORM5,
    PROCESSING,
    FILEBOOK,
    REPORT,
    ANSWER,
    AGENDA,
    DECISION_NOTICE,
    EXTENSION_NOTICE,
    INCIDENT_REPORT,
]

# payments.rules: checks over the data flows beyond payments' own.
FLOW_RULES = [check_files]

# disclosure.suggestions: what tells the 窓口 which sections hold what a request names.
DISCLOSURE_SUGGESTIONS = [file_suggestions]

# reviews.figures: the diagrams (委託構成図) payments draws for the council's report,
# the record pages and the committee's packet.
REPORT_ITEM_FIGURES = [figures.report_item_figures]
RECORD_FIGURES = [figures.record_figures]
RECORDS_FIGURES = [figures.records_figures]

# reviews.workflow.events: who hears of a review step once it commits.
TRANSITION_LISTENERS = [enqueue_transition_notices]

# reviews.workflow.gates: what holds a reviewer's approval back.
APPROVAL_GATES = [waiting_decision]

# reviews.workflow.admin: what other apps add to a record type's admin page.
RECORD_ADMIN_PANELS = [
    (Linkage, payments_admin.LINKAGE_FLOWS),
    (Consignment, incidents_admin.CONSIGNMENT_INCIDENTS),
    (PersonalInfoFile, incidents_admin.FILE_INCIDENTS),
]
RECORD_ADMIN_SAVE_WARNINGS = [
    (Linkage, payments_admin.linkage_flow_warnings),
    (Consignment, payments_admin.consignment_flow_warnings),
]

# notifications: what else waits on the dashboard and is reminded of by mail.
PENDING_PROVIDERS = [pending_incident_items]
REMINDERS = [incident_reminders_send]

# publication.summary: what else the annual summary counts.
SUMMARY_PARTS = [annual_summary_part]


def citing_models() -> list[type[Model]]:
    """registry.citations: a register's admin page lists the records citing its rows;
    every reviewed record type cites a business, an incident its section, businesses
    and contractors."""
    reviewed = [model for model in apps.get_models() if issubclass(model, ReviewedRecord)]
    return [*reviewed, Incident]


def project_models() -> list:
    """notation.jis: the models of the project's own apps (not the libraries'), whose
    every text field refuses control characters."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_config.path.startswith(str(settings.BASE_DIR))
        and "site-packages" not in model._meta.app_config.path
    ]


def connect() -> None:
    refuse_control_characters(project_models())
    # Django's User names itself by its login name, and every admin column, filter,
    # read-only field, autocomplete and greeting shows a person through str(): there it
    # is the person's name (姓 名), as on every other page.
    get_user_model().__str__ = person_name
    for kind in PRINTABLE_KINDS:
        kinds.register(kind)
    for rule in FLOW_RULES:
        register_rule(rule)
    for provider in DISCLOSURE_SUGGESTIONS:
        suggestions.register(provider)
    for provider in REPORT_ITEM_FIGURES:
        register_report_item_figures(provider)
    for provider in RECORD_FIGURES:
        register_record_figures(provider)
    for provider in RECORDS_FIGURES:
        register_records_figures(provider)
    for listener in TRANSITION_LISTENERS:
        on_transition(listener)
    for gate in APPROVAL_GATES:
        register_gate(gate)
    for model, panel in RECORD_ADMIN_PANELS:
        add_panel(model, panel)
    for model, warnings in RECORD_ADMIN_SAVE_WARNINGS:
        add_save_warnings(model, warnings)
    for provider in PENDING_PROVIDERS:
        register_pending(provider)
    for reminder in REMINDERS:
        register_reminder(reminder)
    for part in SUMMARY_PARTS:
        register_part(part)
    for model in citing_models():
        citations.register(model)
    # registry.changes: every audited write raises the change stamp.
    changes.connect()
    # exchange.writing: an export of unchanged data reuses the file written before.
    data_version_register(changes.change_stamp)
    # registry.roles: permissions only exist once every app has migrated.
    post_migrate.connect(sync_roles, dispatch_uid="registry.sync_roles")
    # config.cache: the shared cache's table, once per migrate (sent for config's own app).
    post_migrate.connect(
        cache_tables_create, sender=apps.get_app_config("admin"), dispatch_uid="config.cache"
    )
