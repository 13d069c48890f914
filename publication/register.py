"""What the public register shows: records in force, by section and business, and the
council's answers. Drafts, submissions and internal comments never reach it: only
records a reviewer approved and that are in force today are listed."""

from dataclasses import dataclass, field

from consignments.models import Consignment
from linkages.models import Linkage
from registry.models import Business, Section
from reviews.models import Answer


@dataclass
class BusinessEntry:
    business: Business
    consignments: list[Consignment] = field(default_factory=list)
    linkages: list[Linkage] = field(default_factory=list)


@dataclass
class SectionEntry:
    section: Section
    businesses: list[BusinessEntry] = field(default_factory=list)


def published_consignments():
    return Consignment.objects.in_force().with_form_data()


def published_linkages():
    return Linkage.objects.in_force().with_form_data()


def published_answers():
    return Answer.objects.select_related("consultation").order_by("-answered_on", "-number")


def register_by_section() -> list[SectionEntry]:
    """Sections → businesses → their published records, in registration-number order."""
    entries: dict[int, BusinessEntry] = {}
    for consignment in published_consignments():
        entries.setdefault(
            consignment.business_id, BusinessEntry(consignment.business)
        ).consignments.append(consignment)
    for linkage in published_linkages():
        entries.setdefault(linkage.business_id, BusinessEntry(linkage.business)).linkages.append(
            linkage
        )
    sections: dict[int, SectionEntry] = {}
    for entry in sorted(entries.values(), key=lambda e: e.business.number):
        section = entry.business.section
        sections.setdefault(section.pk, SectionEntry(section)).businesses.append(entry)
    return sorted(sections.values(), key=lambda s: (s.section.department, s.section.name))
