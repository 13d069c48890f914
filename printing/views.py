from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from printing import kinds
from printing.http import content_disposition
from printing.models import PrintJob
from printing.services import print_job_retry


def _job_for_user(request: HttpRequest, pk) -> PrintJob:
    return get_object_or_404(PrintJob.objects.visible_to(request.user), pk=pk)


@login_required
def job_detail(request: HttpRequest, pk) -> HttpResponse:
    """Progress of a background print job; the page polls itself until it is done."""
    job = _job_for_user(request, pk)
    try:
        label = kinds.get(job.kind).label
    except LookupError:
        label = job.kind
    context = {**admin.site.each_context(request), "job": job, "kind_label": label}
    return render(request, "printing/job_detail.html", context)


@login_required
def job_file(request: HttpRequest, pk) -> HttpResponse:
    job = _job_for_user(request, pk)
    if job.status != PrintJob.Status.DONE or not job.file:
        raise Http404("PDFはありません（作成中か、保存期間を過ぎて削除されました）。")
    if not job.file_exists:
        # The row names a file the storage no longer has (a restore without the files,
        # a lost volume): say so plainly instead of failing on the open below.
        context = {**admin.site.each_context(request), "job": job}
        return render(request, "printing/job_file_gone.html", context, status=410)
    response = FileResponse(job.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"{kinds.get(job.kind).label}_{job.total}件.pdf",
        fallback=f"{job.kind}_{job.total}.pdf",
        inline=True,
    )
    return response


@require_POST
@login_required
def job_retry(request: HttpRequest, pk) -> HttpResponse:
    job = _job_for_user(request, pk)
    try:
        print_job_retry(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("printing:job_detail", job.pk)
