"""Django's model backend, reading the signed-in user with what every page asks of it.

Every signed-in request loads its user from the session; the header, the access rules
and the second-factor check then asked for the user's groups, staff member and section,
authenticators and permissions, a query each. Here they come in two queries, still read
afresh on every request: a role taken away or an authenticator added counts at the next
request, as before.
"""

import functools
from operator import or_

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.db.models.functions import Concat
from django_otp import device_classes

from registry.access import roles_known


def _permission_names(**lookup):
    """Permission names as has_perm() reads them ("app_label.codename")."""
    return ArraySubquery(
        Permission.objects.filter(**lookup)
        .annotate(full=Concat("content_type__app_label", Value("."), "codename"))
        .values("full")
        .order_by()
    )


@functools.cache
def _facts_query() -> tuple[str, tuple]:
    """The SQL of one user's roles, permissions and whether a confirmed authenticator is
    set up, and its parameters but the user's id. Built by the ORM once per process:
    compiling these subqueries cost more than running them."""
    has_device = functools.reduce(
        or_,
        (
            Q(Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True)))
            for model in device_classes()
        ),
    )
    facts = get_user_model().objects.values(
        facts_user=F("pk"),
        role_list=ArraySubquery(Group.objects.filter(user=OuterRef("pk")).values("name")),
        user_perm_list=_permission_names(user=OuterRef("pk")),
        group_perm_list=_permission_names(group__user=OuterRef("pk")),
        confirmed_device=ExpressionWrapper(has_device, output_field=BooleanField()),
    )
    sql, params = facts.query.sql_with_params()
    return (
        "SELECT role_list, user_perm_list, group_perm_list, confirmed_device "
        f"FROM ({sql}) AS facts WHERE facts_user = %s",
        params,
    )


class SignedInUserBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("staff_member__section")
        user = users.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        # Arrays need PostgreSQL; on SQLite (the `make run` demo) each is read when
        # first asked, as Django does.
        if connection.vendor == "postgresql":
            sql, params = _facts_query()
            with connection.cursor() as cursor:
                cursor.execute(sql, [*params, user.pk])
                role_list, user_perms, group_perms, user.confirmed_device = cursor.fetchone()
            roles_known(user, role_list)
            # ModelBackend's own caches; a superuser holds every permission, which Django
            # reads itself when asked.
            if not user.is_superuser:
                user._user_perm_cache = set(user_perms)
                user._group_perm_cache = set(group_perms)
                user._perm_cache = user._user_perm_cache | user._group_perm_cache
        return user
