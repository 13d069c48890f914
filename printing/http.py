"""Files for the browser: PDFs, and the names every download is given."""

import datetime as dt
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone


def content_disposition(name: str, *, fallback: str, inline: bool = False) -> str:
    """RFC 6266: the Japanese `name` as filename* (UTF-8, RFC 5987) and the ASCII
    `fallback` as filename, for a client that reads only that."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def dated_file_name(label: str, extension: str, on: dt.date | None = None) -> str:
    """外部委託記録票_20261207.xlsx: what the file holds and the day it was written, in
    digits so a folder of them sorts by day."""
    on = on or timezone.localdate()
    return f"{label}_{on:%Y%m%d}.{extension}"


def dated_attachment(
    label: str, fallback_label: str, extension: str, on: dt.date | None = None
) -> str:
    """Content-Disposition of a dated download: `label` (Japanese) and `fallback_label`
    (ASCII) named the same way."""
    on = on or timezone.localdate()
    return content_disposition(
        dated_file_name(label, extension, on),
        fallback=dated_file_name(fallback_label, extension, on),
    )


def pdf_response(
    content: bytes, filename: str, *, name: str = "", inline: bool = True
) -> HttpResponse:
    """The PDF itself, shown in the browser (inline) under a meaningful file name:
    `name` (Japanese) where the browser reads it, else the ASCII `filename`."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        name or filename, fallback=filename, inline=inline
    )
    return response
