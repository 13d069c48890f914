"""What the public register shows: records in force, by section and business, and the
council's answers. Drafts, submissions and internal comments never reach it: only
records a reviewer approved and that are in force today are listed, each as it was
approved (its `approved_content`), so a later rename of an organisation or a business
never changes what a published record says."""

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from consignments.models import Consignment
from linkages.models import Linkage
from reviews.models import Answer
from reviews.workflow.models import ReviewedRecord


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


def _folded(text: str) -> str:
    # Full- and half-width forms match (０４０４ = 0404, ＮＴＴ = NTT), as residents type either.
    return unicodedata.normalize("NFKC", text).casefold().strip()


@dataclass(frozen=True)
class RegisterQuery:
    """A resident's search: a section by name, a business by number or name, a
    contractor (or linkage partner) by part of its name. Empty parts match everything."""

    section: str = ""
    business: str = ""
    contractor: str = ""

    def __bool__(self) -> bool:
        return bool(self.section or self.business or self.contractor)

    def matches(self, record: PublishedRecord) -> bool:
        content = record.content
        if self.section and content["section"] != self.section:
            return False
        business = f"{content['number']} {content['business_name']}"
        if self.business and _folded(self.business) not in _folded(business):
            return False
        return not self.contractor or any(
            _folded(self.contractor) in _folded(name) for name in record.contractor_names
        )


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
    records = list(published_consignments().filter(pk=pk))
    if not records:
        return None
    vocabularies = Consignment.vocabularies(records)
    return PublishedRecord(records[0], records[0].shown_content(vocabularies=vocabularies))


def published_linkage(pk: int) -> PublishedRecord | None:
    record = published_linkages().filter(pk=pk).first()
    return PublishedRecord(record, record.shown_content()) if record else None


def _published(model: type[ReviewedRecord]) -> list[PublishedRecord]:
    """The model's records in force, each with what it prints. Their approved contents
    are kept on the rows, so only a record still without one (the seed before
    records_fill_approved_content) is fetched again with everything it prints."""
    records = list(model.objects.in_force())
    lacking = [r.pk for r in records if r.approved_content is None]
    if lacking:
        complete = {r.pk: r for r in model.objects.with_form_data().filter(pk__in=lacking)}
        records = [complete.get(r.pk, r) for r in records]
    # Form 2's checkbox lists are read once for the batch (and not at all when unneeded).
    vocabularies = getattr(model, "vocabularies", None)
    options = {"vocabularies": vocabularies(records)} if vocabularies else {}
    return [PublishedRecord(r, r.shown_content(**options)) for r in records]


@dataclass
class Register:
    """The register's sections (for the search form) and the entries matching a query."""

    section_names: list[str]
    sections: list[SectionEntry]


def register_by_section(query: RegisterQuery = RegisterQuery()) -> Register:
    """Sections → businesses → their published records matching the query, in
    registration-number order, each under the section and business names it was
    approved with. The records are read once for the names and the matches."""
    entries: dict[tuple[str, str, str], BusinessEntry] = {}
    names: set[str] = set()

    def entry(content: dict) -> BusinessEntry:
        key = (content["section"], content["number"], content["business_name"])
        return entries.setdefault(key, BusinessEntry(content["number"], content["business_name"]))

    for published in _published(Consignment):
        names.add(published.content["section"])
        if query.matches(published):
            entry(published.content).consignments.append(published)
    for published in _published(Linkage):
        names.add(published.content["section"])
        if query.matches(published):
            entry(published.content).linkages.append(published)
    sections: dict[str, SectionEntry] = {}
    for key, business in sorted(entries.items(), key=lambda e: e[0][1:]):
        sections.setdefault(key[0], SectionEntry(key[0])).businesses.append(business)
    return Register(sorted(names), sorted(sections.values(), key=lambda s: s.section))
