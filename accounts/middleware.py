"""Sends a user who still owes the second factor to enter it (or to set one up when it
is required), whatever page they asked for. Only those pages, logging in and out and the
health check stay reachable (static files are served before this by WhiteNoise), so no
page and not the admin can be used half signed in."""

import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.services import has_second_factor, second_factor_pending

OPEN_URL_NAMES = {"accounts:verify", "accounts:setup", "logout", "login", "healthz"}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in OPEN_URL_NAMES:
            return None
        if not second_factor_pending(request.user):
            return None
        target = "accounts:verify" if has_second_factor(request.user) else "accounts:setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


RENEWED = "_renewed_at"


def session_renew(session) -> None:
    """Save the session now, which moves its end SESSION_COOKIE_AGE ahead."""
    session[RENEWED] = int(time.time())


def session_seconds_left(session) -> int:
    """Until the session ends, as renewed last (a request renewing it counts)."""
    renewed = session.get(RENEWED, int(time.time()))
    return max(0, settings.SESSION_COOKIE_AGE - (int(time.time()) - renewed))


class SessionRenewalMiddleware:
    """Renews a session when its last renewal is SESSION_RENEW_SECONDS old, so an idle
    timeout holds without a session write on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # A visitor without a session cookie has nothing to renew (and costs no query).
        if not session.is_empty():
            renewed = session.get(RENEWED, 0)
            if int(time.time()) - renewed >= settings.SESSION_RENEW_SECONDS:
                session_renew(session)
        return self.get_response(request)
