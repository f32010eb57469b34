#!/usr/bin/env bash
# bench_streaming.sh — how fast xueshi serves HLS segments, compared with nginx serving the
# very same bytes from disk (nginx + sendfile is the yardstick a CDN origin would be).
#
# Usage:
#   XUESHI_URL_1M=http://127.0.0.1:8080/media/lectures/<id>/<token>/720p/segment_000.ts \
#   XUESHI_URL_64K=http://127.0.0.1:8080/media/lectures/<id>/<token>/<a 64 KiB file> \
#   scripts/bench_streaming.sh
# or: scripts/bench_streaming.sh <url of a ~1 MiB file> <url of a ~64 KiB file>
#
# What it does:
#   1. downloads both files once from the running xueshi (so nginx serves identical bytes);
#   2. installs nginx and wrk with apt-get if they are missing (needs root);
#   3. starts nginx on 127.0.0.1:18080 (override with NGINX_PORT) with a generated config
#      whose root is a temporary directory holding the two files;
#   4. runs `wrk -t2 -c32 -d10s` (override with WRK_THREADS, WRK_CONNECTIONS, WRK_DURATION)
#      against each of the four URLs, counting bytes with a small Lua script;
#   5. prints bytes/s, requests/s and non-2xx counts, and the xueshi/nginx ratio of bytes/s
#      for both sizes (1.0 = as fast as nginx).
# xueshi must already be running, built with --release, and the URLs' stream tokens must stay
# valid for the whole run. wrk, nginx and xueshi share the machine's cores, so compare ratios
# from the same machine only. nginx is stopped and the temporary directory removed on exit.
set -euo pipefail

URL_1M="${1:-${XUESHI_URL_1M:-}}"
URL_64K="${2:-${XUESHI_URL_64K:-}}"
PORT="${NGINX_PORT:-18080}"
THREADS="${WRK_THREADS:-2}"
CONNECTIONS="${WRK_CONNECTIONS:-32}"
DURATION="${WRK_DURATION:-10s}"

if [[ -z "$URL_1M" || -z "$URL_64K" ]]; then
    sed -n '2,22p' "$0" >&2
    exit 2
fi

install_if_missing() {
    local tool="$1" package="$2"
    if ! command -v "$tool" >/dev/null; then
        echo "installing $package ..." >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >&2
    fi
}
install_if_missing wrk wrk
install_if_missing nginx nginx
install_if_missing curl curl
NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"

WORK="$(mktemp -d /tmp/bench_streaming.XXXXXX)"
NGINX_PID=""
cleanup() {
    if [[ -n "$NGINX_PID" ]]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# nginx workers may run as an unprivileged user: let them read the files.
mkdir -p "$WORK/www" "$WORK/logs"
chmod 755 "$WORK" "$WORK/www"
EXT_1M="${URL_1M##*.}"; EXT_64K="${URL_64K##*.}"
FILE_1M="segment_1m.${EXT_1M%%[?#]*}"; FILE_64K="segment_64k.${EXT_64K%%[?#]*}"
curl -fsS -o "$WORK/www/$FILE_1M" "$URL_1M"
curl -fsS -o "$WORK/www/$FILE_64K" "$URL_64K"
chmod 644 "$WORK/www/"*

cat >"$WORK/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; video/iso.segment m4s; video/mp4 mp4; image/jpeg jpg; }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$PORT;
        root $WORK/www;
    }
}
EOF
"$NGINX_BIN" -p "$WORK" -e "$WORK/logs/error.log" -c "$WORK/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/$FILE_64K" 2>/dev/null && break
    sleep 0.1
done

# wrk's done() hook prints exact totals instead of its rounded "Transfer/sec".
cat >"$WORK/count.lua" <<'EOF'
done = function(summary, latency, requests)
    local seconds = summary.duration / 1e6
    io.write(string.format("RESULT %.0f %.1f %d %d\n", summary.bytes / seconds,
        summary.requests / seconds, summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
EOF

# Prints "<bytes/s> <requests/s> <non-2xx> <socket errors>" for one URL.
measure() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$WORK/count.lua" "$1" | awk '/^RESULT/ {print $2, $3, $4, $5}'
}

report() {
    local label="$1" xueshi_url="$2" nginx_url="$3"
    read -r x_bps x_rps x_bad x_err <<<"$(measure "$xueshi_url")"
    read -r n_bps n_rps n_bad n_err <<<"$(measure "$nginx_url")"
    awk -v l="$label" -v xb="$x_bps" -v xr="$x_rps" -v xe="$x_bad/$x_err" \
        -v nb="$n_bps" -v nr="$n_rps" -v ne="$n_bad/$n_err" 'BEGIN {
        printf "%-6s xueshi %9.1f MiB/s %9.1f req/s (non-2xx/socket errors %s)\n", l, xb / 1048576, xr, xe
        printf "%-6s nginx  %9.1f MiB/s %9.1f req/s (non-2xx/socket errors %s)\n", l, nb / 1048576, nr, ne
        printf "%-6s ratio xueshi/nginx bytes/s: %.3f\n", l, (nb > 0 ? xb / nb : 0)
    }'
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION; file sizes: $(stat -c %s "$WORK/www/$FILE_1M") and $(stat -c %s "$WORK/www/$FILE_64K") bytes"
report "1MiB" "$URL_1M" "http://127.0.0.1:$PORT/$FILE_1M"
report "64KiB" "$URL_64K" "http://127.0.0.1:$PORT/$FILE_64K"
