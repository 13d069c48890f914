"""What the public register shows: records in force, by section and business, and the
council's answers. Drafts, submissions and internal comments never reach it: only
records a reviewer approved and that are in force today are listed, each as it was
approved (its `approved_content`), so a later rename of an organisation or a business
never changes what a published record says."""

import datetime as dt
from dataclasses import dataclass, field

from consignments.models import Consignment
from linkages.models import Linkage
from reviews.models import Answer
from reviews.workflow.models import ReviewedRecord
from reviews.workflow.services import records_printed


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


def published_consignments():
    return Consignment.objects.in_force().with_form_data()


def published_linkages():
    return Linkage.objects.in_force().with_form_data()


def published_answers():
    return Answer.objects.select_related("consultation").order_by("-answered_on", "-number")


def register_by_section() -> list[SectionEntry]:
    """Sections → businesses → their published records, in registration-number order,
    each under the section and business names it was approved with."""
    entries: dict[tuple[str, str, str], BusinessEntry] = {}

    def entry(content: dict) -> BusinessEntry:
        key = (content["section"], content["number"], content["business_name"])
        return entries.setdefault(key, BusinessEntry(content["number"], content["business_name"]))

    consignments = list(published_consignments())
    contents = records_printed(
        records=consignments, vocabularies=Consignment.vocabularies(consignments)
    )
    for record, content in zip(consignments, contents, strict=True):
        entry(content).consignments.append(PublishedRecord(record, content))
    linkages = list(published_linkages())
    for record, content in zip(linkages, records_printed(records=linkages), strict=True):
        entry(content).linkages.append(PublishedRecord(record, content))
    sections: dict[str, SectionEntry] = {}
    for key, business in sorted(entries.items(), key=lambda e: e[0][1:]):
        sections.setdefault(key[0], SectionEntry(key[0])).businesses.append(business)
    return sorted(sections.values(), key=lambda s: s.section)
