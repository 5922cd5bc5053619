#!/usr/bin/env bash
# HTTP benchmarks with wrk on loopback: the routed /healthz against a bare libmicrohttpd handler
# returning the same bytes. Prints a table. Usage: scripts/bench-http.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-64}"
swift build -c release --product bizing >/dev/null
swift build -c release --product BareHTTPBench >/dev/null
data=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT

wait_for() { for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $1 did not start" >&2; exit 1; }
measure() { # name url -> "name rps p50 p99"
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$2")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf "| %-34s | %12s | %8s | %8s |\n" "$1" "$rps" "$p50" "$p99"
}

.build/release/BareHTTPBench 18081 >/dev/null & pids+=($!)
.build/release/bizing serve --port 18080 --data-dir "$data" --log-level warning >/dev/null & pids+=($!)
.build/release/bizing serve --port 18082 --data-dir "$data/logged" --log-level info >/dev/null 2>&1 & pids+=($!)
wait_for 18080; wait_for 18082; sleep 0.3

echo "wrk -t2 -c$connections -d${duration}s on $(nproc) cores, $(date -u +%Y-%m-%d)"
printf "| %-34s | %12s | %8s | %8s |\n" "target" "requests/s" "p50" "p99"
printf "|%s|%s|%s|%s|\n" "------------------------------------" "--------------" "----------" "----------"
measure "bare libmicrohttpd (same bytes)" "http://127.0.0.1:18081/healthz"
measure "bizing /healthz (access log off)" "http://127.0.0.1:18080/healthz"
measure "bizing /healthz (access log on)" "http://127.0.0.1:18082/healthz"
