#!/usr/bin/env bash
# The whole test suite from a fresh checkout: setup, lint, types, then pytest (unit tests,
# the SDK's standard tests, and end-to-end runs of meltano + target-postgres + PostgreSQL
# against the local fake Wolkvox API).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo; echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo; echo "== mypy"; .venv/bin/mypy tap_wolkvox
echo; echo "== workflows"
.venv/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
.venv/bin/zizmor --offline --quiet .github/workflows
echo; echo "== pytest"; .venv/bin/pytest "$@"
