#!/usr/bin/env bash
# Requests per second and p50/p99 latency of `dlg serve` under load from oha:
#   - a trivial function, with 1 and 2 server processes (--reuse-port on one port);
#   - a function doing one invokeurl GET to a local httpbin, with 1 and 2 processes,
#     next to oha hitting the same httpbin URL directly (the bare HTTP call).
# Usage: benches/serve/run.sh [SECONDS_PER_CASE] [CONNECTIONS]   (defaults: 10 s, 32)
# Installs oha into target/tools on first use (cargo install --locked --root target/tools oha)
# and builds dlg in release mode. httpbin comes from the venv the tests install
# (target/test-servers/httpbin-venv: run `cargo test --test serve` once first).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
DURATION=${1:-10}
CONNECTIONS=${2:-32}
OHA=target/tools/bin/oha
DLG=target/release/dlg
VENV=target/test-servers/httpbin-venv
SERVE_PORT=18181
HTTPBIN_PORT=18182

[ -x "$OHA" ] || cargo install --locked --root target/tools oha
cargo build --release --bin dlg
if [ ! -x "$VENV/bin/python" ]; then
    echo "no httpbin venv at $VENV: run 'cargo test --test serve' once to install it" >&2
    exit 1
fi

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export DLG_HOME="$WORK/home"
mkdir -p "$DLG_HOME"

"$VENV/bin/python" -m gunicorn --bind "127.0.0.1:$HTTPBIN_PORT" --workers 2 --threads 4 \
    --log-level warning httpbin:app &
PIDS+=($!)

wait_for() {
    for _ in $(seq 1 100); do
        curl -sf "$1" >/dev/null && return 0
        sleep 0.1
    done
    echo "nothing answers at $1" >&2
    exit 1
}

start_servers() { # N
    for _ in $(seq 1 "$1"); do
        "$DLG" serve benches/serve/bench.dg --public --allow-private --reuse-port \
            --listen "127.0.0.1:$SERVE_PORT" 2>>"$WORK/serve.log" &
        PIDS+=($!)
    done
    wait_for "http://127.0.0.1:$SERVE_PORT/healthz"
    sleep 0.5
}

stop_servers() {
    servers=("${PIDS[@]:1}")
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=("${PIDS[0]}")
}

measure() { # LABEL URL
    "$OHA" -z "${DURATION}s" -c "$CONNECTIONS" --no-tui --output-format json "$2" >"$WORK/oha.json"
    python3 - "$1" "$WORK/oha.json" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
print(f"| {label} | {s['requestsPerSec']:,.0f} | {p['p50']*1000:.2f} | {p['p99']*1000:.2f} | {codes} |")
PY
}

wait_for "http://127.0.0.1:$HTTPBIN_PORT/get"
BASE="http://127.0.0.1:$HTTPBIN_PORT"
FETCH="http://127.0.0.1:$SERVE_PORT/functions/fetch/execute?base=$BASE"
echo "oha -z ${DURATION}s -c $CONNECTIONS; $(nproc) CPUs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | requests/s | p50 ms | p99 ms | statuses |"
echo "|---|---|---|---|---|"
measure "bare HTTP GET to httpbin /get" "$BASE/get"
for n in 1 2; do
    start_servers "$n"
    measure "trivial function, $n process(es)" "http://127.0.0.1:$SERVE_PORT/functions/trivial/execute"
    measure "invokeurl to httpbin /get, $n process(es)" "$FETCH"
    stop_servers
done
