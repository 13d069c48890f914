"""The three roles, as Django groups, and the model permissions each one holds.

Groups are kept in step with this table after every `migrate` (config.wiring, the one
place every extension point is filled, connects `sync_roles` to post_migrate), so a fresh
database and an upgraded one end up the same.
"""

SECTION_STAFF = "所管課職員"
REVIEWER = "審査担当"
CLERK = "事務局"

_VIEW = ("view",)
_EDIT = ("add", "change", "view")
_ALL = ("add", "change", "delete", "view")

# The payment channels, parties and flows are kept by the clerk; everyone reads them.
PAYMENT_MODELS = ("taxtype", "channel", "party", "dataitem", "itemset", "itemsetentry", "flow")

DISCLOSURE_MODELS = ("disclosurerequest", "askedsection", "correction", "decision", "objection")

# {group: {"app.model": actions}}
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    SECTION_STAFF: {
        "registry.section": _VIEW,
        "registry.business": _VIEW,
        "registry.organization": _VIEW,
        "reviews.preapprovalcategory": _VIEW,
        "reviews.categoryexample": _VIEW,
        "reviews.preapprovalreport": _EDIT,
        "reviews.reportitem": _ALL,
        "reviews.obligation": _VIEW,
        "reviews.committeemeeting": _VIEW,
        "reviews.agendaitem": _EDIT,
        "reviews.agendarecord": _ALL,
        "consignments.consignment": _EDIT,
        "linkages.linkage": _EDIT,
        "linkages.linkageitem": _ALL,
        "linkages.protectionmeasure": _VIEW,
        "linkages.linkagemeasure": _ALL,
        "processing.processing": _EDIT,
        "processing.processingchange": _ALL,
        "processing.processingmilestone": _ALL,
        "processing.processingmeasure": _VIEW,
        "processing.processingmeasureanswer": _ALL,
        **{f"payments.{model}": _VIEW for model in PAYMENT_MODELS},
        "filebook.personalinfofile": _EDIT,
        # The section concerned records its incidents (漏えい等事案).
        "incidents.incident": _EDIT,
        # 開示請求等: the sections asked read the request and record their decisions
        # (disclosure.models.RequestQuerySet.visible_to limits which requests).
        "disclosure.disclosurerequest": _VIEW,
        "disclosure.askedsection": _VIEW,
        "disclosure.decision": _EDIT,
    },
    REVIEWER: {
        "registry.section": _VIEW,
        "registry.business": _VIEW,
        "registry.organization": _EDIT,
        "reviews.preapprovalcategory": _VIEW,
        # Reviewers add and correct a category's examples (事例).
        "reviews.categoryexample": _EDIT,
        "reviews.consultation": _VIEW,
        "reviews.answer": _VIEW,
        "reviews.councilmeeting": _VIEW,
        "reviews.obligation": _VIEW,
        # Reports are the section's: reviewers read them and add their examples.
        "reviews.preapprovalreport": _VIEW,
        "reviews.reportitem": _VIEW,
        "reviews.committeemeeting": _VIEW,
        "reviews.agendaitem": _VIEW,
        "reviews.agendarecord": _VIEW,
        "consignments.consignment": ("change", "view"),
        "consignments.recordkind": _VIEW,
        "consignments.condition": _VIEW,
        "consignments.transferform": _VIEW,
        "linkages.linkage": ("change", "view"),
        "linkages.linkageitem": _ALL,
        "linkages.protectionmeasure": _VIEW,
        "linkages.linkagemeasure": _ALL,
        "processing.processing": ("change", "view"),
        "processing.processingchange": _ALL,
        "processing.processingmilestone": _ALL,
        "processing.processingmeasure": _VIEW,
        "processing.processingmeasureanswer": _ALL,
        **{f"payments.{model}": _VIEW for model in PAYMENT_MODELS},
        "filebook.personalinfofile": ("change", "view"),
        "incidents.incident": _VIEW,
    },
    CLERK: {
        "registry.section": _EDIT,
        "registry.business": _EDIT,
        "registry.organization": _EDIT,
        # Who works in which section (and so sees which records).
        "registry.staffmember": _EDIT,
        "reviews.preapprovalcategory": _ALL,
        "reviews.categoryexample": _ALL,
        "reviews.consultation": _ALL,
        "reviews.answer": _ALL,
        "reviews.councilmeeting": _ALL,
        "reviews.obligation": _ALL,
        "reviews.preapprovalreport": _VIEW,
        "reviews.reportitem": _VIEW,
        "reviews.committeemeeting": _ALL,
        "reviews.agendaitem": _VIEW,
        "reviews.agendarecord": _VIEW,
        "consignments.consignment": _VIEW,
        "consignments.recordkind": _VIEW,
        "consignments.condition": _VIEW,
        "consignments.transferform": _VIEW,
        "linkages.linkage": _VIEW,
        "linkages.linkageitem": _VIEW,
        "linkages.protectionmeasure": _EDIT,
        "linkages.linkagemeasure": _VIEW,
        "processing.processing": _VIEW,
        "processing.processingchange": _VIEW,
        "processing.processingmilestone": _VIEW,
        "processing.processingmeasure": _EDIT,
        "processing.processingmeasureanswer": _VIEW,
        **{f"payments.{model}": _EDIT for model in PAYMENT_MODELS},
        "accesslog.accessevent": _VIEW,
        "filebook.personalinfofile": _VIEW,
        # What the PDF store holds; files come and go through printing, never by hand.
        "printing.storedpdf": _VIEW,
        # The 事務局 reports incidents to the Commission and publishes them.
        "incidents.incident": ("change", "view"),
        # The 窓口 of 開示請求等; reviewers get none of it (a request is confidential).
        **{f"disclosure.{model}": _EDIT for model in DISCLOSURE_MODELS},
        "disclosure.purge": _VIEW,
        # Every print batch (a failed one is retried from its page) and every import run
        # (an interrupted one can be run again: 「もう一度実行する」).
        "printing.printjob": _VIEW,
        "exchange.importrecord": ("change", "view"),
    },
}


def sync_roles(app_config=None, using: str = "default", **kwargs) -> None:
    """Create the role groups and give each exactly the permissions in ROLE_PERMISSIONS.

    post_migrate is sent once per app, and this receiver is connected before auth's
    create_permissions: when it runs for the last app, that app's permissions do not
    exist yet. So it waits for the last app, creates every app's permissions itself
    (create_permissions skips the ones that exist) and syncs once."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not None and app_config is not with_models[-1]:
        return
    for config in with_models:
        create_permissions(config, verbosity=0, using=using)

    for group_name, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for model_label, actions in grants.items():
            app_label, model = model_label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            wanted += Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.set(wanted)
