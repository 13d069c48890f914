"""Django finds the app's models here, in one app label `reviews` (one migrations
folder), though they live in three parts, each importing only the ones below it:
reviews.council (criteria, reports, consultations, meetings, answers, obligations) at the
bottom; reviews.workflow (states, transitions and the reviewed-record base), which builds
on the council's records for an approval's basis; and reviews.committee (the internal
committee's meetings and agenda items), which builds on the workflow."""

# After the workflow: an agenda item puts forward reviewed records.
from reviews.committee.models import AgendaItem, AgendaRecord, CommitteeMeeting
from reviews.council.models import (
    OUTSOURCING_CHAPTER,
    Answer,
    CategoryExample,
    Consultation,
    ConsultationCounter,
    CouncilMeeting,
    Obligation,
    PreApprovalCategory,
    PreApprovalReport,
    ReportItem,
)
from reviews.workflow.models import ReviewedQuerySet, ReviewedRecord, Transition

__all__ = [
    "OUTSOURCING_CHAPTER",
    "AgendaItem",
    "AgendaRecord",
    "Answer",
    "CategoryExample",
    "CommitteeMeeting",
    "Consultation",
    "ConsultationCounter",
    "CouncilMeeting",
    "Obligation",
    "PreApprovalCategory",
    "PreApprovalReport",
    "ReportItem",
    "ReviewedQuerySet",
    "ReviewedRecord",
    "Transition",
]
