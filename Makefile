# One command to run the product on its embedded default, one to run the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in e-mails and QR codes point at the server `make run` starts, unless given.
SITE_URL ?= http://127.0.0.1:$(PORT)
RUN_ENV := DEBUG=1 SITE_URL=$(SITE_URL)
# Two workers by default (pytest-xdist), in a random order (pytest-randomly) whose seed the run
# prints last: repeat it with PYTEST_ARGS="-p randomly --randomly-seed=N"; serially with
# PYTEST_WORKERS=0; in file order with PYTEST_ARGS="-p no:randomly".
PYTEST_WORKERS ?= 2

.PHONY: run test venv messages lint bench prod-smoke clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

venv: $(VENV)/.installed

messages: venv
	@if command -v msgfmt >/dev/null 2>&1; then $(RUN_ENV) $(PY) manage.py compilemessages --ignore=.venv -v0; \
	else echo "msgfmt (gettext) not found: using the committed .mo files"; fi

run: venv messages
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	# The development server with the periodic tasks (hold release, reminders, waiting lists,
	# outbox sweeps) in the same process: there is no beat without a broker. With a broker
	# configured (MQTT_URL) the telemetry ingest process runs beside it.
	@if [ -n "$$MQTT_URL" ]; then \
		$(RUN_ENV) $(PY) manage.py telemetry_ingest & ingest=$$!; \
		trap 'kill $$ingest 2>/dev/null' EXIT INT TERM; \
	fi; \
	$(RUN_ENV) $(PY) manage.py runserver_with_scheduler 127.0.0.1:$(PORT)

test: venv messages
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: venv
	@command -v wrk >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && apt-get install -y -qq wrk >/dev/null 2>&1; } \
		|| echo "wrk not installed: the catalogue bench uses its Python load generator"
	$(PY) bench/run_all.py

prod-smoke: venv
	$(PY) scripts/prod_smoke.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
