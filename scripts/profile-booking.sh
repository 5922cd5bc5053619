#!/usr/bin/env bash
# CPU per booking in the real server (issue 23): starts the release `bizing serve`, warms it up,
# then books N distinct slots one after another through the API while `perf stat` counts the
# server's CPU time (task-clock, every thread) and `perf record` samples where it goes (999 Hz, no call graphs: little overhead); prints the
# CPU per booking and the functions that cost the most. (valgrind 3.19 cannot read the DWARF 5 that
# Swift 6.3 writes, and this VM has no hardware instruction counter, so CPU time it is.)
# Usage: scripts/profile-booking.sh [N=500]   (needs perf: linux-perf)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-500}"
for product in bizing BookingBench; do swift build -c release --product "$product" >/dev/null; done
work=$(mktemp -d)
server=""
cleanup() { if [ -n "$server" ]; then kill "$server" 2>/dev/null; fi; rm -rf "$work"; }
trap cleanup EXIT
key=$(.build/release/BookingBench seed "$work/data" 4 | tail -1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BIZING_API_RATE=1000000 BIZING_API_BURST=1000000 .build/release/bizing serve --port "$port" --data-dir "$work/data" \
  --log-level warning >"$work/server.log" 2>&1 & server=$!
up=no
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { up=yes; break; }; sleep 0.2; done
[ "$up" = yes ] || { echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
book() { scripts/book-client.py "$port" "$key" "$1" "$2"; }   # book FIRST COUNT: distinct half-hour slots from two days ahead
book 0 20                                    # warm-up: caches, prepared statements
perf stat -e task-clock -p "$server" -o "$work/stat" & stat=$!
perf record -e cpu-clock -F 999 -p "$server" -o "$work/perf.data" >/dev/null 2>&1 & record=$!
sleep 0.5
started=$(date +%s.%N)
book 20 "$count"
elapsed=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }')
kill -INT "$stat" "$record"; wait "$stat" "$record" 2>/dev/null || true
kill "$server"; wait "$server" 2>/dev/null || true; server=""
cpu_ms=$(awk '/task-clock/ { gsub(",", "", $1); print $1 }' "$work/stat")
echo "bookings: $count in $elapsed s, one client; server CPU: $cpu_ms ms = $(awk -v c="$cpu_ms" -v n="$count" 'BEGIN { printf "%.3f", c / n }') ms per booking (all threads, incl. HTTP and the outbox worker)"
echo
echo "== where the server's CPU goes (perf report --no-children: self time by symbol, top ${PROFILE_LINES:-40})"
perf report -i "$work/perf.data" --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' | \
  swift demangle --simplified --compact | cut -c1-160 | head -"${PROFILE_LINES:-40}"
