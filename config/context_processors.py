from django.conf import settings

from accounts.middleware import session_seconds_left


def session_timeout(request) -> dict:
    """How long a signed-in page stays usable without a request, for the warning shown
    before the session ends (static/js/session.js)."""
    if not request.user.is_authenticated:
        return {}
    return {
        "session_seconds": session_seconds_left(request.session),
        "session_full_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_MINUTES * 60,
    }
