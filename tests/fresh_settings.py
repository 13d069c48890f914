"""Settings as config/settings.py reads them from a given environment: a fresh
interpreter, since the module reads the environment once, at import."""

import os
import subprocess
import sys

from django.conf import settings


def settings_printed(expression: str, *, unset: tuple[str, ...] = (), **env: str) -> str:
    """What `print(<expression>)` shows with `settings` imported under `env`, the
    variables in `unset` removed first."""
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(SECRET_KEY="x", DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", f"from config import settings; print({expression})"],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
