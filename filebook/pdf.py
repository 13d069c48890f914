"""個人情報ファイル簿 as printed: one page per file, every item in the 帳簿's order."""

from collections.abc import Iterable, Iterator
from typing import Any

from filebook.models import PersonalInfoFile
from printing import kinds

TEMPLATE = "filebook/filebook.html"


def filebook_forms(files: Iterable[PersonalInfoFile]) -> Iterator[dict[str, Any]]:
    """Template contexts: an approved, superseded or retired version prints what was
    approved, a draft its live data; the dates come from the record."""
    for file in files:
        yield {
            "pk": file.pk,
            "items": file.shown_items(printed=True),
            "draft": not file.shows_approved_content,
            "mark": file.print_mark(),
        }


def filebook_filename(file: PersonalInfoFile) -> str:
    return f"filebook_{file.business.number}_{file.pk}.pdf"


FILEBOOK = kinds.PrintableKind(
    name="filebook",
    label="個人情報ファイル簿",
    template_name=TEMPLATE,
    queryset=lambda: PersonalInfoFile.objects.with_form_data(),
    forms=filebook_forms,
    filename=filebook_filename,
    describe=PersonalInfoFile.print_description,
    final=lambda file: file.shows_approved_content,
)
