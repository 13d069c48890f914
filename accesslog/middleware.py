"""Records every successful view and print of a record addressed by its URL. The table
below is the list of pages that show personal data; a test checks that every such URL
of the project is in it. The admin's print action and a print job's file are recorded
here too, with every record they hold; exports are recorded by the export itself
(exchange.admin.RegisterImportExportMixin.get_export_data)."""

from django.apps import apps
from django.http import HttpRequest, HttpResponse

from accesslog.models import AccessEvent
from accesslog.services import access_record

A = AccessEvent.Action

# {url name: (action, model label)} for URLs that carry the record's id.
WATCHED: dict[str, tuple[str, str]] = {
    "consignments:detail": (A.VIEW, "consignments.Consignment"),
    "consignments:edit": (A.VIEW, "consignments.Consignment"),
    "consignments:form2_pdf": (A.PRINT, "consignments.Consignment"),
    "linkages:detail": (A.VIEW, "linkages.Linkage"),
    "linkages:edit": (A.VIEW, "linkages.Linkage"),
    "linkages:form5_pdf": (A.PRINT, "linkages.Linkage"),
    "processing:detail": (A.VIEW, "processing.Processing"),
    "processing:edit": (A.VIEW, "processing.Processing"),
    "processing:annex_pdf": (A.PRINT, "processing.Processing"),
    "committee:item_detail": (A.VIEW, "reviews.AgendaItem"),
    "committee:item_edit": (A.VIEW, "reviews.AgendaItem"),
    "committee:item_pdf": (A.PRINT, "reviews.AgendaItem"),
    "committee:meeting_pdf": (A.PRINT, "reviews.CommitteeMeeting"),
    "council:report_detail": (A.VIEW, "reviews.PreApprovalReport"),
    "council:report_edit": (A.VIEW, "reviews.PreApprovalReport"),
    "council:report_pdf": (A.PRINT, "reviews.PreApprovalReport"),
    # The public record pages: anyone's view is logged, under no user name.
    "publication:consignment": (A.VIEW, "consignments.Consignment"),
    "publication:linkage": (A.VIEW, "linkages.Linkage"),
    "publication:form2_pdf": (A.PUBLIC_PRINT, "consignments.Consignment"),
    "publication:form5_pdf": (A.PUBLIC_PRINT, "linkages.Linkage"),
    "publication:answer_pdf": (A.PUBLIC_PRINT, "reviews.Answer"),
    "filebook:detail": (A.VIEW, "filebook.PersonalInfoFile"),
    "filebook:edit": (A.VIEW, "filebook.PersonalInfoFile"),
    "filebook:filebook_pdf": (A.PRINT, "filebook.PersonalInfoFile"),
    "filebook_register:detail": (A.VIEW, "filebook.PersonalInfoFile"),
    "filebook_register:pdf": (A.PUBLIC_PRINT, "filebook.PersonalInfoFile"),
    "incidents:detail": (A.VIEW, "incidents.Incident"),
    "incidents:edit": (A.VIEW, "incidents.Incident"),
    "incidents:report_pdf": (A.PRINT, "incidents.Incident"),
    "incidents:report_xlsx": (A.EXPORT, "incidents.Incident"),
    # 開示請求等 hold the requester's own data: every page of one request is logged.
    "disclosure:detail": (A.VIEW, "disclosure.DisclosureRequest"),
    "disclosure:edit": (A.VIEW, "disclosure.DisclosureRequest"),
    "disclosure:step": (A.VIEW, "disclosure.DisclosureRequest"),
    "disclosure:extension_pdf": (A.PRINT, "disclosure.DisclosureRequest"),
    "disclosure:decision_pdf": (A.PRINT, "disclosure.Decision"),
}
# The admin's pages of one record: its change form, its history and one old version
# of it, and the workflow steps (approve, return, retire, correct) all show the record.
ADMIN_VIEWS = ("change", "history", "simple_history", "approve", "return", "retire", "correct")
ADMIN_MODELS = (
    "consignments.Consignment",
    "linkages.Linkage",
    "processing.Processing",
    "filebook.PersonalInfoFile",
    "reviews.AgendaItem",
    "reviews.CommitteeMeeting",
    "reviews.PreApprovalReport",
    "reviews.Answer",
    "reviews.Consultation",
    "disclosure.DisclosureRequest",
    "disclosure.Decision",
)
WATCHED |= {
    f"admin:{label.replace('.', '_').lower()}_{view}": (A.VIEW, label)
    for label in ADMIN_MODELS
    for view in ADMIN_VIEWS
}
JOB_FILE = "printing:job_file"


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None or response.status_code != 200:
            return response
        if request.method == "POST":
            if response.get("Content-Type") == "application/pdf":
                self._admin_print_action(request, match)
            return response
        if request.method != "GET":
            return response
        if match.view_name in WATCHED:
            action, label = WATCHED[match.view_name]
            pk = match.kwargs.get("pk") or match.kwargs.get("object_id")
            if pk is None and match.args:  # an old version's page (django-simple-history)
                pk = match.args[0]
            if pk is not None and str(pk).isdigit():
                access_record(
                    request=request, action=action, model=apps.get_model(label), ids=[int(pk)]
                )
        elif match.view_name == JOB_FILE:
            self._job_file(request, match.kwargs["pk"])
        return response

    @staticmethod
    def _admin_print_action(request: HttpRequest, match) -> None:
        """The admin's 「選択した記録を印刷」 answered with the PDF itself."""
        if not (
            match.view_name.startswith("admin:")
            and match.view_name.endswith("_changelist")
            and request.POST.get("action", "").startswith("print_")
        ):
            return
        model = match.func.model_admin.model
        ids = [pk for pk in request.POST.getlist("_selected_action") if pk.isdigit()]
        records = model.objects.filter(pk__in=ids)
        if hasattr(records, "visible_to"):
            records = records.visible_to(request.user)
        access_record(
            request=request,
            action=A.BATCH_PRINT,
            model=model,
            ids=records.values_list("pk", flat=True),
        )

    @staticmethod
    def _job_file(request: HttpRequest, job_id) -> None:
        from printing import kinds
        from printing.models import PrintJob

        job = PrintJob.objects.filter(pk=job_id).first()
        if job is None:
            return
        access_record(
            request=request,
            action=A.BATCH_PRINT,
            model=kinds.get(job.kind).queryset().model,
            ids=job.record_ids,
        )
