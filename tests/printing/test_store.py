"""Approved versions are rendered once and served from the store afterwards; a changed
version or layout renders afresh, and housekeeping prunes what can no longer be served."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consignments.models import Consignment
from consignments.pdf import FORM2
from printing import kinds, pdfua, store
from printing.admin import unprintable_in
from printing.models import StoredPdf
from printing.services import stored_pdfs_prune
from reviews.workflow.services import records_fill_approved_content
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory
from tests.pdf_text import page_texts

pytestmark = pytest.mark.django_db


def load(record) -> Consignment:
    return Consignment.objects.with_form_data().get(pk=record.pk)


@pytest.fixture
def no_rendering(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("rendered instead of read from the store")

    monkeypatch.setattr(kinds, "render_each", refuse)


def test_an_approved_version_is_stored_on_its_first_print_and_read_afterwards(monkeypatch):
    record = ConsignmentFactory()
    first = FORM2.render([load(record)])
    stored = StoredPdf.objects.get(kind="form2", record_id=record.pk)
    assert bytes(stored.content) == first.content
    monkeypatch.setattr(kinds, "render_each", None)  # any render would now fail
    assert FORM2.render([load(record)]).content == first.content


def test_a_draft_is_rendered_every_time_and_never_stored():
    record = ConsignmentFactory(state=State.DRAFT)
    FORM2.render([load(record)])
    assert not StoredPdf.objects.exists()


def test_a_corrected_version_replaces_the_stored_file():
    record = ConsignmentFactory()
    FORM2.render([load(record)])
    old_key = StoredPdf.objects.get().key
    Consignment.objects.filter(pk=record.pk).update(
        approved_content={**load(record).shown_content(), "manager": "収納担当課長"}
    )
    assert "収納担当課長" in page_texts(FORM2.render([load(record)]).content)[0]
    assert StoredPdf.objects.get().key != old_key


def test_a_changed_layout_renders_afresh(monkeypatch):
    record = ConsignmentFactory()
    FORM2.render([load(record)])
    old_key = StoredPdf.objects.get().key
    monkeypatch.setattr(store, "layout_fingerprint", lambda template_name: "a new stylesheet")
    FORM2.render([load(record)])
    assert StoredPdf.objects.get().key != old_key


def test_the_layout_fingerprint_covers_the_files_and_the_fonts(tmp_path: Path):
    stylesheet = tmp_path / "forms.css"
    stylesheet.write_text("p { color: black }")
    font = tmp_path / "font.ttf"
    font.write_bytes(b"font")
    before = store.layout_digest([stylesheet], [(font, 0)])
    stylesheet.write_text("p { color: red }")
    assert store.layout_digest([stylesheet], [(font, 0)]) != before
    font.write_bytes(b"a newer font")
    assert store.layout_digest([stylesheet], [(font, 0)]) != store.layout_digest(
        [stylesheet], [(font, 1)]
    )
    template_files = store._template_files(FORM2.template_name)
    assert [path.name for path in template_files] == ["form2.html", "base.html"]


def test_the_layout_fingerprint_covers_the_pdfua_post_processing(monkeypatch):
    digested = []
    monkeypatch.setattr(store, "layout_digest", lambda files, fonts: digested.extend(files))
    store.layout_fingerprint.__wrapped__(FORM2.template_name)
    assert Path(pdfua.__file__).resolve() in digested


def test_a_batch_reads_stored_files_and_merges_them(settings, no_rendering):
    records = [ConsignmentFactory() for _ in range(3)]
    settings.PRINT_CHUNK_SIZE = 2
    for record in records:
        StoredPdf.objects.create(
            kind="form2",
            record_id=record.pk,
            key=store.pdf_key(
                kind="form2",
                template_name=FORM2.template_name,
                title=FORM2.title(load(record)),
                form=next(FORM2.forms([load(record)])),
            ),
            content=_render(record),
            pages=1,
        )
    progress: list[int] = []
    target = io.BytesIO()
    result = FORM2.write(
        FORM2.records(ids=[r.pk for r in records]), target, on_progress=progress.append
    )
    assert result.pages == 3
    assert progress == [2, 3]
    assert len(page_texts(target.getvalue())) == 3


def _render(record) -> bytes:
    from printing.render import render_forms

    form = next(FORM2.forms([load(record)]))
    return render_forms(FORM2.template_name, [form], title="試験", tagged=True).content


def test_pruning_removes_what_can_no_longer_be_served_and_keeps_the_rest(monkeypatch):
    current, corrected, superseded, deleted, other_layout = (ConsignmentFactory() for _ in range(5))
    monkeypatch.setattr(store, "layout_fingerprint", lambda template_name: "an older stylesheet")
    FORM2.render([load(other_layout)])
    monkeypatch.undo()
    for record in (current, corrected, superseded, deleted):
        FORM2.render([load(record)])
    StoredPdf.objects.create(
        kind="retired-kind", record_id=current.pk, key="k", content=b"", pages=1
    )
    Consignment.objects.filter(pk=corrected.pk).update(
        approved_content={**load(corrected).shown_content(), "manager": "収納担当課長"}
    )
    # Superseded and ended: it prints with its 旧版 mark now (one still in force until
    # its end date prints as approved, reviews/workflow/standing.py).
    Consignment.objects.filter(pk=superseded.pk).update(
        state=State.AMENDED, effective_until=dt.date(2020, 3, 31)
    )
    Consignment.objects.filter(pk=deleted.pk).delete()

    assert stored_pdfs_prune() == 5
    assert list(StoredPdf.objects.values_list("kind", "record_id")) == [("form2", current.pk)]
    # What is kept is still read, not rendered.
    monkeypatch.setattr(kinds, "render_each", None)
    FORM2.render([load(current)])
    assert stored_pdfs_prune() == 0


def test_housekeeping_prunes_the_store(monkeypatch):
    record = ConsignmentFactory()
    FORM2.render([load(record)])
    monkeypatch.setattr(store, "layout_fingerprint", lambda template_name: "a new stylesheet")
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert "削除した保存済みPDF（様式の変更・訂正など）: 1件" in out.getvalue()
    assert not StoredPdf.objects.exists()


def test_a_stored_version_is_known_printable_without_rendering_its_form(monkeypatch):
    record = ConsignmentFactory()
    FORM2.render([load(record)])

    def refuse(*args, **kwargs):
        raise AssertionError("the form was rendered to look for unprintable characters")

    monkeypatch.setattr(kinds, "render_html", refuse)
    assert FORM2.unprintable([load(record)]) == []


def test_a_version_with_an_unprintable_character_is_never_stored_and_always_warns(
    weasyprint_warnings,
):
    record = ConsignmentFactory()
    Consignment.objects.filter(pk=record.pk).update(
        approved_content={**load(record).shown_content(), "manager": "🪐課長"}
    )
    assert FORM2.render([load(record)]).missing_glyphs == ["🪐"]
    assert not StoredPdf.objects.exists()
    assert FORM2.unprintable([load(record)]) == ["🪐"]
    # WeasyPrint reports the blank box too; provoked on purpose here.
    weasyprint_warnings.clear()


def test_the_admin_finds_a_stored_version_printable_in_two_queries():
    record = ConsignmentFactory()
    records_fill_approved_content(model=Consignment)  # as approving keeps it
    FORM2.render([load(record)])
    with CaptureQueriesContext(connection) as queries:
        assert unprintable_in(FORM2.name, record.pk) == []
    # The record (its lists are not read: it prints what it kept) and its file's key.
    assert len(queries) == 2, [q["sql"][:90] for q in queries.captured_queries]
