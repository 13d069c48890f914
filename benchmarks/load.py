"""Load test: staff browsing, reviewers working the queue, clerks printing and anonymous
visitors reading the public register, against the production stack on this machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/load.py \
        [--users 150] [--seconds 60] [--workers 2] [--flood 0]

It creates a throw-away database beside the one DATABASE_URL names (dropped at the end),
migrates it, loads the seed and the demo users, and starts gunicorn (--workers) and the
task worker on a free loopback port. Locust (as a library, in this process) then runs
two passes, each bounded in time: one user of each kind alone (the baseline of this run)
and the full load. Users arrive ten a second and log in; the full load is measured for
--seconds from the moment all have arrived (the ramp-up's figures are printed apart).
Only 127.0.0.1 receives traffic.

It prints, per page, requests, median and p95 (ms) alone and under load, the ratio of
the loaded p95 to the unloaded median, errors, the overall throughput, and the CPU time
each request cost the app, the database and the load generator: unlike the times, that
does not depend on what else the machine is doing.
Every simulated client sends an address of its own (X-Forwarded-For, the stack runs
with TRUSTED_PROXIES=1); the --flood clients share one, so the public download limit
answers most of their requests with 429 (counted apart, not as errors).
Targets (issue 12): 150 users with p95 under 500 ms and no errors; with --flood N
anonymous clients requesting public PDFs without pause, staff pages' p95 stays under
500 ms.
"""

# Locust patches the standard library for gevent; it must be imported first.
from locust import HttpUser, between, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import gevent
import psutil
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password-2026"
CONSIGNMENTS = range(1, 11)  # the seed's Form 2 records (all 収納課)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class Stack:
    """A throw-away database, gunicorn and the task worker."""

    def __init__(self, base_url: str, workers: int):
        self.name = f"load_{uuid.uuid4().hex[:10]}"
        self.admin_url = _with_database(base_url, "postgres")
        self.database_url = _with_database(base_url, self.name)
        self.port = _free_port()
        self.workers = workers
        self.processes: list[subprocess.Popen] = []
        self.env = os.environ | {
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": "load-test-only",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "DEMO_PASSWORD": PASSWORD,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_ACCESS_LOG": "/dev/null",
            # Many users share one name here; lockouts would skew the run.
            "AXES_FAILURE_LIMIT": "1000",
            # The simulated reviewers and clerks have no authenticator app; production
            # requires one (a code check per login, not per page).
            "TWO_FACTOR_REQUIRED": "0",
            # As behind the ward's proxy: each simulated client sends its own address.
            "TRUSTED_PROXIES": "1",
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def __enter__(self) -> "Stack":
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.manage("migrate", "--no-input", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        self.manage("loadseed", "-v0")
        self.manage("loaddemo")
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--no-reload"],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn and the worker did not become healthy")

    def cpu_seconds(self) -> dict[str, dict[int, float]]:
        """CPU time used so far by each process of the stack, by part: gunicorn (master and
        workers), the task worker and the PostgreSQL backends serving this database."""

        def used(pids) -> dict[int, float]:
            times = {}
            for pid in pids:
                try:
                    cpu = psutil.Process(pid).cpu_times()
                except psutil.Error:
                    continue  # a process that ended in between
                times[pid] = cpu.user + cpu.system
            return times

        gunicorn, worker = (psutil.Process(p.pid) for p in self.processes)
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            backends = [
                pid
                for (pid,) in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.name]
                )
            ]
        return {
            "app": used([gunicorn.pid, *(c.pid for c in gunicorn.children(recursive=True))]),
            "worker": used([worker.pid]),
            "database": used(backends),
            "load generator": used([os.getpid()]),
        }

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ADDRESSES = (f"10.{n // 250}.{n % 250}.1" for n in range(1, 60_000))
# Every flood client comes from one address, as one misbehaving client would.
FLOOD_ADDRESS = "203.0.113.10"


class Client(HttpUser):
    """A user at an address of its own (X-Forwarded-For, read as behind the proxy)."""

    abstract = True

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-For"] = next(_ADDRESSES)


class SignedIn(Client):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        super().on_start()
        page = self.client.get("/accounts/login/", name="ログイン画面")
        token = _CSRF.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="ログイン",
        )


class SectionStaff(SignedIn):
    weight = 4
    username = "shuno"

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/", name="ダッシュボード")

    @task(2)
    def consignment_list(self) -> None:
        self.client.get("/consignments/", name="第2号様式一覧")

    @task(4)
    def consignment_page(self) -> None:
        self.client.get(f"/consignments/{random.choice(CONSIGNMENTS)}/", name="第2号様式の記録")

    @task(1)
    def report_list(self) -> None:
        self.client.get("/reports/", name="報告一覧")


class Reviewer(SignedIn):
    weight = 2
    username = "shinsa"

    @task(2)
    def queue(self) -> None:
        self.client.get("/admin/consignments/consignment/?queue=waiting", name="審査待ち")

    @task(3)
    def record(self) -> None:
        pk = random.choice(CONSIGNMENTS)
        self.client.get(f"/admin/consignments/consignment/{pk}/change/", name="審査画面")


class Clerk(SignedIn):
    weight = 1
    username = "jimu"

    @task(3)
    def print_form(self) -> None:
        self.client.get(f"/consignments/{random.choice(CONSIGNMENTS)}/form2.pdf", name="印刷")

    @task(1)
    def summary(self) -> None:
        self.client.get("/council/summary/", name="年次報告")


class Visitor(Client):
    weight = 4
    wait_time = between(1, 3)

    @task(3)
    def register(self) -> None:
        self.client.get("/register/", name="公開登録簿")

    @task(1)
    def public_pdf(self) -> None:
        pk = random.choice(CONSIGNMENTS)
        self.client.get(f"/register/consignments/{pk}/form2.pdf", name="公開PDF")


