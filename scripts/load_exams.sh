#!/usr/bin/env bash
# load_exams.sh — exam throughput against PostgreSQL (issue #6): how many exam starts,
# autosaves and submits one xueshi node answers, next to the actix-web hello world
# (examples/hello.rs) driven by the same load generator in the same run.
#
# What it does:
#   1. builds xueshi, the hello example and the goose tool (loadtest/, its own crate) --release;
#   2. creates a PostgreSQL database of its own (xueshi_load_<pid>; dropped at the end, the
#      `test` database is never touched) and, with `xueshi load-fixture --mode exams`, USERS x
#      ITERATIONS learners who completed the course's lecture (watched through the real
#      heartbeat path on a shifted clock), and an exam (40 questions drawn from a published bank
#      of 70);
#   3. starts `xueshi serve` (RUST_LOG=warn, in-process progress store) and the hello world;
#   4. runs the goose tool: scenario `hello` for DURATION with USERS users, then scenario
#      `exams`, where each of USERS users takes ITERATIONS learners in turn through start ->
#      AUTOSAVES autosaves -> submit, back to back (closed loop, no think time);
#   5. prints req/s, p50 and p99 per operation, errors, and the exam/hello ratio, and checks in
#      the database that every attempt was graded once.
# The generator, PostgreSQL and both servers share the machine's cores: compare ratios, and
# run on a quiet machine (the script prints the load average before and after).
# Env: USERS (16) ITERATIONS (40) AUTOSAVES (3) DURATION (20s, hello only) PORT (18280)
#      HELLO_PORT (18281) PG (postgres://postgres@127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."

USERS="${USERS:-16}"
ITERATIONS="${ITERATIONS:-40}"
export AUTOSAVES="${AUTOSAVES:-3}"
DURATION="${DURATION:-20s}"
PORT="${PORT:-18280}"
HELLO_PORT="${HELLO_PORT:-18281}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
DB="xueshi_load_$$"
LEARNERS=$((USERS * ITERATIONS))

command -v psql >/dev/null || { echo "psql missing (apt-get install postgresql-client)" >&2; exit 1; }
cargo build --release -j 2 --bin xueshi --example hello >&2
CARGO_TARGET_DIR="$PWD/target" cargo build --release -j 2 --manifest-path loadtest/Cargo.toml >&2
GOOSE="$PWD/target/release/xueshi-loadtest"

WORK="$(mktemp -d /tmp/load_exams.XXXXXX)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
psql -q "$PG/postgres" -c "CREATE DATABASE $DB" >/dev/null

unset REDIS_URL
export DATABASE_URL="$PG/$DB" XUESHI_DATA_DIR="$WORK/data" XUESHI_MEDIA_DIR="$WORK/media" XUESHI_DEMO=0
export XUESHI_BIND="127.0.0.1:$PORT" RUST_LOG="${RUST_LOG:-warn}"
echo "creating $LEARNERS learners who watched the course, and its exam ..." >&2
target/release/xueshi load-fixture --mode exams --learners "$LEARNERS" --out "$WORK/learners.txt" >&2

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$PORT" "$HELLO_PORT"; do
    port_free "$p" || { echo "port $p is in use: set PORT / HELLO_PORT" >&2; exit 1; }
done
target/release/xueshi serve >"$WORK/xueshi.log" 2>&1 &
PIDS+=($!)
target/release/examples/hello "127.0.0.1:$HELLO_PORT" >"$WORK/hello.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && curl -fs -o /dev/null -X POST "http://127.0.0.1:$HELLO_PORT/hello" && break
    sleep 0.1
done

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# Prints "<req/s> <p99 ms> <errors>" of one operation from the goose tool's table.
op() { awk -v op="$1" '$1 == op { printf "%s %s %s\n", $4, $6, $3 }' "$2"; }
LOAD_SCENARIO=hello "$GOOSE" -H "http://127.0.0.1:$HELLO_PORT" -u "$USERS" -r "$USERS" -t "$DURATION" -q \
    | tee "$WORK/hello.out" >&2
# CPU time (clock ticks) of xueshi and of this database's PostgreSQL backends: on a shared
# 2-core machine it tells where an exam request's cost goes.
# shellcheck source=scripts/load_common.sh
source "scripts/load_common.sh"
backends() { pgrep -f "postgres: .* $DB " || true; }
XUESHI_CPU0=$(cpu_ticks "${PIDS[0]}"); PG_CPU0=$(cpu_ticks $(backends))
LOAD_SCENARIO=exams LOAD_FIXTURE="$WORK/learners.txt" "$GOOSE" -H "http://127.0.0.1:$PORT" -u "$USERS" -r "$USERS" \
    --iterations "$ITERATIONS" -q | tee "$WORK/exams.out" >&2
XUESHI_CPU1=$(cpu_ticks "${PIDS[0]}"); PG_CPU1=$(cpu_ticks $(backends))
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

read -r HELLO_RPS HELLO_P99 HELLO_ERR < <(op hello "$WORK/hello.out")
read -r ALL_RPS _ ALL_ERR < <(awk '$1 == "all" { print $4, 0, $3 }' "$WORK/exams.out")
ratio() { awk -v a="$1" -v b="$HELLO_RPS" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
echo
echo "exam load on PostgreSQL ($LEARNERS learners, $USERS concurrent, $AUTOSAVES autosaves each, $(nproc) cores)"
echo "  hello world:   $HELLO_RPS req/s   p99 $HELLO_P99 ms   errors $HELLO_ERR"
for name in exam_start exam_autosave exam_submit; do
    read -r RPS P99 ERR < <(op "$name" "$WORK/exams.out")
    printf "  %-13s  %s req/s   p99 %s ms   errors %s   (%s x hello)\n" "$name:" "$RPS" "$P99" "$ERR" "$(ratio "$RPS")"
done
echo "  all exam requests: $ALL_RPS req/s   errors $ALL_ERR   ($(ratio "$ALL_RPS") x hello)"
ALL_REQUESTS=$(awk '$1 == "all" { print $2 }' "$WORK/exams.out")
awk -v x=$((XUESHI_CPU1 - XUESHI_CPU0)) -v p=$((PG_CPU1 - PG_CPU0)) -v n="$ALL_REQUESTS" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { if (n > 0) printf "  CPU per exam request: xueshi %.0f us, PostgreSQL backends %.0f us\n", x * 1e6 / hz / n, p * 1e6 / hz / n }'
echo "  load average before / after: $LOAD_BEFORE / $LOAD_AFTER"

# Every attempt of the run was submitted and graded exactly once.
read -r ATTEMPTS UNGRADED < <(psql -qtA -F' ' "$DATABASE_URL" -c \
    "SELECT count(*), count(*) FILTER (WHERE status <> 'submitted' OR score IS NULL OR graded_at IS NULL) FROM exam_attempts")
echo "  attempts in the database: $ATTEMPTS, not graded: $UNGRADED"
if [[ "$ATTEMPTS" != "$LEARNERS" || "$UNGRADED" != 0 || "$ALL_ERR" != 0 ]]; then
    echo "FAILED: expected $LEARNERS graded attempts and no errors" >&2
    exit 1
fi
