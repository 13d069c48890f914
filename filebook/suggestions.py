"""The files of the 個人情報ファイル簿 a 開示請求等 may concern: registered with
disclosure.suggestions by config.wiring (filebook sits above disclosure)."""

from collections.abc import Iterator

from disclosure.suggestions import Suggestion, shared
from filebook.models import PersonalInfoFile


def file_suggestions(words: set[str]) -> Iterator[Suggestion]:
    for file in PersonalInfoFile.objects.in_force().select_related("business__section"):
        yield Suggestion(
            file.business.section,
            f"個人情報ファイル {file.name}",
            shared(words, f"{file.name}\n{file.record_items}"),
        )
