#!/usr/bin/env bash
# bench_streaming_local.sh — runs scripts/bench_streaming.sh end to end against a release build:
#   1. builds target/release/xueshi if missing (cargo build --release);
#   2. starts it on 127.0.0.1:${XUESHI_PORT:-18088} with a temporary data and media directory
#      (no demo data, no in-process job worker, RUST_LOG=warn so per-request logging does not
#      count against it: nginx runs with access_log off too);
#   3. writes two fixed files (1 MiB and 64 KiB of random bytes) into lecture 1's directory as
#      HLS segments, and signs stream URLs for them with the hidden
#      `xueshi sign-stream-url` command (same secret: same data directory);
#   4. runs scripts/bench_streaming.sh with both URLs (every request checks the signature),
#      ROUNDS times (default 3), and prints the median xueshi/nginx ratio of each size: on a
#      shared machine single runs vary a lot.
# Extra environment (WRK_THREADS, WRK_CONNECTIONS, WRK_DURATION, NGINX_PORT) is passed on.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${XUESHI_BIN:-$ROOT/target/release/xueshi}"
PORT="${XUESHI_PORT:-18088}"

if [[ ! -x "$BIN" ]]; then
    echo "building $BIN ..." >&2
    (cd "$ROOT" && cargo build --release)
fi

WORK="$(mktemp -d /tmp/bench_xueshi.XXXXXX)"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export XUESHI_DATA_DIR="$WORK/data" XUESHI_MEDIA_DIR="$WORK/media" XUESHI_DEMO=0 XUESHI_RUN_JOBS=0
export XUESHI_BIND="127.0.0.1:$PORT" RUST_LOG="${RUST_LOG:-warn}"
mkdir -p "$XUESHI_DATA_DIR"
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
    sleep 0.1
done

SEGMENTS="$XUESHI_MEDIA_DIR/lectures/1/bench"
mkdir -p "$SEGMENTS"
head -c 1048576 /dev/urandom >"$SEGMENTS/segment_1m.ts"
head -c 65536 /dev/urandom >"$SEGMENTS/segment_64k.ts"

sign() { "$BIN" sign-stream-url --learner 1 --lecture 1 --rel "$1" 2>/dev/null | tail -n 1; }
URL_1M="http://127.0.0.1:$PORT$(sign bench/segment_1m.ts)"
URL_64K="http://127.0.0.1:$PORT$(sign bench/segment_64k.ts)"
curl -fsS -o /dev/null "$URL_1M"

for round in $(seq "${ROUNDS:-3}"); do
    echo "--- round $round"
    "$ROOT/scripts/bench_streaming.sh" "$URL_1M" "$URL_64K" | tee -a "$WORK/rounds.txt"
done
median() { grep "^$1 *ratio" "$WORK/rounds.txt" | awk '{print $NF}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo "median ratio xueshi/nginx bytes/s: 1MiB $(median 1MiB), 64KiB $(median 64KiB) (over ${ROUNDS:-3} rounds)"
