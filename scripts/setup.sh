#!/usr/bin/env bash
# Prepares this checkout on a fresh machine: a virtualenv with the tap and its development
# tools, Meltano's plugins, and (unless --without-postgres) a running PostgreSQL server
# with the role and database the end-to-end tests use. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

with_postgres=1
[ "${1:-}" = "--without-postgres" ] && with_postgres=0
PYTHON=${PYTHON:-python3}

step() { printf '\n== %s\n' "$*"; }

if [ ! -x .venv/bin/python ]; then
  step "virtualenv .venv ($($PYTHON --version))"
  "$PYTHON" -m venv .venv
fi
step "packages"
# pip 25.1 or newer reads the [dependency-groups] of pyproject.toml.
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade 'pip>=25.1' 2>&1 \
  | grep -v 'WARNING: Location' || true
.venv/bin/python -m pip install -q -e . --group dev 2>&1 | grep -v 'WARNING: Location' || true
.venv/bin/python -c 'import tap_wolkvox, meltano, pytest, psycopg' >/dev/null

step "meltano install (plugins into .meltano/, no Meltano Hub needed)"
.venv/bin/meltano install 2>&1 | grep -E 'Installed|error|Error' || true

if [ "$with_postgres" = 1 ]; then
  export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432}
  if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
    step "PostgreSQL"
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
      if [ "$(id -u)" != 0 ]; then
        echo "PostgreSQL is not installed and this is not root: install it (e.g. sudo apt-get" \
             "install postgresql) or point PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE at a server." >&2
        exit 1
      fi
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
      pg_createcluster "$version" main >/dev/null
    fi
    # pg_ctlcluster runs the server as the postgres user, also when called as root.
    pg_ctlcluster "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
    pg_isready -h "$PGHOST" -p "$PGPORT"
  fi
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    # Over the local socket, as the database superuser.
    as_postgres() { runuser -u postgres -- env -u PGHOST -u PGUSER -u PGPASSWORD -u PGDATABASE "$@"; }
    if ! as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='tap_wolkvox'" | grep -q 1; then
      as_postgres psql -qc "CREATE ROLE tap_wolkvox LOGIN SUPERUSER PASSWORD 'tap_wolkvox'"
    fi
    if ! as_postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname='tap_wolkvox'" | grep -q 1; then
      as_postgres createdb -O tap_wolkvox tap_wolkvox
    fi
  fi
fi
step "ready"
