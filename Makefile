# Two commands set everything up on a fresh Debian machine: `make run` and `make test`.
# Both install what is missing and are safe to run twice.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := fonts-ipaexfont-mincho fonts-ipaexfont-gothic fonts-noto-cjk fonts-dejavu-core libharfbuzz-subset0 \
	libpango-1.0-0 libpangoft2-1.0-0 chromium poppler-utils postgresql graphviz default-jre-headless gettext \
	redis-server
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/privacy_review
DEMO_PASSWORD ?= demo-pass-2026

.PHONY: run test messages lint system-packages postgres redis clean backup restore

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

# Tests run on PostgreSQL: DATABASE_URL when set, else the local cluster, started if down.
postgres: system-packages
	@if [ -z "$$DATABASE_URL" ] && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
		version=$$(ls /etc/postgresql | sort -n | tail -n 1); \
		echo "starting PostgreSQL $$version"; \
		pg_ctlcluster --skip-systemctl-redirect $$version main start; \
		for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi

# The two-node test (tests/config/test_nodes.py) also runs the shared cache in Redis:
# the local one on 127.0.0.1:6379, started if down (nothing saved to disk).
redis: system-packages
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

# Japanese for library text without it (locale/); the .mo files are built, not kept.
messages: $(STAMP)
	SECRET_KEY=build-only $(PY) manage.py compilemessages --ignore .venv -v0

run: system-packages $(STAMP) messages
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py collectstatic --no-input -v0
	DEBUG=1 $(PY) manage.py loadseed
	DEBUG=1 DEMO_PASSWORD=$(DEMO_PASSWORD) $(PY) manage.py loaddemo
	# The database task worker runs large imports and print batches in the background;
	# it stops with the server.
	DEBUG=1 $(PY) manage.py worker --no-reload & worker=$$!; \
		trap "kill $$worker" EXIT INT TERM; \
		DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# Import rules between the apps (layers, notation and printing at the bottom, no
	# cycles): the contracts in pyproject.toml.
	$(VENV)/bin/lint-imports --no-cache --no-logo
	# Security lint: any high-severity finding fails the build.
	$(VENV)/bin/bandit -q -r . -x ./.venv,./tests,./benchmarks -lll

# Backups of everything the product keeps: the PostgreSQL database named by DATABASE_URL
# and the files under MEDIA_ROOT, in one archive (docs/operations.md).
BACKUP_FILE ?= backups/privacy_review-$(shell date +%Y%m%d-%H%M%S).tar.gz
backup:
	ops/backup.sh $(BACKUP_FILE)

# make restore BACKUP_FILE=backups/....tar.gz (into an empty database and MEDIA_ROOT)
restore:
	ops/restore.sh $(BACKUP_FILE)

# Two workers (pytest-xdist), each on a test database of its own named after DATABASE_URL,
# copied from a kept migrated template (tests/database.py); tests in one xdist_group
# (the URL walk's readers) go to one worker, in the order tests/conftest.py gives
# (xdist would put the group first: its seed would then be removed for each test after).
test: system-packages postgres redis $(STAMP) messages lint
	SECRET_KEY=test-only-secret-key $(PY) manage.py collectstatic --no-input -v0
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} SECRET_KEY=test-only-secret-key \
		$(VENV)/bin/pytest -n 2 --dist loadgroup --no-loadscope-reorder

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
