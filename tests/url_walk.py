"""Every URL pattern of the project, found by walking the resolver, and a way to open each
one as a user who may see it. The CSP, accessibility and access-log tests walk these, so
a new page is checked without anyone adding it to a list: a pattern the walk can neither
open nor account for by a rule below (each with its reason) fails the walk, by name.

Admin patterns that ModelAdmin.get_urls generates are accounted for per registered
ModelAdmin: its changelist, change, history and (where the ModelAdmin allows them) add
and delete pages are opened; a custom admin URL (approve, retire, progress...) is opened
like any other page."""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import models
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from registry import roles
from registry.models import Section
from tests.factories import user_with_role

# Patterns the walks do not open, by the path's regular expression, each with why.
SKIPPED: dict[str, str] = {
    r"^accounts/logout/$": "ends the session (POST only)",
    r"^accounts/keepalive/$": "POST only: extends the session, renders nothing",
    r"^accounts/verify/$": "the second-factor step of a login in progress",
    r"^accounts/lockouts/second-factor/$": "POST only: the 事務局 resets a second factor",
    r"^healthz$": "plain-text probe for the load balancer",
    r"/(submit|amend|decide|retry|run|add-example|close|release)/$": "POST-only workflow steps",
    r"/suggest/$": "a fragment fetched by the report form's script, not a page",
    r"^printing/jobs/<uuid:pk>/file\.pdf$": "a finished job's stored PDF: tests/printing",
    r"^admin/(login|logout)/$": "the admin uses the site's login and logout",
    r"^admin/password_change/": "passwords are set by the ward's directory, not here",
    r"^admin/autocomplete/$": "JSON for the admin's select boxes",
    r"^admin/jsi18n/$": "JavaScript catalogue",
    r"^admin/r/": "view on site: a redirect to the public page",
    r"^admin/\(\?P<url>": "the admin's catch-all: a 404 or a redirect to the slashed URL",
    r"^admin/\w+/\w+/<path:object_id>/$": "the admin's redirect of an old change URL",
    r"^admin/\w+/\w+/process_import/$": "POST only: the second step of an import",
    r"\.json$": "JSON polled by the import progress page",
    r"^disclosure/<int:pk>/steps/<slug:step>/$": "one form per step: tests/disclosure/test_pages.py",
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
    "incidents": "Incident",
    "disclosure": "DisclosureRequest",
    "decisions": "Decision",
}
# The workflow states a page opens in, by the path's last segment (others: in force first).
STATES_FOR: dict[str, tuple[str, ...]] = {
    "edit": ("draft", "returned"),
    "approve": ("submitted", "resubmitted"),
    "return": ("submitted", "resubmitted"),
    "retire": ("approved",),
    "correct": ("approved",),
}
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
VERSION = "^([^/]+)/history/([^/]+)/$"  # django-simple-history's page of one old version
# The object pages ModelAdmin.get_urls generates (the stock templates; for a model with
# no row, its changelist stands for them).
GENERATED = (
    "<path:object_id>/change/",
    "<path:object_id>/history/",
    "<path:object_id>/delete/",
    VERSION,
)


@dataclass(frozen=True)
class Route:
    path: str  # the whole pattern, as "consignments/<int:pk>/"
    name: str  # "consignments:detail"; "" for an unnamed pattern
    pattern: URLPattern

    @property
    def skip_reason(self) -> str | None:
        return next((why for rule, why in SKIPPED.items() if re.search(rule, self.path)), None)


@dataclass
class Page:
    """One opened page: what the checks look at."""

    path: str
    url: str
    role: str
    username: str  # "" for anonymous
    status: int
    headers: dict[str, str]
    content: bytes
    record: str = ""  # "consignments.Consignment 12" when the URL carries a record's id
    logged: bool = False  # the page wrote an access-log entry


@dataclass
class Walk:
    pages: list[Page] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


class Skip(Exception):
    """A pattern accounted for by a rule instead of opened."""


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


def model_admins() -> dict[str, admin.ModelAdmin]:
    """{"admin/app/model/": its ModelAdmin} for every registered model."""
    return {
        f"admin/{model._meta.app_label}/{model._meta.model_name}/": model_admin
        for model, model_admin in admin.site._registry.items()
    }


def candidates(model: type[models.Model], path: str) -> list[models.Model]:
    """One object per workflow state (pages differ by state), the states the page's last
    segment needs first, else those in force; for a public page only published ones."""
    rows = model._default_manager.order_by("pk")
    if path.startswith("register/"):
        if hasattr(rows, "published"):
            try:
                rows = rows.published()
            except TypeError:
                rows = rows.published(small_files=True)
        elif hasattr(rows, "in_force"):
            rows = rows.in_force()
    if model.__name__ == "ImportRecord":  # the import of the page's own register first
        first = path.split("/")[0]
        return sorted(rows, key=lambda r: f".{first}." not in f".{r.resource_path}")
    if not any(f.name == "state" for f in model._meta.fields):
        return list(rows[:1])
    last = [s for s in path.split("/") if s and "<" not in s][-1:]
    wanted = STATES_FOR.get(last[0] if last else "", ("approved",))
    states = sorted(set(rows.values_list("state", flat=True)), key=lambda s: s not in wanted)
    return [rows.filter(state=s).first() for s in states]


