"""The import preview at 1366 px, as the task worker leaves it on the import's progress
page: the page keeps the window's width, lists the rows it would change, and gives the
reasons for a refusal in Japanese (never the `__all__` key of a row-wide error)."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.spreadsheets import SpreadsheetXLSX
from registry.models import Section
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory, user_with_role

PASSWORD = "pass-for-tests"
LONG_CONTENT = "・納付書の情報を受け取り、収納の結果を区に送信する。" * 4


def changed_file(user, records, content: str, path) -> str:
    data = SpreadsheetXLSX().export_data(
        ConsignmentResource(user=user).export(queryset=Consignment.objects.filter(pk__in=records))
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    column = [cell.value for cell in sheet[1]].index("委託内容") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column).value = content
    book.save(path)
    return str(path)


def preview(page, live_server, path: str, task_worker) -> None:
    page.goto(f"{live_server.url}/admin/consignments/consignment/import/")
    page.set_input_files("#id_import_file", path)
    page.get_by_label("フォーマット").select_option("0")
    page.get_by_role("button", name="ファイルを確認する").click()
    expect(page.locator("#import-progress")).to_be_visible()
    task_worker()  # the worker reads and checks the file, never the request
    page.reload()
    expect(page.locator("#import-state")).not_to_have_text("確認待ち")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_the_preview_fits_1366_px_and_says_what_it_would_change(
    live_server, browser, settings, tmp_path, task_worker
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    admin = user_with_role(None, username="layout-admin", is_staff=True, is_superuser=True)
    section = Section.objects.get(name="収納課")
    draft = ConsignmentFactory(business=section.businesses.first(), state=State.DRAFT)
    approved = Consignment.objects.filter(state=State.APPROVED).values_list("pk", flat=True)
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill(admin.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()

    # A draft's changed content: the preview of what would be imported.
    path = changed_file(admin, [draft.pk], LONG_CONTENT, tmp_path / "a.xlsx")
    preview(page, live_server, path, task_worker)
    expect(page.locator("#import-rows tbody td:nth-child(2)")).to_have_text(["変更"])
    expect(page.get_by_role("button", name="取り込みを実行")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # Approved records cannot be changed by an import: every row refused, in Japanese.
    path = changed_file(admin, list(approved), LONG_CONTENT, tmp_path / "b.xlsx")
    preview(page, live_server, path, task_worker)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    errors = page.locator("#import-messages li").all_inner_texts()
    assert errors
    assert all("取り込みで変更できません" in text for text in errors)
    assert "__all__" not in page.content()
    expect(page.get_by_role("button", name="取り込みを実行")).to_have_count(0)
