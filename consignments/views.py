from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from consignments.models import Consignment
from consignments.pdf import FORM2
from printing.http import pdf_response


@login_required
def form2_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """外部委託記録票 (第2号様式) of one record, inline in the browser."""
    consignment = get_object_or_404(
        Consignment.objects.visible_to(request.user).with_form_data(), pk=pk
    )
    return pdf_response(FORM2.render([consignment]).content, FORM2.filename(consignment))