def route_model(route: Route) -> type[models.Model] | None:
    names = CONVERTER.findall(route.path)
    if not names:
        return None
    segments = route.path.split("<")[0].strip("/").split("/")
    key = names[0] if names[0] in OBJECT_MODELS else segments[-1]
    return _model(OBJECT_MODELS[key]) if key in OBJECT_MODELS else None


def fill(path: str, obj: models.Model | None) -> str:
    """The pattern as a URL, its object's id in every converter."""
    if "(?P<app_label>" in path:
        label = re.search(r"\(\?P<app_label>(\w+)", path).group(1)
        return "/" + re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", f"{label}/", path)
    return "/" + CONVERTER.sub(str(getattr(obj, "pk", "")), path)


def _section(obj: models.Model | None) -> Section:
    for path in ("section", "business.section", "project_section"):
        value = obj
        for attr in path.split("."):
            value = getattr(value, attr, None)
        if isinstance(value, Section):
            return value
    return Section.objects.get(name="収納課")


def _record_label(obj: models.Model | None) -> str:
    return "" if obj is None else f"{obj._meta.label} {obj.pk}"


class Walker:
    """Opens each pattern as the first of anonymous, section staff, reviewer, clerk and
    superuser who gets a 200 (admin pages: the superuser), so each page is seen by the
    least privileged user who may."""

    def __init__(self, *, count_log: bool = False) -> None:
        self.count_log = count_log
        self.users: dict[str, object] = {
            "reviewer": user_with_role(roles.REVIEWER, username="walk-reviewer"),
            "clerk": user_with_role(roles.CLERK, username="walk-clerk"),
            "superuser": user_with_role(
                None, username="walk-admin", is_staff=True, is_superuser=True
            ),
        }
        self._staff: dict[int, object] = {}
        self._clients: dict[str, Client] = {}
        self.admins = model_admins()
        self.admin_request = RequestFactory().get("/admin/")
        self.admin_request.user = self.users["superuser"]
        ensure_objects(self.staff(Section.objects.get(name="収納課")))

    def staff(self, section: Section):
        if section.pk not in self._staff:
            self._staff[section.pk] = user_with_role(
                roles.SECTION_STAFF, section, username=f"walk-staff-{section.pk}"
            )
        return self._staff[section.pk]

    def client(self, role: str, user) -> Client:
        key = f"{role}-{getattr(user, 'pk', '')}"
        if key not in self._clients:
            self._clients[key] = Client()
            if user is not None:
                self._clients[key].force_login(user)
        return self._clients[key]

    def people(self, route: Route, obj) -> Iterator[tuple[str, object]]:
        if route.path.startswith("admin/"):
            yield "superuser", self.users["superuser"]
            return
        yield "anonymous", None
        yield "staff", self.staff(_section(obj))
        yield from self.users.items()

    def walk(self, routes: list[Route]) -> Walk:
        walk = Walk()
        for route in routes:
            try:
                page = self.open(route)
            except Skip as reason:
                walk.skipped[route.path] = str(reason)
                continue
            except LookupError as error:
                walk.failures.append(str(error))
                continue
            if page.status == 200:
                walk.pages.append(page)
            else:
                walk.failures.append(f"{route.path}: {page.url} gave {page.status} as {page.role}")
        return walk

    def targets(self, route: Route) -> list[tuple[str, models.Model | None]]:
        """(url, object) to try, in order; raises Skip for a pattern a rule accounts for."""
        if reason := route.skip_reason:
            raise Skip(reason)
        prefix = next((p for p in self.admins if route.path.startswith(p)), None)
        if "(?P<app_label>" in route.path:
            return [(fill(route.path, None), None)]
        if prefix is None:
            model = route_model(route)
            if model is None:
                if CONVERTER.search(route.path):
                    raise LookupError(f"{route.path}: which model its converter names is unknown")
                return [(fill(route.path, None), None)]
            objects = candidates(model, route.path)
            if not objects:
                raise LookupError(f"{route.path}: no {model.__name__} to open it with")
            return [(fill(route.path, obj), obj) for obj in objects]
        return self.admin_targets(route, self.admins[prefix], route.path[len(prefix) :])

    def admin_targets(self, route: Route, model_admin, rest: str):
        request, model = self.admin_request, model_admin.model
        name = model._meta.label
        if rest == "":
            return [(fill(route.path, None), None)]
        if rest in ("add/", "import/", "export/"):
            if rest == "add/" and not model_admin.has_add_permission(request):
                raise Skip(f"{name}: its ModelAdmin refuses add")
            return [(fill(route.path, None), None)]
        objects = candidates(model, route.path)
        if not objects and rest in GENERATED:
            raise Skip(f"{name}: no row to open (its changelist is opened)")
        if not objects:
            raise LookupError(f"{route.path}: no {name} to open it with")
        if rest == "<path:object_id>/delete/" and not model_admin.has_delete_permission(
            request, objects[0]
        ):
            raise Skip(f"{name}: its ModelAdmin refuses delete")
        if rest == VERSION:
            pk = model._meta.pk.attname
            rows = model._default_manager.values(pk)
            version = model.history.filter(**{f"{pk}__in": rows}).order_by("history_id").first()
            if version is None:
                raise Skip(f"{name}: no old version (loaddata writes no history)")
            url = route.path.replace(VERSION, f"{getattr(version, pk)}/history/{version.pk}/")
            return [("/" + url, version.instance)]
        return [(fill(route.path, obj), obj) for obj in objects]

    def open(self, route: Route) -> Page:
        """The first 200 over the route's objects and roles, or the last answer."""
        page = None
        for url, obj in self.targets(route):
            for role, user in self.people(route, obj):
                page = self.get(route, url, role, user, obj)
                if page.status == 200:
                    return page
        return page

    def get(self, route: Route, url: str, role: str, user, obj) -> Page:
        events = _model("AccessEvent")._default_manager
        before = events.count() if self.count_log else 0
        response: HttpResponse = self.client(role, user).get(url)
        return Page(
            path=route.path,
            url=url,
            role=role,
            username=getattr(user, "username", ""),
            status=response.status_code,
            headers=dict(response.items()),
            content=b"".join(response) if response.streaming else response.content,
            record=_record_label(obj),
            logged=self.count_log and events.count() > before,
        )


