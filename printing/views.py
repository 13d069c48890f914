from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from printing import kinds
from printing.models import PrintJob


def _job_for_user(request: HttpRequest, pk) -> PrintJob:
    return get_object_or_404(PrintJob.objects.visible_to(request.user), pk=pk)


@login_required
def job_detail(request: HttpRequest, pk) -> HttpResponse:
    """Progress of a background print job; the page reloads itself until it is done."""
    job = _job_for_user(request, pk)
    try:
        label = kinds.get(job.kind).label
    except LookupError:
        label = job.kind
    context = {**admin.site.each_context(request), "job": job, "kind_label": label}
    return render(request, "printing/job_detail.html", context)


@login_required
def job_file(request: HttpRequest, pk) -> FileResponse:
    job = _job_for_user(request, pk)
    if job.status != PrintJob.Status.DONE or not job.file:
        raise Http404("PDFはまだ作成されていません。")
    return FileResponse(
        job.file.open("rb"),
        content_type="application/pdf",
        filename=f"{job.kind}_{job.total}件.pdf",
    )
