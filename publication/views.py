import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from consignments.pdf import FORM2
from linkages.pdf import FORM5
from notation import wareki
from printing.http import pdf_response
from publication import register, summary
from registry.access import sees_every_section
from registry.changes import cached_for_everyone, request_stamp
from registry.public_pages import cached_for_public
from reviews.council.pdf import ANSWER
from reviews.models import PreApprovalCategory


@cached_for_public
def public_register(request: HttpRequest) -> HttpResponse:
    """The published register: no login, approved records in force only, searchable by
    section, business and contractor, a page of PUBLIC_PAGE_SIZE records at a time."""
    query = register.RegisterQuery(
        section=request.GET.get("section", "").strip(),
        business=request.GET.get("business", "").strip(),
        contractor=request.GET.get("contractor", "").strip(),
    )
    page = request.GET.get("page", "1")
    answer_page = request.GET.get("answer_page", "1")
    today = timezone.localdate()
    # The same for every visitor: kept as HTML until an audited change (or the next
    # day), so a repeat renders only the layout around it, and built once for every
    # process.
    body = cached_for_everyone(
        "public-register",
        today,
        query.section,
        query.business,
        query.contractor,
        page,
        answer_page,
        build=lambda: _register_body(query, page, answer_page, today),
        # The stamp the ETag named (cached_for_public): one read for the page.
        stamp=request_stamp(request),
    )
    return render(request, "publication/register.html", {"body": body})


def _register_body(
    query: register.RegisterQuery, page: str, answer_page: str, today: dt.date
) -> SafeString:
    published = register.register_page(query, page, today)
    answers, answer_links = register.answers_page(answer_page)
    search = {k: v for k, v in vars(query).items() if v}
    return render_to_string(
        "publication/_register.html",
        {
            "query": query,
            "section_names": published.section_names,
            "sections": published.sections,
            "page": published.page,
            "answers": answers,
            "answer_page": answer_links,
            # Each list's page links keep the search and the other list's page.
            "records_keep": urlencode({**search, "answer_page": answer_links.number}),
            "answers_keep": urlencode({**search, "page": published.page.number}),
            "today": today,
        },
    )


@cached_for_public
def public_consignment(request: HttpRequest, pk: int) -> HttpResponse:
    """One published 外部委託記録票 as a page (the PDF is its printed form)."""
    record = register.published_consignment(pk)
    if record is None:
        raise Http404("公開中の外部委託記録票ではありません。")
    return render(request, "publication/consignment.html", {"entry": record})


@cached_for_public
def public_linkage(request: HttpRequest, pk: int) -> HttpResponse:
    """One published 電算結合記録票 as a page."""
    record = register.published_linkage(pk)
    if record is None:
        raise Http404("公開中の電算結合記録票ではありません。")
    return render(request, "publication/linkage.html", {"entry": record})


@cached_for_public
def public_criteria(request: HttpRequest) -> HttpResponse:
    """What 事前一括承認基準 are and each category with its examples, for residents."""
    categories = PreApprovalCategory.objects.prefetch_related("examples")
    return render(request, "publication/criteria.html", {"categories": categories})


# The register's PDFs are approved versions: after the first request each one is read from
# the store (printing.store), not rendered; what they print was kept on approval, so the
# record's lists need no prefetching.


def public_form2(request: HttpRequest, pk: int) -> HttpResponse:
    consignment = get_object_or_404(register.published_consignments().prefetch_related(None), pk=pk)
    return pdf_response(
        FORM2.render([consignment]).content,
        FORM2.filename(consignment),
        name=FORM2.download_name(consignment),
    )


def public_form5(request: HttpRequest, pk: int) -> HttpResponse:
    linkage = get_object_or_404(register.published_linkages().prefetch_related(None), pk=pk)
    return pdf_response(
        FORM5.render([linkage]).content, FORM5.filename(linkage), name=FORM5.download_name(linkage)
    )


def public_answer(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(ANSWER.queryset().published(), pk=pk)
    return pdf_response(
        ANSWER.render([answer]).content, ANSWER.filename(answer), name=ANSWER.download_name(answer)
    )


@login_required
def annual_summary(request: HttpRequest) -> HttpResponse:
    """For reviewers and the council secretariat: a fiscal year's new, amended and
    retired records, by category and by consultation."""
    if not sees_every_section(request.user):
        raise PermissionDenied("年次報告は審査担当・事務局のみ閲覧できます。")
    current = wareki.fiscal_year(timezone.localdate())
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        year = current
    year = min(max(year, 1989), current + 1)
    return render(
        request,
        "publication/summary.html",
        {
            # The same for everyone allowed to see it, until an audited change: built once
            # for every process.
            "summary": cached_for_everyone(
                "annual-summary",
                year,
                build=lambda: summary.annual_summary(year),
                stamp=request_stamp(request),
            ),
            "kinds": summary.KINDS,
            "parts": summary.summary_parts(year),
            "years": [(y, wareki.format_fiscal_year(y)) for y in range(current, 2004, -1)],
        },
    )