def walk_everything(*, count_log: bool = False, routes: list[Route] | None = None) -> Walk:
    """Every pattern (or those given) opened or accounted for; every skip rule must still
    match a pattern, so the list cannot go stale."""
    everything = every_route()
    walk = Walker(count_log=count_log).walk(everything if routes is None else routes)
    unused = [rule for rule in SKIPPED if not any(re.search(rule, r.path) for r in everything)]
    walk.failures += [f"skip rule that matches no pattern: {rule}" for rule in unused]
    return walk


def ensure_objects(staff) -> None:
    """Rows the seed lacks, so the pages that show one have something to show: a draft, a
    submitted and an approved record of each type (edit, approve and retire pages), an
    answer on the public register, an upload per register, a print job, an access-log
    entry, an obligation."""
    from tests import factories

    section = Section.objects.get(name="収納課")
    business = section.businesses.first()
    for factory in (
        factories.ConsignmentFactory,
        factories.LinkageFactory,
        factories.ProcessingFactory,
        factories.PersonalInfoFileFactory,
    ):
        for state in ("draft", "submitted", "approved"):
            factory(business=business, state=state)
    factories.AnswerFactory(consultation=factories.ConsultationFactory(section=section))
    paths = {
        f"{resource.__module__}.{resource.__qualname__}"
        for model_admin in admin.site._registry.values()
        for resource in getattr(model_admin, "resource_classes", [])
    }
    for resource_path in sorted(paths):
        _model("ImportRecord")._default_manager.create(
            user=staff,
            register="相手方",
            resource_path=resource_path,
            file_name="walk.xlsx",
            file_format="xlsx",
            state="running",
            total_rows=10,
        )
    ids = list(_model("Consignment")._default_manager.values_list("pk", flat=True)[:2])
    # As the print action makes them: only selections above the threshold become a job.
    _model("PrintJob")._default_manager.create(
        kind="form2", record_ids=ids, total=len(ids), requested_by=staff
    )
    # A finished background export, its file kept: the progress page and the download.
    export = _model("ExportRecord")._default_manager.create(
        user=staff,
        register="外部委託記録票",
        resource_path="consignments.resources.ConsignmentResource",
        file_format="csv",
        file_name="外部委託記録票.csv",
        record_ids=ids,
        state="done",
        total_rows=len(ids),
    )
    export.file.save("walk.csv", ContentFile("\ufeff業務登録番号\r\n".encode()))
    _model("AccessEvent")._default_manager.create(
        user=staff, username=staff.username, action="view", record_type="", record_ids=[]
    )
    factories.ObligationFactory()
    # A serious incident, released and in an ended half-year: on every public list.
    factories.IncidentFactory(
        section=section,
        discovered_on=dt.date(2025, 5, 1),
        people_count=150,
        public_summary="納付書の誤送付",
        released_on=dt.date(2025, 5, 10),
    )
    # A request asked of the section, decided, with an extension notice to print.
    factories.DecisionFactory(
        asked=factories.AskedSectionFactory(
            section=section,
            request=factories.DisclosureRequestFactory(
                extension_days=30,
                extension_reason="事務繁忙",
                extension_notified_on=dt.date(2026, 6, 20),
            ),
        )
    )
