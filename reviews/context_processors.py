from registry.access import may_use_admin, section_of


def workflow_user(request) -> dict:
    """The header shows the user's section and, for reviewers and clerks, the admin link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"admin_allowed": may_use_admin(user), "user_section": section_of(user)}
