#!/usr/bin/env bash
# december.sh — the December load scenario (issue #10): LEARNERS simulated learners against
# two xueshi instances behind a round-robin proxy, on PostgreSQL + Redis, then a
# reconciliation of what they were told against the database.
#
# What it does:
#   1. builds xueshi and the goose tool (loadtest/, a crate outside the workspace) --release;
#   2. creates a PostgreSQL database of its own (xueshi_december_<pid>, dropped at the end
#      unless KEEP_DB=1; the `test` database is never touched) and uses the shared Redis under
#      its own key prefix (XUESHI_REDIS_PREFIX=december<pid>, deleted at the end);
#   3. `xueshi load-fixture --mode december`: LEARNERS learners (one shared password), a
#      published course with one LECTURE_S-second lecture and an EXAM_S-second exam (40
#      questions drawn from a published bank of 70, pass score PASS_SCORE);
#   4. starts two `xueshi serve` instances sharing database, Redis and secrets, and nginx
#      (from apt; config generated here) as a round-robin proxy in front of them;
#   5. runs the goose scenario `december`: every learner logs in (argon2), opens a play
#      session, beats every BEAT_EVERY_S seconds at 1x until the lecture completes, starts the
#      exam, autosaves AUTOSAVES times, and submits SUBMIT_MARGIN_S seconds before the
#      deadline; ABANDON_PCT percent never submit (the sweeper must grade them). Learners
#      start at HATCH_RATE per second; goose prints throughput, p50/p99 per operation, errors;
#   6. waits for the deadline and a sweep, then RECONCILES in SQL: no attempt left open past
#      its deadline; every closed attempt graded; every attempt a learner saw submitted is
#      graded with the result they were shown; every abandoned one expired and graded; every
#      learner told "completed" has exactly one completed lecture row; every passing learner
#      credited exactly once and nobody else credited. Any mismatch: exit 1.
# Env: LEARNERS (300) HATCH_RATE (20) LECTURE_S (60) EXAM_S (90) BEAT_EVERY_S (5) AUTOSAVES (3)
#      SUBMIT_MARGIN_S (5) ABANDON_PCT (10) PASS_SCORE (30) PORT_A/PORT_B/PROXY_PORT
#      (18381/18382/18380) PG (postgres://postgres@127.0.0.1:5432) REDIS_URL (redis://127.0.0.1:6379)
set -euo pipefail
# Thousands of learners mean thousands of sockets in the load tool, the proxy and the servers.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cd "$(dirname "$0")/.."

LEARNERS="${LEARNERS:-300}"
HATCH_RATE="${HATCH_RATE:-20}"
LECTURE_S="${LECTURE_S:-60}"
EXAM_S="${EXAM_S:-90}"
PASS_SCORE="${PASS_SCORE:-30}"
export BEAT_EVERY_S="${BEAT_EVERY_S:-5}" AUTOSAVES="${AUTOSAVES:-3}" SUBMIT_MARGIN_S="${SUBMIT_MARGIN_S:-5}"
export ABANDON_PCT="${ABANDON_PCT:-10}"
PORT_A="${PORT_A:-18381}"
PORT_B="${PORT_B:-18382}"
PROXY_PORT="${PROXY_PORT:-18380}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
DB="xueshi_december_$$"
PREFIX="december$$"

if ! command -v nginx >/dev/null; then
    echo "installing nginx ..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >&2
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
for tool in psql redis-cli curl; do
    command -v "$tool" >/dev/null || { echo "$tool missing" >&2; exit 1; }
done
cargo build --release -j 2 --bin xueshi >&2
CARGO_TARGET_DIR="$PWD/target" cargo build --release -j 2 --manifest-path loadtest/Cargo.toml >&2
GOOSE="$PWD/target/release/xueshi-loadtest"

WORK="$(mktemp -d /tmp/december.XXXXXX)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    redis-cli -u "$REDIS_URL" --scan --pattern "$PREFIX:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
    if [[ "${KEEP_DB:-0}" != 1 ]]; then
        psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
    else
        echo "kept database $PG/$DB" >&2
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
psql -q "$PG/postgres" -c "CREATE DATABASE $DB" >/dev/null

export DATABASE_URL="$PG/$DB" XUESHI_DATA_DIR="$WORK/data" XUESHI_MEDIA_DIR="$WORK/media" XUESHI_DEMO=0
export XUESHI_REDIS_PREFIX="$PREFIX" RUST_LOG="${RUST_LOG:-warn}"
echo "[${SECONDS}s] creating $LEARNERS learners, a ${LECTURE_S}s lecture and a ${EXAM_S}s exam ..." >&2
target/release/xueshi load-fixture --mode december --learners "$LEARNERS" --lecture-s "$LECTURE_S" \
    --exam-s "$EXAM_S" --pass-score "$PASS_SCORE" --out "$WORK/learners.txt" >&2
read -r _ _ LECTURE EXAM <"$WORK/learners.txt"

wait_http() {
    for _ in $(seq 200); do curl -fs -o /dev/null "$1" && return; sleep 0.1; done
    echo "$1 did not come up" >&2
    exit 1
}
for port in "$PORT_A" "$PORT_B"; do
    XUESHI_BIND="127.0.0.1:$port" target/release/xueshi serve >"$WORK/xueshi-$port.log" 2>&1 &
    PIDS+=($!)
    wait_http "http://127.0.0.1:$port/healthz"
done
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
# Every simulated learner keeps a connection open, and each may hold one upstream as well:
# as many as the file limit allows (the 4096 of a stock config dropped learners at 6000).
events { worker_connections $(( $(ulimit -n) - 64 )); }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    upstream xueshi { server 127.0.0.1:$PORT_A; server 127.0.0.1:$PORT_B; keepalive 64; }
    server {
        listen 127.0.0.1:$PROXY_PORT;
        location / {
            proxy_pass http://xueshi;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
        }
    }
}
NGINX
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
wait_http "http://127.0.0.1:$PROXY_PORT/healthz"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "[${SECONDS}s] running $LEARNERS learners through nginx :$PROXY_PORT -> xueshi :$PORT_A, :$PORT_B ..." >&2
LOAD_SCENARIO=december LOAD_FIXTURE="$WORK/learners.txt" LOAD_OBSERVED="$WORK/observed.txt" \
    "$GOOSE" -H "http://127.0.0.1:$PROXY_PORT" -u "$LEARNERS" -r "$HATCH_RATE" --iterations 1 -q \
    | tee "$WORK/goose.out"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average before / after: $LOAD_BEFORE / $LOAD_AFTER"
echo "instances: $(grep -c . "$WORK/xueshi-$PORT_A.log" || true) / $(grep -c . "$WORK/xueshi-$PORT_B.log" || true) log lines (warn and above)"
echo "proxy: $(grep -c . "$WORK/nginx/error.log" || true) error log lines"
head -3 "$WORK/nginx/error.log" 2>/dev/null | cut -c1-200

# Abandoned attempts close at their deadline; the sweeper (every 15 s) grades them.
WAIT_S=$((SUBMIT_MARGIN_S + 20))
echo "[${SECONDS}s] waiting ${WAIT_S}s for the last deadlines and a sweep ..." >&2
sleep "$WAIT_S"
"$(dirname "$0")/december_reconcile.sh" "$DATABASE_URL" "$WORK/observed.txt" "$LECTURE" "$EXAM"
echo "[${SECONDS}s] reconciled; stopping" >&2
