#!/usr/bin/env bash
# The main job end to end with no Wolkvox account: set up, start the sandbox (the fake
# Wolkvox API with three weeks of generated chatbot traffic), run
# `meltano run tap-wolkvox target-jsonl` twice, and show what landed and the saved state.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --without-postgres
PORT=${SANDBOX_PORT:-8765}
MELTANO=.venv/bin/meltano

echo; echo "== sandbox: fake Wolkvox API on http://127.0.0.1:$PORT"
.venv/bin/python -m tests.fake_wolkvox --port "$PORT" --weeks 3 >.meltano/sandbox.log 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do grep -q "Fake Wolkvox API" .meltano/sandbox.log && break; sleep 0.2; done
cat .meltano/sandbox.log

export TAP_WOLKVOX_SERVER=0032
export TAP_WOLKVOX_TOKEN=fake-token-3f9a1c  # the sandbox's token; a real one comes from .env
export TAP_WOLKVOX_API_URL="http://127.0.0.1:$PORT"
TAP_WOLKVOX_START_DATE=$(date -u -d '22 days ago' +%Y-%m-%dT00:00:00)
export TAP_WOLKVOX_START_DATE
export TARGET_JSONL_DESTINATION_PATH=output/demo
rm -rf output/demo
$MELTANO state clear --force dev:tap-wolkvox-to-target-jsonl >/dev/null 2>&1 || true

run() {
  echo; echo "== meltano run tap-wolkvox target-jsonl ($1)"
  local started=$SECONDS
  if ! $MELTANO run tap-wolkvox target-jsonl >".meltano/demo-$1.log" 2>&1; then
    tail -n 20 ".meltano/demo-$1.log"; exit 1
  fi
  grep -o 'chatbot_interactions: [0-9]* calls\?.*' ".meltano/demo-$1.log" || true
  echo "took $((SECONDS - started)) s; full log: .meltano/demo-$1.log"
  .venv/bin/python scripts/summarize.py output/demo/chatbot_interactions.jsonl
  echo "saved state:"
  $MELTANO state get dev:tap-wolkvox-to-target-jsonl 2>/dev/null
}

run first
echo; echo "(waiting 12 s while the sandbox records new chatbot turns)"; sleep 12
run second
