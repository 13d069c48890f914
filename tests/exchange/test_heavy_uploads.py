"""The heavy files of issue 23 posted to a real gunicorn while another client reads the
public register: the uploads are stored and answered at once, the reader is answered in
normal time, and the task worker refuses both files with a Japanese reason shown on
their progress pages. Before, each upload was parsed in the request (500 after the
30 s worker timeout) and two at once left the register unanswered."""

import os
import subprocess
import sys
import threading
import time

import pytest
import requests
from django.test import Client
from django.urls import reverse

from exchange.models import ImportRecord
from registry import roles
from tests.app_server import CSRF, ROOT, free_port, logged_in_session, start_gunicorn, stop
from tests.database import database_url
from tests.exchange import heavy_files
from tests.factories import SectionFactory, UserFactory, user_with_role


# gunicorn and the worker are other processes: they see only committed rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_heavy_uploads_leave_the_register_answered_and_are_refused_by_the_worker():
    staff = user_with_role(roles.SECTION_STAFF, SectionFactory())
    clerk = UserFactory(is_staff=True, is_superuser=True)
    uploads = [
        # ~118 KB, millions of tiny shared strings, to a section's staff import
        (staff, reverse("consignments:import"), heavy_files.many_shared_strings(), {}),
        # 20,000 × 90 cells, to the admin's import
        (
            clerk,
            reverse("admin:registry_organization_import"),
            heavy_files.wide_sheet(),
            {"format": "0"},
        ),
    ]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    answers: dict[int, tuple[int, float, str]] = {}
    reads: list[tuple[int, float]] = []
    try:

        def post(index: int, user, url: str, data: bytes, fields: dict) -> None:
            started = time.monotonic()
            response = logged_in_session(user).post(
                base + url,
                data={"csrfmiddlewaretoken": CSRF, **fields},
                files={"import_file": ("重い.xlsx", data)},
                allow_redirects=False,
                timeout=60,
            )
            answers[index] = (
                response.status_code,
                round(time.monotonic() - started, 2),
                response.headers.get("Location", ""),
            )

        posting = [
            threading.Thread(target=post, args=(index, *upload))
            for index, upload in enumerate(uploads)
        ]
        for thread in posting:
            thread.start()
        while any(thread.is_alive() for thread in posting) or len(reads) < 5:
            started = time.monotonic()
            response = requests.get(f"{base}/register/", timeout=60)
            reads.append((response.status_code, round(time.monotonic() - started, 2)))
        for thread in posting:
            thread.join()
    finally:
        stop(server)

    # The uploads were stored, not read: each answered with the redirect to its page.
    assert [answers[i][0] for i in range(len(uploads))] == [302, 302], answers
    assert "/import/" in answers[0][2] and "/progress/" in answers[1][2], answers
    assert max(seconds for _, seconds, _ in answers.values()) < 10, answers
    # The reader was answered every time, in normal time (parsed in the request, the
    # files held both gunicorn processes until their 30 s timeout).
    assert all(status == 200 for status, _ in reads), reads
    assert max(seconds for _, seconds in reads) < 10, reads
    print(f"uploads answered in {answers}, register read in {reads}")

    records = list(ImportRecord.objects.order_by("pk"))
    assert [r.state for r in records] == [ImportRecord.State.PREVIEW_QUEUED] * 2
    worker = subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", "--no-startup-delay", "-v", "0"],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url(), "SECRET_KEY": "worker-under-test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    by_user = {r.user_id: r for r in ImportRecord.objects.all()}
    strings, cells = by_user[staff.pk], by_user[clerk.pk]
    assert (strings.state, cells.state) == ("refused", "refused")
    assert "文字列が多すぎます" in strings.messages[0]
    assert "セルが多すぎます" in cells.messages[0]
    # The reason is on each import's progress page, in Japanese.
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("consignments:import_status", args=[strings.pk]))
    assert "文字列が多すぎます" in page.content.decode()
    client.force_login(clerk)
    page = client.get(reverse("admin:exchange_importrecord_progress", args=[cells.pk]))
    assert "セルが多すぎます" in page.content.decode()
