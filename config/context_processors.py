from django.conf import settings

from accounts.middleware import session_seconds_left
from registry.access import is_clerk, may_use_admin, section_of


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


def staff_header(request) -> dict:
    """The header shows the user's section, for reviewers and clerks the admin link and
    for clerks the page of locked logins."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "admin_allowed": may_use_admin(user),
        "user_section": section_of(user),
        "lockouts_allowed": is_clerk(user),
    }
