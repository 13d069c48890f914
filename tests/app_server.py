"""A real gunicorn against the test database, for tests that need other processes (or
other machines) answering: they see only committed rows, so such tests are
transactional."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.test import Client

from tests.database import database_url

ROOT = Path(__file__).resolve().parents[1]
CSRF = "c" * 32  # the same secret in the cookie and the form, as Django checks it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def logged_in_session(user) -> requests.Session:
    """A logged-in session for `user` against a gunicorn started here (the session row
    is committed, so the server finds it)."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.cookies.set("csrftoken", CSRF)
    return session


def start_gunicorn(port: int, *, workers: int = 2, **environment: str) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:`port`, answering once each of its processes has served the
    register; `environment` adds to (or, with "", blanks) the test's own variables."""
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        # The test's own SECRET_KEY (inherited): the sessions it signs must hold there.
        "SECURE_SSL_REDIRECT": "0",
        # The second factor has its own tests (tests/accounts); here a session goes
        # straight to the pages.
        "TWO_FACTOR_REQUIRED": "0",
        **environment,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        warm = 0
        # Every process answers the register (imports, caches) before anything is timed.
        while warm < 2 * workers and time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{port}/register/", timeout=60)
                warm += 1
            except requests.ConnectionError:
                time.sleep(0.2)
        assert warm == 2 * workers, "gunicorn did not answer"
    except BaseException:
        stop(server)
        raise
    return server


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)
