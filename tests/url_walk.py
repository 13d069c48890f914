"""Every URL pattern of the project, found by walking the resolver, and a way to open each
one as a user who may see it. The CSP, accessibility and access-log tests walk these, so
a new page is checked without anyone adding it to a list; a pattern the walk cannot open
must be skipped here, with the reason."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from registry import roles
from registry.models import Section
from tests.factories import user_with_role

# Patterns the walks do not open, by the path's regular expression, each with why.
SKIPPED: dict[str, str] = {
    r"^accounts/logout/$": "ends the session (POST only)",
    r"^accounts/keepalive/$": "POST only: extends the session, renders nothing",
    r"^accounts/verify/$": "the second-factor step of a login in progress",
    r"^healthz$": "plain-text probe for the load balancer",
    r"/(submit|amend|decide|retry|run|add-example)/$": "POST-only workflow steps",
    r"/suggest/$": "a fragment fetched by the report form's script, not a page",
    r"^admin/(login|logout)/$": "the admin uses the site's login and logout",
    r"^admin/password_change/": "passwords are set by the ward's directory, not here",
    r"^admin/autocomplete/$": "JSON for the admin's select boxes",
    r"^admin/jsi18n/$": "JavaScript catalogue",
    r"^admin/r/": "view on site: a redirect to the public page",
    r"^admin/.*/<path:object_id>/$": "the admin's redirect of an old change URL",
    r"^admin/.*/process_import/$": "POST only: the second step of an import",
    r"\.json$": "JSON polled by the import progress page",
}

# Which model a path converter names, by the segment before it (or the converter's name):
# model class names, found among the installed apps, so a module may move.
OBJECT_MODELS: dict[str, str] = {
    "consignments": "Consignment",
    "linkages": "Linkage",
    "processing": "Processing",
    "filebook": "PersonalInfoFile",
    "files": "PersonalInfoFile",
    "reports": "PreApprovalReport",
    "answers": "Answer",
    "items": "AgendaItem",
    "meetings": "CommitteeMeeting",
    "jobs": "PrintJob",
    "channels": "Channel",
    "import_id": "ImportRecord",
    "item_pk": "ReportItem",
}
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    path: str  # the whole pattern, as "consignments/<int:pk>/"
    name: str  # "consignments:detail"; "" for an unnamed pattern
    pattern: URLPattern

    @property
    def model_admin(self):
        return getattr(self.pattern.callback, "model_admin", None)

    @property
    def skip_reason(self) -> str | None:
        return next((why for rule, why in SKIPPED.items() if re.search(rule, self.path)), None)


def every_route(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> list[Route]:
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        path = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += every_route(
                pattern, path, f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            )
        else:
            found.append(Route(path, f"{ns}{pattern.name}" if pattern.name else "", pattern))
    return found


def _model(class_name: str) -> type[models.Model]:
    return next(m for m in apps.get_models() if m.__name__ == class_name)


def candidates(model: type[models.Model]) -> list[models.Model]:
    """One object per workflow state (pages differ by state), or the first object."""
    rows = model._default_manager.order_by("pk")
    if any(f.name == "state" for f in model._meta.fields):
        states = rows.values_list("state", flat=True).distinct()
        return [rows.filter(state=s).first() for s in sorted(set(states))]
    return [row for row in rows[:1]]


def route_model(route: Route) -> type[models.Model] | None:
    if route.model_admin is not None:
        return route.model_admin.model
    if match := re.match(r"admin/(\w+)/(\w+)/\^", route.path):
        return apps.get_model(*match.groups())
    names = CONVERTER.findall(route.path)
    if not names:
        return None
    segments = route.path.split("<")[0].strip("/").split("/")
    key = names[0] if names[0] in OBJECT_MODELS else segments[-1]
    return _model(OBJECT_MODELS[key]) if key in OBJECT_MODELS else None


def fill(route: Route, obj: models.Model | None) -> str:
    """The route as a URL, its object's id in every converter (history: its latest row)."""
    path = route.path
    if "<app_label>" in path or "(?P<app_label>" in path:
        label = re.search(r"\(\?P<app_label>(\w+)", path).group(1)
        return "/" + re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", f"{label}/", path)
    if "^([^/]+)/history/([^/]+)/$" in path:
        history = obj.history.order_by("-history_id").first()
        if history is None:
            raise LookupError(f"{route.path}: {obj!r} has no history row")
        return "/" + path.replace("^([^/]+)/history/([^/]+)/$", f"{obj.pk}/history/{history.pk}/")

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "item_pk":
            return str(_model("ReportItem")._default_manager.values_list("pk", flat=True).first())
        if name in ("id", "object_id", "pk", "import_id", "content_type_id"):
            return str(obj.pk)
        raise LookupError(f"{route.path}: no value for <{name}>")

    return "/" + CONVERTER.sub(value, path)


