"""PDF responses for the browser."""

from urllib.parse import quote

from django.http import HttpResponse


def content_disposition(name: str, *, fallback: str, inline: bool = False) -> str:
    """RFC 6266: the Japanese `name` as filename* (UTF-8, RFC 5987) and the ASCII
    `fallback` as filename, for a client that reads only that."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


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
