"""The 個人情報ファイル簿 must agree with the register it is built from: what a Form 2
contractor receives is among the 記録項目 of its 業務's file, and every linkage partner
of the 業務 is among the file's 経常的提供先. Run with the data-flow rules
(`manage.py checkflows`, registered by config.wiring) and shown as a warning
when a file is saved."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from consignments.models import Consignment
from filebook.models import PersonalInfoFile
from linkages.models import Linkage
from payments.models import Flow
from payments.rules import Problem
from reviews.workflow.states import EDITABLE_STATES, UNDER_REVIEW_STATES, State

RULE = "個人情報ファイル簿"


def files_on(on: dt.date):
    """The files that describe a 業務 on `on`: the approved ones in force, and those being
    prepared (draft, returned, under review) that are meant to be in force by then."""
    preparing = EDITABLE_STATES | UNDER_REVIEW_STATES
    return PersonalInfoFile.objects.filter(
        Q(pk__in=PersonalInfoFile.objects.in_force(on))
        | Q(state__in=preparing, effective_from__lte=on)
    ).select_related("business")


def _received_by(consignment: Consignment, flows: list[Flow]) -> list[str]:
    """The items the record's contractors receive (or relay) in the flows of its 業務."""
    contractors = {o.pk for o in consignment.contractors.all()}
    names: list[str] = []
    for flow in flows:
        if consignment.business_id not in {b.pk for b in flow.businesses()}:
            continue
        for party in (flow.receiver, flow.via):
            if (
                party is None
                or party.organization_id not in contractors
                or (party.contractor_type and party.contractor_type != consignment.contractor_type)
            ):
                continue
            for item in flow.carried_items():
                if item.name not in names:
                    names.append(item.name)
    return names


def _listed(name: str, entries: list[str]) -> bool:
    # A recipient may be written with its role or address after the name.
    return any(name in entry for entry in entries)


def _file_problems(
    file: PersonalInfoFile,
    consignments: list[Consignment],
    linkages: list[Linkage],
    flows: list[Flow],
) -> list[Problem]:
    problems = []
    listed = set(file.record_item_names)
    for consignment in consignments:
        if consignment.business_id != file.business_id:
            continue
        missing = [name for name in _received_by(consignment, flows) if name not in listed]
        if missing:
            problems.append(
                Problem(
                    RULE,
                    f"外部委託記録票「{consignment.business.number} {consignment.contractor_type}」"
                    f"の委託先が受け取る「{'」「'.join(missing)}」が、個人情報ファイル"
                    f"「{file.name}」（No.{file.pk}）の記録項目にありません。",
                    consignment_id=consignment.pk,
                )
            )
    for linkage in linkages:
        if linkage.business_id == file.business_id and not _listed(
            linkage.partner.name, file.recipient_names
        ):
            problems.append(
                Problem(
                    RULE,
                    f"電算結合記録票「{linkage.business.number} {linkage.partner.name}」の相手方が、"
                    f"個人情報ファイル「{file.name}」（No.{file.pk}）の記録情報の経常的提供先に"
                    "ありません。",
                    linkage_id=linkage.pk,
                )
            )
    return problems


def check_files(today: dt.date | None = None, files=None) -> list[Problem]:
    """Problems of every file that describes its 業務 today (or of `files`): each must
    list what the 業務's contractors receive and name each of its linkage partners."""
    today = today or timezone.localdate()
    files = list(files_on(today) if files is None else files)
    if not files:
        return []
    businesses = {file.business_id for file in files}
    flows = [f for f in Flow.objects.with_parties() if f.is_in_force_on(today)]
    consignments = list(
        Consignment.objects.in_force(today).filter(business_id__in=businesses).with_form_data()
    )
    linkages = list(
        Linkage.objects.in_force(today)
        .filter(business_id__in=businesses)
        .select_related("business", "partner")
    )
    return [
        problem for file in files for problem in _file_problems(file, consignments, linkages, flows)
    ]


def problems_for_file(file: PersonalInfoFile) -> list[Problem]:
    """What a save of `file` warns about, and its record page shows (nothing for a
    superseded or retired version: the register has moved on)."""
    if file.state in (State.AMENDED, State.RETIRED):
        return []
    return check_files(files=[file])
