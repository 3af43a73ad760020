# 履职 lvzhi — two commands on a fresh machine:
#   make demo   set everything up, load demo data on SQLite, serve on http://127.0.0.1:8000
#   make test   run the whole test suite (DATABASE_URL=postgres://… runs it on PostgreSQL)

VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: demo test setup system-deps lint serve worker sweep clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	bash scripts/system-deps.sh

setup: $(VENV)/.installed node_modules/.installed system-deps
	mkdir -p var

# The demo runs as production does (DEBUG off), with keys of its own made once on this machine:
# the secret key, the SM4 key for deputies' phones and IDs, the audit chain's HMAC key.
var/demo.env:
	mkdir -p var
	python3 -c "import secrets; print(f'LVZHI_SECRET_KEY={secrets.token_urlsafe(50)}'); \
	print(f'LVZHI_SM4_KEY={secrets.token_hex(16)}'); print(f'LVZHI_AUDIT_KEY={secrets.token_hex(32)}')" > $@
	chmod 600 $@

demo: setup var/demo.env
	set -a && . ./var/demo.env && set +a && \
	$(PY) manage.py migrate --no-input -v 0 && \
	$(PY) manage.py seed_demo && \
	$(PY) manage.py retrain_models --if-missing && \
	$(PY) manage.py embed_cases && \
	$(PY) manage.py runserver $(HOST)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

serve: setup var/demo.env
	set -a && . ./var/demo.env && set +a && $(PY) manage.py runserver $(HOST)

worker: setup
	$(PY) manage.py db_worker

sweep: setup
	$(PY) manage.py sweep_deadlines

clean:
	rm -rf $(VENV) node_modules db.sqlite3* var staticfiles
