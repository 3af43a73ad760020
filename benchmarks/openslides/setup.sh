#!/usr/bin/env bash
# OpenSlides 3.3 beside lvzhi, for benchmarks/bench_vs_openslides.py only: its own venv, its own
# settings and SQLite database, its own server. Nothing here is a dependency of the project.
#
#   bash benchmarks/openslides/setup.sh            # install + settings + DB + admin, then exit
#   bash benchmarks/openslides/setup.sh start 9300 # ... and serve on 127.0.0.1:9300 (foreground)
#
# OPENSLIDES_HOME (default /tmp/openslides-bench) holds the venv, settings and database.
# OPENSLIDES_PYTHON chooses the interpreter (default python3.11; 3.8 is what 3.3 declares).
set -euo pipefail
HOME_DIR="${OPENSLIDES_HOME:-/tmp/openslides-bench}"
PY="${OPENSLIDES_PYTHON:-python3.11}"
mkdir -p "$HOME_DIR"
cd "$HOME_DIR"

if [ ! -x venv/bin/openslides ]; then
  "$PY" -m venv venv
  # 3.3 (Dec 2020) declares ranges that today's resolver fills with releases it never met:
  # twisted pinned to one it worked with; bleach 3.3.1 replaces the declared <3.2 in a second
  # step (3.3 declares bleach<3.2, so one resolver run refuses the pair).
  venv/bin/pip install -q "pip<24.1" "setuptools<42" wheel
  venv/bin/pip install -q "openslides==3.3" "twisted[tls]==21.7.0" 2>&1 | grep -v "^WARNING: Location" || true
  venv/bin/pip install -q --no-deps "bleach==3.3.1" 2>&1 | grep -v "^WARNING: Location" || true
  venv/bin/openslides --version >/dev/null
fi

SETTINGS="$HOME_DIR/settings.py"
if [ ! -f "$SETTINGS" ]; then
  venv/bin/openslides createsettings --settings_dir "$HOME_DIR" >/dev/null
  # SQLite in this folder, DEBUG off (as lvzhi's benchmark runs), no browser, no email.
  cat >>"$SETTINGS" <<PYEOF

# ---- benchmarks/openslides/setup.sh
DEBUG = False
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.path.join("$HOME_DIR", "db.sqlite3")}}
OPENSLIDES_USER_DATA_DIR = "$HOME_DIR/data"
PYEOF
fi
export DJANGO_SETTINGS_MODULE=settings PYTHONPATH="$HOME_DIR"
venv/bin/python -m openslides migrate >"$HOME_DIR/migrate.log" 2>&1 || { cat "$HOME_DIR/migrate.log"; exit 1; }
# The admin user (admin/admin is OpenSlides' own default; reset so the password is known).
venv/bin/python -m openslides createsuperuser >/dev/null 2>&1 || true

if [ "${1:-}" = "start" ]; then
  PORT="${2:-9300}"
  exec venv/bin/openslides start --no-browser --host 127.0.0.1 --port "$PORT" --settings_dir "$HOME_DIR"
fi
echo "OpenSlides 3.3 ready in $HOME_DIR (admin/admin)"
