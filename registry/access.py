"""Who may see and do what, in one place: the roles a user holds, the section a staff
member works in, who works across sections, and who may use the admin. Every app's
querysets, views, admin classes and services ask these questions here."""

from django.conf import settings

from registry import roles


def role_names(user) -> frozenset[str]:
    """The user's role groups, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_names


def roles_known(user, names) -> None:
    """The user's role groups, read with the user (accounts.backends)."""
    user._role_names = frozenset(names)


def has_role(user, role: str) -> bool:
    return role in role_names(user)


def sees_every_section(user) -> bool:
    """Reviewers, clerks and administrators work across sections."""
    return user.is_authenticated and (
        user.is_superuser or bool(role_names(user) & {roles.REVIEWER, roles.CLERK})
    )


def may_use_admin(user) -> bool:
    return user.is_active and user.is_staff and sees_every_section(user)


def section_of(user):
    """The section a staff member works in, or None."""
    if not user.is_authenticated:
        return None
    member = getattr(user, "staff_member", None)
    return member.section if member else None


def section_id_of(user) -> int | None:
    section = section_of(user)
    return section.pk if section else None


def is_section_staff_of(user, section_id: int) -> bool:
    return has_role(user, roles.SECTION_STAFF) and section_id_of(user) == section_id


def may_create_in(user, section_id: int) -> bool:
    return user.is_authenticated and (user.is_superuser or is_section_staff_of(user, section_id))


def may_create_records(user) -> bool:
    """Section staff with a section (or a superuser) may start new records."""
    return user.is_superuser or (has_role(user, roles.SECTION_STAFF) and section_of(user))


def decides_agenda_items(user) -> bool:
    """Reviewers record the internal committee's decision on an agenda item."""
    return user.is_authenticated and (user.is_superuser or has_role(user, roles.REVIEWER))


def is_clerk(user) -> bool:
    """事務局 (or an administrator): keeps the council's records — consultations,
    meetings, answers, 附帯意見 — and the pre-approval categories."""
    return user.is_authenticated and (user.is_superuser or has_role(user, roles.CLERK))


def keeps_examples(user) -> bool:
    """Reviewers and clerks add and correct a category's examples (事例)."""
    return sees_every_section(user)


def may_change_register(user, model_name: str) -> bool:
    """Who keeps the shared registers: clerks keep sections, businesses and who works in
    which section; reviewers, who meet new contractors first, keep organisations as well."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or has_role(user, roles.CLERK):
        return True
    return model_name == "organization" and has_role(user, roles.REVIEWER)


def may_change_flows(user) -> bool:
    """Who keeps the payment channels, their parties, data items and flows: clerks (事務局)
    and administrators; everyone else who uses the admin reads them."""
    return user.is_authenticated and (user.is_superuser or has_role(user, roles.CLERK))


def may_add_organization(user) -> bool:
    """Section staff meet a new contractor first, when they file its record: they may add
    an organisation (相手方). Changing one stays with reviewers and clerks, since every
    record citing it prints the change."""
    return may_change_register(user, "organization") or bool(may_create_records(user))


def may_edit_report(user, section_id: int) -> bool:
    """A pre-approval report is its section's: only that section's staff (or an
    administrator) write it. Reviewers and clerks read it."""
    return user.is_authenticated and (user.is_superuser or is_section_staff_of(user, section_id))


def must_use_second_factor(user) -> bool:
    """With TWO_FACTOR_REQUIRED on, everyone who works across sections signs in with a
    second factor; section staff may choose to."""
    return settings.TWO_FACTOR_REQUIRED and sees_every_section(user)


def sections_seen(user) -> str:
    """What visible_sections() narrows to for `user`, as a key for what is cached per
    viewer: every section, one section's id, or none."""
    return "all" if sees_every_section(user) else str(section_id_of(user))


def visible_sections(queryset, user, section_lookup: str):
    """`queryset` narrowed to what `user` may see: everything for reviewers, clerks and
    superusers, the rows of their own section (reached by `section_lookup`) for staff."""
    if sees_every_section(user):
        return queryset
    section_id = section_id_of(user)
    if section_id is None:
        return queryset.none()
    return queryset.filter(**{section_lookup: section_id})
