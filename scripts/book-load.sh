#!/usr/bin/env bash
# Bookings under load, split by where the CPU goes (issue 23): seeds the large business and the
# 4-host "bench" business as `make bench` does (once, kept in DIR/seed), then for each client count
# starts a fresh release `bizing serve` on a copy, books distinct slots for 2 s to warm it, and
# books for SECONDS more with wrk, printing bookings/s, p50/p99, and per booking the server's user
# and system CPU and the writer thread's (bizing-writer: group commit, the serial part), with the
# share of CPU time the hypervisor stole meanwhile.
#   scripts/book-load.sh [SECONDS=6] [CLIENTS="8 32 64"] [DIR=/tmp/bizing-book-load]
# SERVE_ARGS adds options to `bizing serve` (an A/B of a setting: SERVE_ARGS="--write-cores 0").
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-6}; clients=${2:-8 32 64}; dir=${3:-/tmp/bizing-book-load}
swift build -c release --product bizing >/dev/null
swift build -c release --product BookingBench >/dev/null
if [ ! -f "$dir/seed/bizing.sqlite" ]; then
  rm -rf "$dir"; mkdir -p "$dir"
  .build/release/BookingBench seed-large "$dir/seed" >/dev/null
  .build/release/BookingBench seed "$dir/seed" 4 | tail -1 > "$dir/key"
fi
port=18297
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$dir/data"' EXIT
source scripts/cpu-ticks.sh
printf "| %7s | %10s | %8s | %8s | %9s | %9s | %9s | %5s |\n" clients bookings/s p50 p99 "user/bk" "sys/bk" "writer/bk" steal
for c in $clients; do
  rm -rf "$dir/data"; cp -r "$dir/seed" "$dir/data"
  BIZING_API_RATE=1000000 BIZING_API_BURST=1000000 .build/release/bizing serve --port $port --data-dir "$dir/data" --log-level warning ${SERVE_ARGS:-} \
    >/dev/null 2>&1 & server=$!
  for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
  base=$(( ($(date +%s) / 1800 + 48) * 1800 ))
  BENCH_KEY=$(cat "$dir/key") BENCH_BASE=$((base + 150000 * 1800)) wrk -t2 -c8 -d2s -s scripts/bench.lua "http://127.0.0.1:$port/" >/dev/null
  read -r u0 s0 < <(awk '{ print $14, $15 }' /proc/$server/stat); w0=$(thread_ticks "$server" bizing-writer); st0=$(cpu_stat)
  out=$(BENCH_KEY=$(cat "$dir/key") BENCH_BASE=$base wrk -t2 -c"$c" -d"${seconds}s" --latency -s scripts/bench.lua "http://127.0.0.1:$port/")
  read -r u1 s1 < <(awk '{ print $14, $15 }' /proc/$server/stat); w1=$(thread_ticks "$server" bizing-writer); st1=$(cpu_stat)
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  n=$(awk '/requests in/ { print $1 }' <<<"$out")
  awk -v c="$c" -v r="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" -v p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")" \
      -v p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")" -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v w=$((w1 - w0)) -v n="$n" \
      -v hz="$(getconf CLK_TCK)" -v steal="$(steal_percent "$st0" "$st1")" 'BEGIN {
    printf "| %7d | %10s | %8s | %8s | %6.3f ms | %6.3f ms | %6.3f ms | %4s%% |\n", c, r, p50, p99, u * 1000 / hz / n, s * 1000 / hz / n,
      w * 1000 / hz / n, steal }'
done
