"""What the public register shows: records in force, by section and business, and the
council's answers. Drafts, submissions and internal comments never reach it: only
records a reviewer approved and that are in force today are listed, each as it was
approved (its `approved_content`), so a later rename of an organisation or a business
never changes what a published record says."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import CharField, QuerySet, Value
from django.utils import timezone

from consignments.models import Consignment
from linkages.models import Linkage
from notation.search import fold
from registry.changes import cached_for_everyone
from registry.public_pages import PageLinks
from reviews.models import Answer
from reviews.workflow.models import REGISTER_ORDER, ReviewedRecord


@dataclass
class PublishedRecord:
    record: ReviewedRecord
    content: dict

    @property
    def pk(self) -> int:
        return self.record.pk

    @property
    def council_references(self) -> list[str]:
        """Form 2's 審議会事項 in print order: consultations by date, then categories."""
        return [c["label"] for c in self.content.get("consultations", [])] + self.content.get(
            "categories", []
        )

    @property
    def linked_on(self) -> dt.date | None:
        value = self.content.get("linked_on")
        return dt.date.fromisoformat(value) if value else None

    @property
    def contractor_names(self) -> list[str]:
        """Who receives the data: Form 2's contractors, Form 5's linkage partner."""
        if "contractors" in self.content:
            return [c["name"] for c in self.content["contractors"]]
        return [self.content["partner"]["name"]]

    @property
    def partner(self) -> str:
        partner = self.content["partner"]["name"]
        if self.content.get("partner_role"):
            partner += f"（{self.content['partner_role']}）"
        return partner


@dataclass
class BusinessEntry:
    number: str
    name: str
    consignments: list[PublishedRecord] = field(default_factory=list)
    linkages: list[PublishedRecord] = field(default_factory=list)


@dataclass
class SectionEntry:
    section: str
    businesses: list[BusinessEntry] = field(default_factory=list)


@dataclass(frozen=True)
class RegisterQuery:
    """A resident's search: a section by name, a business by number or name, a
    contractor (or linkage partner) by part of its name. Empty parts match everything.
    Full- and half-width forms, case and kana match (notation.search), as residents
    type either (０４０４ = 0404, ＮＴＴ = NTT)."""

    section: str = ""
    business: str = ""
    contractor: str = ""

    def __bool__(self) -> bool:
        return bool(self.section or self.business or self.contractor)

    def filter(self, records: QuerySet) -> QuerySet:
        """The records matching, by the folded columns the write services keep
        (ReviewedRecord.set_approved_content): the database does the search."""
        if self.section:
            records = records.filter(register_section=self.section)
        if self.business:
            records = records.filter(register_business__contains=fold(self.business))
        if self.contractor:
            records = records.filter(register_parties__contains=fold(self.contractor))
        return records


def published_consignments():
    return Consignment.objects.in_force().with_form_data()


def published_linkages():
    return Linkage.objects.in_force().with_form_data()


def published_answers():
    return (
        Answer.objects.published()
        .select_related("consultation")
        .order_by("-answered_on", "-number")
    )


def published_consignment(pk: int) -> PublishedRecord | None:
    return _published_one(Consignment, pk)


def published_linkage(pk: int) -> PublishedRecord | None:
    return _published_one(Linkage, pk)


def _published_one(model: type[ReviewedRecord], pk: int) -> PublishedRecord | None:
    """One record in force as its public page shows it: one query when it keeps its
    approved content, as every approved record does."""
    return _with_content(model, list(model.objects.in_force().filter(pk=pk))).get(pk)


def _published(model: type[ReviewedRecord], pks: list[int]) -> dict[int, PublishedRecord]:
    """The page's records of one model, each with what it prints."""
    if not pks:
        return {}
    return _with_content(model, list(model.objects.filter(pk__in=pks)))


def _with_content(
    model: type[ReviewedRecord], records: list[ReviewedRecord]
) -> dict[int, PublishedRecord]:
    """The records with what they print. Their approved contents are kept on the rows,
    so only a record still without one (the seed before records_fill_approved_content)
    is fetched again with everything it prints."""
    lacking = [r.pk for r in records if r.approved_content is None]
    if lacking:
        complete = {r.pk: r for r in model.objects.with_form_data().filter(pk__in=lacking)}
        records = [complete.get(r.pk, r) for r in records]
    # Form 2's checkbox lists are read once for the batch (and not at all when unneeded).
    vocabularies = getattr(model, "vocabularies", None)
    options = {"vocabularies": vocabularies(records)} if vocabularies else {}
    return {r.pk: PublishedRecord(r, r.shown_content(**options)) for r in records}