USERS = [SectionStaff, Reviewer, Clerk, Visitor]


class PdfFlood(HttpUser):
    """An anonymous client asking for public PDFs as fast as it gets answers (--flood):
    staff pages must stay fast while it runs."""

    fixed_count = 0  # set from --flood
    wait_time = constant(0)
    refused = 0  # answered 429 by the download limit: what the limit is for, no error

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-For"] = FLOOD_ADDRESS

    @task
    def public_pdf(self) -> None:
        pk = random.choice(CONSIGNMENTS)
        url = f"/register/consignments/{pk}/form2.pdf"
        with self.client.get(url, name="公開PDF（大量）", catch_response=True) as response:
            if response.status_code == 429:
                PdfFlood.refused += 1
                response.success()


# Users arrive ten a second, each logging in first; the figures describe the steady state
# once everyone has arrived (locust's --reset-stats), the ramp-up is reported apart.
SPAWN_RATE = 10


def run(
    host: str, users: int, seconds: float, flood: int = 0, at_steady_state=lambda: None
) -> tuple[Environment, dict]:
    """(the environment with the steady state's stats, the ramp-up's figures)."""
    classes = USERS
    if flood:
        PdfFlood.fixed_count = flood
        classes = [*USERS, PdfFlood]
    env = Environment(user_classes=classes, host=host)
    runner = env.create_local_runner()
    ramp: dict = {}

    def arrived(user_count: int) -> None:
        total = env.stats.total
        ramp.update(
            seconds=time.monotonic() - started,
            requests=total.num_requests,
            p95=total.get_response_time_percentile(0.95) or 0,
            errors=total.num_failures,
        )
        env.stats.reset_all()
        at_steady_state()
        gevent.spawn_later(seconds, runner.quit)

    env.events.spawning_complete.add_listener(arrived)
    started = time.monotonic()
    runner.start(users + flood, spawn_rate=SPAWN_RATE)
    runner.greenlet.join()
    return env, ramp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--flood",
        type=int,
        default=0,
        help="anonymous clients requesting public PDFs with no pause, besides the users",
    )
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        sys.exit(
            "DATABASE_URL を PostgreSQL に設定してください（使い捨てのデータベースを隣に作ります）。"
        )

    with Stack(base_url, args.workers) as stack:
        alone = run(stack.url, users=len(USERS), seconds=max(5, args.seconds / 4))[0].stats
        before: dict = {}
        env, ramp = run(
            stack.url,
            users=args.users,
            seconds=args.seconds,
            flood=args.flood,
            at_steady_state=lambda: before.update(stack.cpu_seconds()),
        )
        loaded = env.stats
        after = stack.cpu_seconds()

    flood = f" + {args.flood} public-PDF flood clients" if args.flood else ""
    print(
        f"{args.users} users{flood}, {args.seconds:.0f} s once all had arrived, "
        f"gunicorn {args.workers} workers + task worker"
    )
    print(
        f"ramp-up: {args.users + args.flood} users arrived ({SPAWN_RATE}/s, each logging in) in "
        f"{ramp['seconds']:.0f} s: {ramp['requests']} requests, p95 {ramp['p95']:.0f} ms, "
        f"{ramp['errors']} errors; the figures below are from then on"
    )
    print(
        f"{'page':<14}{'requests':>9}{'alone p50':>11}{'load p50':>10}{'load p95':>10}"
        f"{'p95/alone':>11}{'errors':>8}"
    )
    for (name, method), entry in sorted(loaded.entries.items()):
        base = alone.entries.get((name, method))
        base_median = base.median_response_time if base and base.num_requests else 0
        p95 = entry.get_response_time_percentile(0.95) or 0
        ratio = f"{p95 / base_median:.1f}x" if base_median else "-"
        print(
            f"{name:<14}{entry.num_requests:>9}{base_median:>11.0f}"
            f"{entry.median_response_time or 0:>10.0f}{p95:>10.0f}{ratio:>11}"
            f"{entry.num_failures:>8}"
        )
    staff = [
        entry
        for (name, _), entry in loaded.entries.items()
        if name
        in {
            "ダッシュボード",
            "第2号様式一覧",
            "第2号様式の記録",
            "報告一覧",
            "審査待ち",
            "審査画面",
        }
    ]
    if args.flood:
        print(
            f"flood from one address: {PdfFlood.refused} of its requests refused (429) by the "
            "download limit, the rest served"
        )
    if staff:
        worst = max(entry.get_response_time_percentile(0.95) or 0 for entry in staff)
        print(f"staff and reviewer pages: worst p95 {worst:.0f} ms (target < 500 ms)")
    total = loaded.total
    # CPU per request does not depend on what else the machine runs, unlike the times:
    # the cores divided by it is the throughput this stack can reach here.
    # (A backend that ended during the run, with connections closed per request, is lost.)
    spent = {
        part: sum(cpu - before[part].get(pid, 0.0) for pid, cpu in after[part].items())
        for part in after
    }
    requests = max(total.num_requests, 1)
    per_request = sum(spent.values()) / requests
    print(
        "CPU per request: "
        + ", ".join(f"{part} {seconds / requests * 1000:.1f} ms" for part, seconds in spent.items())
        + f"; in all {per_request * 1000:.1f} ms, so {os.cpu_count()} cores serve at most "
        f"{os.cpu_count() / per_request:.0f} requests/s"
    )
    print(
        f"total: {total.num_requests} requests, {total.total_rps:.1f} requests/s, "
        f"p95 {total.get_response_time_percentile(0.95) or 0:.0f} ms, "
        f"{total.num_failures} errors"
    )


if __name__ == "__main__":
    main()
