"""The application log is structured: one JSON object per line in production."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EMIT = (
    "import django, logging; django.setup(); "
    "logging.getLogger('reviews.workflow').warning('承認を取り消せません: %s', 12, "
    "extra={'record_id': 12})"
)


def _log(**env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "LOG_FORMAT"}}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", EMIT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # Only this logger's lines: the libraries log their start-up too.
    return "\n".join(line for line in result.stderr.splitlines() if "reviews.workflow" in line)


def test_production_logs_are_json_lines():
    (line,) = _log().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "reviews.workflow"
    assert entry["message"] == "承認を取り消せません: 12"
    assert entry["record_id"] == 12
    assert entry["time"].endswith("+00:00") and isinstance(entry["process"], int)


def test_development_logs_stay_plain_text():
    (line,) = _log(DEBUG="1").splitlines()
    assert line.endswith("WARNING reviews.workflow 承認を取り消せません: 12")


def test_an_unknown_log_format_is_refused_with_a_message():
    environment = os.environ | {"SECRET_KEY": "x" * 50, "LOG_FORMAT": "xml"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT は json または text を指定してください。" in result.stderr