def _section(obj: models.Model | None) -> Section:
    for path in ("section", "business.section", "project_section"):
        value = obj
        for attr in path.split("."):
            value = getattr(value, attr, None)
        if isinstance(value, Section):
            return value
    return Section.objects.get(name="収納課")


class Visitor:
    """Opens a URL as the first of anonymous, section staff, reviewer, clerk and
    superuser who gets a 200 (admin pages: the superuser), so each page is seen by the
    least privileged user who may."""

    def __init__(self) -> None:
        self.users: dict[str, object] = {
            "reviewer": user_with_role(roles.REVIEWER, username="walk-reviewer"),
            "clerk": user_with_role(roles.CLERK, username="walk-clerk"),
            "superuser": user_with_role(
                None, username="walk-admin", is_staff=True, is_superuser=True
            ),
        }
        self._staff: dict[int, object] = {}

    def staff(self, section: Section):
        if section.pk not in self._staff:
            self._staff[section.pk] = user_with_role(
                roles.SECTION_STAFF, section, username=f"walk-staff-{section.pk}"
            )
        return self._staff[section.pk]

    def people(self, route: Route, obj) -> Iterator[tuple[str, object]]:
        if route.path.startswith("admin/"):
            yield "superuser", self.users["superuser"]
            return
        yield "anonymous", None
        yield "staff", self.staff(_section(obj))
        yield from self.users.items()

    def open(self, route: Route) -> Iterator[tuple[str, object, str, object]]:
        """(role, user, url, response) of each object's first 200, or of the last try."""
        model = route_model(route)
        if model is None and CONVERTER.search(route.path) is None:
            objects = [None]
        else:
            objects = candidates(model) if model else []
            if not objects:
                raise LookupError(f"{route.path}: no object to open it with")
        opened = False
        last = None
        for obj in objects:
            url = fill(route, obj)
            for role, user in self.people(route, obj):
                client = Client()
                if user is not None:
                    client.force_login(user)
                response = client.get(url)
                last = (role, user, url, response, obj)
                if response.status_code == 200:
                    opened = True
                    yield last
                    break
        if not opened and last:
            yield last


def routes_to_walk() -> tuple[list[Route], dict[str, str]]:
    """The routes the walks open, and the skipped ones with their reasons; every skip
    rule must still match a route, so the list cannot go stale."""
    routes = every_route()
    skipped = {r.path: r.skip_reason for r in routes if r.skip_reason}
    unused = [rule for rule in SKIPPED if not any(re.search(rule, p) for p in skipped)]
    assert not unused, f"skip rules that match no pattern: {unused}"
    return [r for r in routes if not r.skip_reason], skipped


def ensure_objects() -> None:
    """Rows the seed lacks, so the pages that show one have something to show."""
    superuser = user_with_role(None, username="walk-owner", is_staff=True, is_superuser=True)
    _model("ImportRecord")._default_manager.create(
        user=superuser,
        register="相手方",
        resource_path="registry.resources.OrganizationResource",
        file_name="相手方.xlsx",
        file_format="xlsx",
        state="running",
        total_rows=10,
    )
