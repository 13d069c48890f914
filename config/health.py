"""`/healthz` for the compose health checks and the reverse proxy: 200 when the database
answers and a task worker has beaten recently, 503 otherwise, with which part failed.
Served over plain HTTP too (SECURE_REDIRECT_EXEMPT), since the checks run inside the
container network."""

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from worker.models import Heartbeat

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means unhealthy; the reason goes to the log
        logger.exception("health check: database unavailable")
        return JsonResponse({"database": "ng", "worker": "unknown"}, status=503)
    if not Heartbeat.objects.alive().exists():
        logger.warning("health check: no task worker has written a heartbeat recently")
        return JsonResponse({"database": "ok", "worker": "ng"}, status=503)
    return JsonResponse({"database": "ok", "worker": "ok"})
