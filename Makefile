# QiaoJia: `make run` starts the demo, `make test` runs the whole suite. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SCALE ?= 1000000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
# The suite runs on every core (pytest-xdist); PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n auto

.PHONY: redis run test test-pg lint types messages setup assets chromium fonts bench load lock clean

setup: $(VENV)/.installed assets fonts

$(VENV)/.installed: requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

# Front-end assets come from the npm registry, pinned by package-lock.json, and are served by the platform.
assets: qiaojia/static/vendor/htmx.min.js

qiaojia/static/vendor/htmx.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p qiaojia/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

run: setup
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py demo_load --if-empty
	$(BIN)/python manage.py demo_accounts
	@# The background jobs' worker (`run_jobs`) runs beside the development server: Ctrl-C, or the server's
	@# end, stops both.
	$(BIN)/python manage.py run_jobs & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work here).
chromium:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# CJK fonts for the compilation PDFs (WeasyPrint), HarfBuzz's font subsetter, and pdftotext that their tests read them with.
fonts:
	@test -n "$$(fc-list :lang=zh 2>/dev/null)" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; }
	@command -v pdftotext >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }
	@# HarfBuzz's subsetter: without it WeasyPrint subsets the CJK font with fontTools, twice as slow to write.
	@ldconfig -p | grep -q libharfbuzz-subset || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null; }

# Redis for the RQ task backend's test (a real rq worker): started, and installed from Debian's packages, when absent.
redis:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
	  command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
	  for _ in $$(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done; }

test: setup chromium fonts redis
	$(BIN)/pytest $(PYTEST_ARGS)

test-pg: setup chromium fonts redis
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS)

# `types` first: CI (.ci/run) runs `make lint`, so the type check is part of it.
lint: setup types
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The SQLite file's folder must exist, or the migration-history check warns that it cannot open it.
	mkdir -p var
	$(BIN)/python manage.py makemigrations --check --dry-run

# mypy with django-stubs (settings in pyproject.toml) on the bottom layer and every app's writes and reads,
# with the imports app's modules that are services in all but name (checking, reading, stash, report).
types: setup
	$(BIN)/mypy qiaojia/core $$(ls qiaojia/*/services.py qiaojia/*/selectors.py | grep -v ^qiaojia/core/) \
		qiaojia/imports/checking.py qiaojia/imports/reading.py qiaojia/imports/stash.py qiaojia/imports/report.py \
		qiaojia/meetings/services_joint.py qiaojia/trade/services_deals.py qiaojia/trade/selectors_deals.py

messages: setup
	$(BIN)/python manage.py makemessages --no-obsolete --no-location -l zh_Hans -l zh_Hant -l en \
		--ignore=.venv --ignore=node_modules --ignore=var
	$(BIN)/python locale/catalogues.py
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

bench: setup
	$(BIN)/python bench/run.py --scale $(SCALE)

# The busiest day (31 March) under locust against gunicorn on PostgreSQL: bench/loadrun.py, figures in
# BENCHMARKS.md. Locust has its own virtualenv, never the platform's. Shorter: make load LOAD_MINUTES=1 SCALE=10000
LOAD_VENV := .venv-load
LOAD_MINUTES ?= 10

$(LOAD_VENV)/.installed: requirements/load.txt
	test -x $(LOAD_VENV)/bin/python || $(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/load.txt
	touch $@

load: setup $(LOAD_VENV)/.installed
	mkdir -p var
	$(BIN)/python bench/loadrun.py --scale $(SCALE) --minutes $(LOAD_MINUTES)

lock: $(VENV)/.installed
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras -o requirements/base.txt requirements/base.in
	$(BIN)/pip-compile --quiet --strip-extras -o requirements/dev.txt requirements/dev.in
	$(BIN)/pip-compile --quiet --strip-extras -o requirements/load.txt requirements/load.in

clean:
	rm -rf $(VENV) $(LOAD_VENV) node_modules var qiaojia/static/vendor
