"""People's names as the product writes them: family name first (姓 名), as names are
written in Japanese, wherever a person is shown (pages, histories, notices, the admin)."""

SYSTEM = "（システム）"


def person_name(user) -> str:
    """姓 名; the login name for an account without a name, and （システム） for a change
    nobody made (a command, the task worker)."""
    if user is None:
        return SYSTEM
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()
