#!/usr/bin/env bash
# load_heartbeat.sh — how many player heartbeats one xueshi node answers, compared with an
# actix-web hello world (examples/hello.rs) on the same machine.
#
# What it does:
#   1. builds xueshi and the hello example with --release;
#   2. creates, in a temporary data directory (SQLite, XUESHI_DEMO=0), LEARNERS learners, a
#      published course with one ready lecture, and one play session per learner in Redis
#      (hidden `xueshi load-fixture`), written as "<token> <session_id>" lines;
#   3. starts `xueshi serve` (RUST_LOG=warn) and the hello world;
#   4. runs wrk (closed loop: THREADS threads, CONNS connections, DURATION) posting beats,
#      rotating over every learner's token and session, then the same wrk against hello;
#   5. runs the beats again paced at 70% of the measured rate (wrk2 is not in Debian: wrk's
#      Lua delay() spaces each connection's requests; the pause is calibrated in two short
#      runs, and the achieved rate is printed);
#   6. prints req/s, p99, errors, the heartbeat/hello ratio, and CPU time per request of each
#      server (xueshi + redis-server for beats): on a busy machine req/s mostly measures the
#      neighbours, CPU per request much less so;
#   7. with AUTH_CACHE_COMPARE=1, repeats the max-rate beats with the auth cache off
#      (XUESHI_AUTH_CACHE_S=0) to show what the token lookup costs.
# Goal: >= 0.5x hello world, p99 < 10 ms, zero errors. wrk, Redis and both servers share the
# machine's cores: compare the ratio, not the absolute numbers, and run on a quiet machine.
# Env: AUTH_CACHE_COMPARE (0) LEARNERS (2000) THREADS (2) CONNS (64) DURATION (20s) REDIS_URL (redis://127.0.0.1:6379)
#      DATABASE_URL (unset: SQLite in the temporary directory) PORT (18180) HELLO_PORT (18181)
set -euo pipefail
cd "$(dirname "$0")/.."

LEARNERS="${LEARNERS:-2000}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
DURATION="${DURATION:-20s}"
PORT="${PORT:-18180}"
HELLO_PORT="${HELLO_PORT:-18181}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

if ! command -v wrk >/dev/null; then
    echo "installing wrk ..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi
command -v redis-cli >/dev/null || { echo "redis-cli missing (apt-get install redis-tools)" >&2; exit 1; }

cargo build --release -j 2 --bin xueshi --example hello >&2

WORK="$(mktemp -d /tmp/load_heartbeat.XXXXXX)"
PREFIX="load$$"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    redis-cli -u "$REDIS_URL" --scan --pattern "$PREFIX:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

export XUESHI_DATA_DIR="$WORK/data" XUESHI_MEDIA_DIR="$WORK/media" XUESHI_DEMO=0
export XUESHI_REDIS_PREFIX="$PREFIX" XUESHI_BIND="127.0.0.1:$PORT" RUST_LOG="${RUST_LOG:-warn}"

echo "creating $LEARNERS learners and play sessions ..." >&2
target/release/xueshi load-fixture --learners "$LEARNERS" --out "$WORK/sessions.txt" >&2

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$PORT" "$HELLO_PORT"; do
    port_free "$p" || { echo "port $p is in use: set PORT / HELLO_PORT" >&2; exit 1; }
done
start_xueshi() {
    target/release/xueshi serve >"$WORK/xueshi.log" 2>&1 &
    XUESHI_PID=$!
    PIDS+=("$XUESHI_PID")
}
start_xueshi
target/release/examples/hello "127.0.0.1:$HELLO_PORT" >"$WORK/hello.log" 2>&1 &
PIDS+=($!)
HELLO_PID=$!
wait_ready() {
    for _ in $(seq 100); do
        curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && curl -fs -o /dev/null -X POST "http://127.0.0.1:$HELLO_PORT/hello" && return
        sleep 0.1
    done
}
wait_ready
# One beat by hand: a wrong server or a broken fixture must stop the run, not be measured.
read -r TOKEN SESSION <"$WORK/sessions.txt"
if ! curl -fs -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -d '{"position_s": 1.0}' "http://127.0.0.1:$PORT/api/v1/play/$SESSION/beat"; then
    echo "a beat failed; xueshi log:" >&2
    cat "$WORK/xueshi.log" >&2
    exit 1
fi

# Beats: each thread takes its own share of the sessions, so no two requests in flight beat
# the same session (which would only measure compare-and-set retries).
cat >"$WORK/beat.lua" <<'LUA'
local sessions, index, pause = {}, 0, 0
local started = 0
function setup(thread)
    started = started + 1
    thread:set("offset", started)
