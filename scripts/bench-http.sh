#!/usr/bin/env bash
# HTTP benchmarks with wrk on loopback, printed as a table:
#   - the routed /healthz against a bare libmicrohttpd handler returning the same bytes;
#   - a month of availability through the API (demo business);
#   - booking commits per second through the API (distinct slots) at 8 and 64 clients, with the
#     share refused and a check that no resource holds overlapping bookings afterwards.
# Usage: scripts/bench-http.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
swift build -c release --product bizing >/dev/null
swift build -c release --product BareHTTPBench >/dev/null
swift build -c release --product BookingBench >/dev/null
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

wait_for() { for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $1 did not start" >&2; exit 1; }
row() { printf "| %-44s | %10s | %8s | %8s | %s\n" "$@"; }
# measure NAME CONNECTIONS URL [wrk args…] → one table row
measure() {
  local name=$1 connections=$2 url=$3; shift 3
  local out; out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "$url")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
  row "$name" "$rps" "$p50" "$p99" "${errors:+non-2xx: $errors}"
  echo "$rps" > "$work/last-rps"
}

.build/release/BareHTTPBench 18081 >/dev/null & pids+=($!)
.build/release/bizing demo --data-dir "$work/demo" >/dev/null
demo_key=$(.build/release/bizing api-key create --business demo --data-dir "$work/demo" | tail -1)
bench_key=$(.build/release/BookingBench seed "$work/bench" 4 | tail -1)
.build/release/bizing serve --port 18080 --data-dir "$work/demo" --log-level warning >/dev/null & pids+=($!)
.build/release/bizing serve --port 18082 --data-dir "$work/demo-logged" --log-level info >/dev/null 2>&1 & pids+=($!)
.build/release/bizing serve --port 18083 --data-dir "$work/bench" --log-level warning >/dev/null & pids+=($!)
wait_for 18080; wait_for 18082; wait_for 18083; sleep 0.3

month_from=$(date -u -d "+2 days" +%Y-%m-%d); month_to=$(date -u -d "+32 days" +%Y-%m-%d)
echo "wrk -t2 -d${duration}s on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(date -u +%Y-%m-%dT%H:%MZ)"
row "target" "requests/s" "p50" "p99" ""
row "---" "---" "---" "---" ""
measure "bare libmicrohttpd, same bytes (c=64)" 64 "http://127.0.0.1:18081/healthz"; bare=$(cat "$work/last-rps")
measure "bizing /healthz, access log off (c=64)" 64 "http://127.0.0.1:18080/healthz"; routed=$(cat "$work/last-rps")
measure "bizing /healthz, access log on (c=64)" 64 "http://127.0.0.1:18082/healthz"
measure "API: a month of treatment availability (c=8)" 8 \
  "http://127.0.0.1:18080/api/v1/offers/treatment/availability?from=$month_from&to=$month_to" -H "Authorization: Bearer $demo_key"
base=$(( ($(date +%s) / 1800 + 48) * 1800 ))
for clients in 8 64; do
  BENCH_KEY=$bench_key BENCH_BASE=$(( base + (clients == 64 ? 20000000 : 0) )) \
    measure "API: book distinct slots (c=$clients)" "$clients" "http://127.0.0.1:18083/" -s scripts/book.lua
done
python3 - "$work/bench/bizing.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
total = db.execute("SELECT count(*) FROM booking_orders WHERE status = 'confirmed'").fetchone()[0]
overlaps = db.execute("""SELECT count(*) FROM resource_assignments a JOIN resource_assignments b
  ON a.resource_id = b.resource_id AND a.id < b.id AND a.blocks = 1 AND b.blocks = 1
  AND a.blocked_from < b.blocked_to AND b.blocked_from < a.blocked_to""").fetchone()[0]
print(f"committed bookings: {total}; overlapping assignments on one resource: {overlaps}")
PY
awk -v r="$routed" -v b="$bare" 'BEGIN { printf "routed /healthz = %.0f%% of the bare handler\n", 100 * r / b }'