# The record types the register lists, by the kind a page row carries.
KINDS: dict[str, type[ReviewedRecord]] = {"consignment": Consignment, "linkage": Linkage}


class _Rows:
    """(section, business, kind, pk) of every matching record in force, in register
    order, as the Paginator takes them. A page is read from each record type's index
    (register_order_index) up to the page's end, and only those rows are sorted
    together: page one costs the same at any size of the register. The count is kept
    per change stamp, shared by every page of the same search."""

    def __init__(self, query: RegisterQuery, today: dt.date):
        self.query = query
        self.today = today

    def _parts(self) -> list[QuerySet]:
        return [
            self.query.filter(model.objects.in_force(self.today)).order_by(*REGISTER_ORDER)
            for model in KINDS.values()
        ]

    def count(self) -> int:
        def build() -> int:
            parts = [part.order_by().values_list("pk") for part in self._parts()]
            return parts[0].union(*parts[1:], all=True).count()

        query = self.query
        return cached_for_everyone(
            "public-register-count",
            self.today,
            query.section,
            query.business,
            query.contractor,
            build=build,
        )

    def __getitem__(self, page: slice) -> list[tuple[str, str, str, int]]:
        if not page.stop:
            return []  # nothing matches: an empty slice would not combine
        parts = [
            part.annotate(kind=Value(kind, output_field=CharField())).values_list(
                "register_section", "register_business", "kind", "pk"
            )[: page.stop]
            for kind, part in zip(KINDS, self._parts(), strict=True)
        ]
        return list(
            parts[0]
            .union(*parts[1:], all=True)
            .order_by("register_section", "register_business", "kind", "pk")[page]
        )


def section_names(today: dt.date | None = None) -> list[str]:
    """The sections of the records in force, for the search form: one query, kept per
    change stamp (it is the same for every search and page)."""

    def build() -> list[str]:
        parts = [
            model.objects.in_force(today)
            .exclude(register_section="")
            .order_by()
            .values_list("register_section", flat=True)
            for model in KINDS.values()
        ]
        return sorted(set(parts[0].union(*parts[1:])))

    return cached_for_everyone("public-register-sections", today, build=build)


@dataclass
class Register:
    """The register's sections (for the search form), one page of the entries matching
    a query grouped by section and business, and where the page stands."""

    section_names: list[str]
    sections: list[SectionEntry]
    page: PageLinks


def register_page(
    query: RegisterQuery = RegisterQuery(), page: object = 1, today: dt.date | None = None
) -> Register:
    """One page (PUBLIC_PAGE_SIZE records) of sections → businesses → published records
    in force `today` matching the query, in section and registration-number order, each
    under the section and business names it was approved with. The same number of
    queries at any size of the register."""
    today = today or timezone.localdate()
    found = Paginator(_Rows(query, today), settings.PUBLIC_PAGE_SIZE).get_page(page)
    rows = found.object_list
    published = {
        kind: _published(model, [pk for _, _, row_kind, pk in rows if row_kind == kind])
        for kind, model in KINDS.items()
    }
    entries: dict[tuple[str, str, str], BusinessEntry] = {}
    for _, _, kind, pk in rows:
        record = published[kind][pk]
        content = record.content
        key = (content["section"], content["number"], content["business_name"])
        entry = entries.setdefault(key, BusinessEntry(content["number"], content["business_name"]))
        (entry.consignments if kind == "consignment" else entry.linkages).append(record)
    sections: dict[str, SectionEntry] = {}
    for (section, _, _), business in entries.items():
        sections.setdefault(section, SectionEntry(section)).businesses.append(business)
    return Register(section_names(today), list(sections.values()), PageLinks.of(found))


def answers_page(page: object = 1) -> tuple[list[Answer], PageLinks]:
    """One page of the published answers, newest first."""
    found = Paginator(published_answers(), settings.PUBLIC_PAGE_SIZE).get_page(page)
    return list(found.object_list), PageLinks.of(found)