end
function init(args)
    local threads, line_no = tonumber(args[2]), 0
    for line in io.lines(args[1]) do
        line_no = line_no + 1
        local token, session = line:match("^(%S+) (%S+)$")
        if token and line_no % threads == (offset or 1) - 1 then
            sessions[#sessions + 1] = { "Bearer " .. token, "/api/v1/play/" .. session .. "/beat" }
        end
    end
    pause = tonumber(args[3] or "0")
end
function request()
    index = index % #sessions + 1
    local s = sessions[index]
    return wrk.format("POST", s[2], { ["Authorization"] = s[1], ["Content-Type"] = "application/json" },
        '{"position_s": 1.0}')
end
LUA
cp "$WORK/beat.lua" "$WORK/beat_paced.lua"
echo 'function delay() return pause end' >>"$WORK/beat_paced.lua"
cat >"$WORK/hello.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"position_s": 1.0}'
wrk.headers["Content-Type"] = "application/json"
LUA

# shellcheck source=scripts/load_common.sh
source "scripts/load_common.sh"
REDIS_PID="$(pidof redis-server 2>/dev/null | awk '{ print $1 }' || true)"
TICK_US=$((1000000 / $(getconf CLK_TCK)))

# Prints "<req/s> <p99 ms> <errors> <CPU us/request>" for one wrk run against the servers
# whose pids are in CPU_PIDS; the full output goes to stderr.
run_wrk() {
    local name="$1"; shift
    local before after
    before=$(cpu_ticks $CPU_PIDS)
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" >"$WORK/$name.out" 2>&1
    after=$(cpu_ticks $CPU_PIDS)
    cat "$WORK/$name.out" >&2
    awk -v cpu_us=$(((after - before) * TICK_US)) '
        /requests in/ { requests = $1 }
        /Requests\/sec/ { rps = $2 }
        $1 == "99%" { v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v);
                      p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
        /Non-2xx/ { errors += $NF }
        /Socket errors/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
        END { printf "%.0f %.2f %d %.0f\n", rps, p99, errors, (requests > 0 ? cpu_us / requests : 0) }' "$WORK/$name.out"
}

echo "warming up ..." >&2
CPU_PIDS="$XUESHI_PID $REDIS_PID"
DURATION=3s run_wrk warmup -s "$WORK/beat.lua" "http://127.0.0.1:$PORT" -- "$WORK/sessions.txt" "$THREADS" >/dev/null
read -r BEAT_RPS BEAT_P99 BEAT_ERR BEAT_CPU < <(run_wrk beat -s "$WORK/beat.lua" "http://127.0.0.1:$PORT" -- "$WORK/sessions.txt" "$THREADS")
read -r HELLO_RPS HELLO_P99 HELLO_ERR HELLO_CPU < <(CPU_PIDS="$HELLO_PID" run_wrk hello -s "$WORK/hello.lua" "http://127.0.0.1:$HELLO_PORT/hello")
# Paced at 70% of the max rate. wrk's delay() is a whole number of milliseconds after each
# response, so the rate is connections / (pause + latency): keep the pause at 1 ms and
# calibrate the number of connections in two short runs (the latency grows with the rate).
TARGET=$((BEAT_RPS * 7 / 10))
PAUSE_MS=1
avg_ms() { awk '$1 == "Latency" && $2 != "Distribution" { v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v);
                                   print (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }' "$1"; }
conns_for() { awk -v t="$TARGET" -v p="$PAUSE_MS" -v l="$1" -v th="$THREADS" 'BEGIN {
    c = t * (p + l) / 1000; printf "%d", (c > th ? c + 0.5 : th) }'; }
PACED_CONNS=$(conns_for "$(avg_ms "$WORK/beat.out")")
for round in 1 2; do
    CONNS=$PACED_CONNS DURATION=3s run_wrk "calibrate$round" -s "$WORK/beat_paced.lua" \
        "http://127.0.0.1:$PORT" -- "$WORK/sessions.txt" "$THREADS" "$PAUSE_MS" >/dev/null
    PACED_CONNS=$(conns_for "$(avg_ms "$WORK/calibrate$round.out")")
done
read -r PACED_RPS PACED_P99 PACED_ERR PACED_CPU < <(CONNS=$PACED_CONNS run_wrk paced -s "$WORK/beat_paced.lua" \
    "http://127.0.0.1:$PORT" -- "$WORK/sessions.txt" "$THREADS" "$PAUSE_MS")

if [[ "${AUTH_CACHE_COMPARE:-0}" == 1 ]]; then
    kill "$XUESHI_PID"
    wait "$XUESHI_PID" 2>/dev/null || true
    XUESHI_AUTH_CACHE_S=0 start_xueshi
    wait_ready
    CPU_PIDS="$XUESHI_PID $REDIS_PID"
    DURATION=3s run_wrk warmup2 -s "$WORK/beat.lua" "http://127.0.0.1:$PORT" -- "$WORK/sessions.txt" "$THREADS" >/dev/null
    read -r NOCACHE_RPS NOCACHE_P99 NOCACHE_ERR NOCACHE_CPU < <(run_wrk nocache -s "$WORK/beat.lua" "http://127.0.0.1:$PORT" -- "$WORK/sessions.txt" "$THREADS")
fi

RATIO=$(awk -v a="$BEAT_RPS" -v b="$HELLO_RPS" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
CPU_RATIO=$(awk -v a="$HELLO_CPU" -v b="$BEAT_CPU" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
cat <<REPORT

heartbeat load ($LEARNERS learners, wrk -t$THREADS -c$CONNS -d$DURATION, $(nproc) cores)
  beats, max rate:     $BEAT_RPS req/s   p99 $BEAT_P99 ms   errors $BEAT_ERR   CPU $BEAT_CPU us/req (xueshi + redis)
  hello world:         $HELLO_RPS req/s   p99 $HELLO_P99 ms   errors $HELLO_ERR   CPU $HELLO_CPU us/req
  ratio beats/hello:   $RATIO req/s, $CPU_RATIO by CPU per request   (goal >= 0.5)
  beats, paced ~70%:   $PACED_RPS req/s (target $TARGET; $PACED_CONNS connections, ${PAUSE_MS} ms pause after each answer)   p99 $PACED_P99 ms   errors $PACED_ERR   (goal p99 < 10 ms)
REPORT
if [[ -n "${NOCACHE_RPS:-}" ]]; then
    echo "  beats, auth cache off: $NOCACHE_RPS req/s   p99 $NOCACHE_P99 ms   errors $NOCACHE_ERR   CPU $NOCACHE_CPU us/req"
fi
