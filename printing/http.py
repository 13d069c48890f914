"""PDF responses for the browser."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """The PDF itself, shown in the browser (inline) under a meaningful file name."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not inline, filename=filename
    )
    return response
