"""What the public pages (the register, the file book) share: page links that can be
cached, and HTTP caching for anonymous visitors, so the ward's proxy (and the visitor's
browser) can serve repeats: the ETag is the change stamp (registry.changes) and the day,
which is all a public page depends on besides its address. A request naming the current
ETag is answered 304 without building the page."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from registry.changes import request_stamp


def public_etag(request: HttpRequest) -> str:
    return quote_etag(f"{request_stamp(request)}-{timezone.localdate():%Y%m%d}")


def cached_for_public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache-Control: public for PUBLIC_CACHE_SECONDS and the ETag on anonymous GETs;
    a signed-in user's page (which names the user) is never marked public."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        etag = public_etag(request)
        response = get_conditional_response(request, etag=etag) or view(request, *args, **kwargs)
        if response.status_code not in (200, 304):
            return response
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        # The same address shows a signed-in user's name: a proxy keys on the cookie too.
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


@dataclass(frozen=True)
class PageLinks:
    """Where a page stands among the pages, as the template links them (a Paginator's
    page holds its query, which must not be cached)."""

    number: int
    num_pages: int
    count: int

    @classmethod
    def of(cls, page: Page) -> "PageLinks":
        return cls(page.number, page.paginator.num_pages, page.paginator.count)

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1
