"""A limit on the public register's downloads per client address, so that one client
requesting PDFs without pause cannot take the workers the staff pages need. It runs
before sessions and everything else: a refusal costs one round trip to the shared cache
(Redis, or a locked row in the database without it)."""

import logging
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from redis.exceptions import RedisError

from accesslog.addresses import client_address

logger = logging.getLogger(__name__)
DOWNLOAD = re.compile(r"^/register/.+\.(pdf|xlsx|csv)$")
REFUSAL = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
    "<title>しばらくお待ちください</title></head><body><h1>しばらくお待ちください</h1>"
    "<p>短い時間に多くのファイルが求められたため、ダウンロードを一時的に止めています。"
    "1分ほどしてから、もう一度お試しください。</p></body></html>"
)


def download_allowed(address: str, now: float | None = None) -> bool:
    """At most PUBLIC_DOWNLOADS_PER_MINUTE downloads per address in each minute, counted
    once in the shared cache however many processes and machines answer (add + incr:
    atomic in Redis and in the database fallback)."""
    minute = int((now if now is not None else time.time()) // 60)
    key = f"public-downloads:{address}:{minute}"
    shared = caches["shared"]
    try:
        shared.add(key, 0, timeout=120)
        return shared.incr(key) <= settings.PUBLIC_DOWNLOADS_PER_MINUTE
    except RedisError:
        # Redis away: residents still get their files (the limit only guards the
        # workers); the log says so, and the count resumes when Redis is back.
        logger.warning("download limit not counted: the shared cache is away", exc_info=True)
        return True


class PublicDownloadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if DOWNLOAD.match(request.path_info) and not download_allowed(
            client_address(request) or "unknown"
        ):
            response = HttpResponse(REFUSAL, status=429)
            response["Retry-After"] = "60"
            return response
        return self.get_response(request)
