from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from linkages.models import Linkage
from linkages.pdf import FORM5
from printing.http import pdf_response


@login_required
def form5_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """電算結合記録票 (第5号様式) of one record, inline in the browser."""
    linkage = get_object_or_404(Linkage.objects.visible_to(request.user).with_form_data(), pk=pk)
    return pdf_response(FORM5.render([linkage]).content, FORM5.filename(linkage))
