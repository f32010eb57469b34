#!/usr/bin/env bash
# API fuzzing with Schemathesis (PyPI) against a running xueshi, over every operation in
# /api/openapi.json, with the checks not_a_server_error, status_code_conformance and
# response_schema_conformance, once with a learner's token and once with an admin's.
#
#   scripts/fuzz_api.sh                # builds and starts a throwaway instance (SQLite, demo data)
#   XUESHI_URL=http://host:port LEARNER_TOKEN=.. ADMIN_TOKEN=.. scripts/fuzz_api.sh
#   FUZZ_EXAMPLES=200 scripts/fuzz_api.sh   # deeper run (CI uses the default, a bounded run)
#
# Goal: zero 5xx and zero schema mismatches. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES="${FUZZ_EXAMPLES:-15}"

command -v schemathesis >/dev/null || pip install -q schemathesis

cleanup() { [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null || true; [ -n "${TMP:-}" ] && rm -rf "$TMP"; }
trap cleanup EXIT

if [ -z "${XUESHI_URL:-}" ]; then
  cargo build --quiet --bin xueshi
  TMP="$(mktemp -d)"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  XUESHI_URL="http://127.0.0.1:$PORT"
  env -u DATABASE_URL -u REDIS_URL XUESHI_BIND="127.0.0.1:$PORT" XUESHI_DATA_DIR="$TMP/data" \
    XUESHI_MEDIA_DIR="$TMP/media" XUESHI_ADMIN_PASSWORD='Fuzz#Admin2026' \
    target/debug/xueshi serve > "$TMP/app.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 100); do curl -fs "$XUESHI_URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  login() { curl -fs "$XUESHI_URL/api/v1/auth/login" -H 'content-type: application/json' \
      -d "{\"username\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'; }
  ADMIN_TOKEN=$(login admin 'Fuzz#Admin2026')
  # The second demo learner has no forced password change.
  LEARNER=$(grep -o '3710021985031502[0-9X]\{2\}' "$TMP/app.log" | head -1)
  LEARNER_TOKEN=$(login "$LEARNER" 'Xueshi#2026')
fi

status=0
for who in learner admin; do
  token_var="$(echo "$who" | tr a-z A-Z)_TOKEN"
  echo "== fuzzing as $who ($EXAMPLES examples per operation)"
  schemathesis run "$XUESHI_URL/api/openapi.json" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance \
    -H "Authorization: Bearer ${!token_var}" \
    --max-examples "$EXAMPLES" --generation-deterministic \
    --exclude-path /api/v1/auth/logout --exclude-path /api/v1/auth/password || status=1
done
exit $status
