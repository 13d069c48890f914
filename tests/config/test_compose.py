"""The compose stack restarts what stops and checks the health of what serves: every
service `restart: unless-stopped`; the database, the web and the worker with a health
check, the worker's being a command that exists (`docker compose config` is not
installed where the tests run, so the file is read as YAML)."""

from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def _services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_every_service_is_restarted_unless_stopped_by_hand():
    assert {name: s.get("restart") for name, s in _services().items()} == {
        name: "unless-stopped" for name in _services()
    }


def test_the_database_web_and_worker_have_health_checks():
    services = _services()
    for name in ("db", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    command = services["worker"]["healthcheck"]["test"]
    assert command[:3] == ["CMD", "python", "manage.py"]
    assert command[3] in get_commands()


def test_web_and_worker_share_the_redis_service():
    """Several web and worker containers count the download limit and the login
    slow-down once, in the one Redis (issue 22)."""
    services = _services()
    assert services["redis"]["image"].startswith("redis:")
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    for name in ("web", "worker"):
        assert services[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0", name
    assert services["web"]["depends_on"]["redis"] == {"condition": "service_healthy"}


def test_the_file_shows_how_to_scale_web_and_worker():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "--scale web=2 --scale worker=2" in text
    # Two web containers cannot both take the host's port 8000: a range is given instead.
    assert _services()["web"]["ports"] == ["${WEB_PORTS:-8000}:8000"]
