#!/usr/bin/env bash
# The benchmark suite (make bench): seeds a large business (200 hosts, 50 rooms, 30 offers of each
# mode, 100,000 bookings over a year), starts `bizing serve` on loopback and measures with wrk in
# one run, printing a table with requests/s, p50/p99 and the server's CPU per request for each run,
# booking commits at 8, 32 and 64 clients with the share refused, the writer thread's CPU per booking
# and a double-booking check, peak RSS
# and start-up time; each page's reads before and after doubling the data outside it, in CPU time
# (BookingBench scale-reads) and in instructions (callgrind, BookingBench scale-count: what the
# targets use), each side in a fresh process; then one table of every target with its figure and
# "met" or "NOT met". Then the in-process engine and pricing benchmarks.
# Usage: scripts/bench.sh [seconds per target]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
for product in bizing BareHTTPBench BookingBench; do swift build -c release --product "$product" >/dev/null; done
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

port=18180
wait_for() { for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "server on $1 did not start" >&2; exit 1; }
row() { printf "| %-62s | %10s | %9s | %9s | %9s | %s\n" "$@"; }
# The server's CPU time so far, in clock ticks (utime + stime of /proc/PID/stat).
source scripts/cpu-ticks.sh
ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
writer_ticks() { thread_ticks "$server" bizing-writer; }
hz=$(getconf CLK_TCK)
# measure NAME CONNECTIONS URL [wrk args…] → a table row with the server's CPU per request;
# requests/s, p99 (ms) and CPU per request (ms) are left in $work/rps, $work/p99 and $work/cpu.
measure() {
  local name=$1 connections=$2 url=$3; shift 3
  local before; before=$(ticks)
  local writer_before; writer_before=$(writer_ticks)
  local stat_before; stat_before=$(cpu_stat)
  local out; out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "$url")
  local after; after=$(ticks)
  local writer_after; writer_after=$(writer_ticks)
  local steal; steal=$(steal_percent "$stat_before" "$(cpu_stat)")
  local rps p50 p99 non2xx total cpu
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
  cpu=$(awk -v b="$before" -v a="$after" -v hz="$hz" -v n="$total" 'BEGIN { printf "%.3f", (n > 0 ? (a - b) / hz * 1000 / n : 0) }')
  row "$name" "$rps" "$p50" "$p99" "${cpu} ms" "steal ${steal}%${non2xx:+; refused ${non2xx}/${total}}"
  echo "$rps" > "$work/rps"
  awk -v v="$p99" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0; else printf "%.3f", v * 1000 }' > "$work/p99"
  echo "$cpu" > "$work/cpu"
  awk -v b="$writer_before" -v a="$writer_after" -v hz="$hz" -v n="$total" 'BEGIN { printf "%.3f", (n > 0 ? (a - b) / hz * 1000 / n : 0) }' > "$work/writer"
}
# target NAME FIGURE OP GOAL UNIT [NOTE] → one line of the final table (OP: >= or <=).
target() {
  local met; met=$(awk -v f="$2" -v op="$3" -v g="$4" 'BEGIN { print ((op == ">=" ? f >= g : f <= g) ? "met" : "NOT met") }')
  printf "| %-58s | %10s | %3s %-8s | %-7s | %s\n" "$1" "$2 $5" "$3" "$4" "$met" "${6:-}" >> "$work/targets"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# best SO_FAR → the larger of SO_FAR and the last run's requests/s (the best-of-three pairs).
best() { awk -v a="$1" -v b="$(cat "$work/rps")" 'BEGIN { print (b > a ? b : a) }'; }

echo "== seeding"
seed_start=$(date +%s.%N)
large_key=$(.build/release/BookingBench seed-large "$work/data" | tail -1)
bench_key=$(.build/release/BookingBench seed "$work/data" 4 | tail -1)
echo "seeded in $(awk -v s="$seed_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s: $(du -h "$work/data/bizing.sqlite" | cut -f1) database"

start=$(date +%s.%N)
BIZING_API_RATE=1000000 BIZING_API_BURST=1000000 .build/release/bizing serve --port $port --data-dir "$work/data" --log-level warning >/dev/null 2>&1 & server=$!; pids+=($server)
wait_for $port
startup=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", (e - s) * 1000 }')
.build/release/BareHTTPBench $((port + 1)) >/dev/null & bare_pid=$!; pids+=($bare_pid)
wait_for $((port + 1))

# Sign in as the owner for the staff view (the login form needs its CSRF token).
jar="$work/cookies"
login_page=$(curl -s -c "$jar" "http://127.0.0.1:$port/login")
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$login_page" | head -1 | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "email=owner@large.test" \
  --data-urlencode "password=bench-password" "http://127.0.0.1:$port/login"
cookie="bizing_session=$(awk '$6 == "bizing_session" {print $7}' "$jar" | tail -1)"

day=$(TZ=America/New_York date -d "next wednesday" +%Y-%m-%d)
month_to=$(TZ=America/New_York date -d "$day + 30 days" +%Y-%m-%d)
echo
echo "wrk -t2 -d${duration}s, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(date -u +%Y-%m-%dT%H:%MZ)"
row "run" "requests/s" "p50" "p99" "CPU/req" ""
row "---" "---" "---" "---" "---" ""
# The ceiling pair is run three times, alternating, and the best of each kept: a burst of other load
# during one run then cannot decide the ratio.
bare=0; healthz=0
for run in 1 2 3; do
  server=$bare_pid measure "bare libmicrohttpd, same bytes as /healthz (c=64), run $run" 64 "http://127.0.0.1:$((port + 1))/healthz"
  bare=$(best "$bare")
  measure "/healthz (c=64), run $run" 64 "http://127.0.0.1:$port/healthz"
  healthz=$(best "$healthz")
done
measure "API: a month of service-1 availability (c=8)" 8 \
  "http://127.0.0.1:$port/api/v1/offers/service-1/availability?from=$day&to=$month_to" -H "Authorization: Bearer $large_key"
month=$(cat "$work/rps")
# The same question repeated is answered from the availability cache (one computation per second);
# this run asks for another month on every request, so each one is computed.
BENCH_MODE=availability BENCH_KEY=$large_key BENCH_OFFER=service-1 BENCH_DAY0=$(date -u -d "$day" +%s) measure \
  "API: a month of availability, every request another month (c=8)" 8 "http://127.0.0.1:$port/" -s scripts/bench.lua
month_cold=$(cat "$work/rps")
measure "offer page /b/large/service-1?date= (c=8)" 8 "http://127.0.0.1:$port/b/large/service-1?date=$day"; offer=$(cat "$work/rps")
measure "staff day view, default page: 25 of 250 resources (c=8)" 8 "http://127.0.0.1:$port/staff/large/calendar?date=$day&view=day" -H "Cookie: $cookie"
staff=$(cat "$work/rps")
measure "staff day view, show all 250 resources (c=8)" 8 "http://127.0.0.1:$port/staff/large/calendar?date=$day&view=day&all=1" -H "Cookie: $cookie"
base=$(( ($(date +%s) / 1800 + 48) * 1800 ))
# Distinct half-hour slots of the "bench" business (3,650 days ahead): each run has its own stretch.
BENCH_KEY=$bench_key BENCH_BASE=$base measure "API: book distinct slots (c=8)" 8 "http://127.0.0.1:$port/" -s scripts/bench.lua
book8=$(cat "$work/rps"); writer8=$(cat "$work/writer")
BENCH_KEY=$bench_key BENCH_BASE=$((base + 40000 * 1800)) measure "API: book distinct slots (c=32)" 32 "http://127.0.0.1:$port/" -s scripts/bench.lua
book32_p99=$(cat "$work/p99"); writer32=$(cat "$work/writer")
BENCH_KEY=$bench_key BENCH_BASE=$((base + 80000 * 1800)) measure "API: book distinct slots (c=64)" 64 "http://127.0.0.1:$port/" -s scripts/bench.lua
book64=$(cat "$work/rps"); writer64=$(cat "$work/writer")
echo "the writer thread's CPU per booking (group commit, the serial part): $writer8 ms at 8 clients, $writer32 at 32, $writer64 at 64"
rss_mb=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")
echo
echo "routed /healthz / bare handler, best of 3 each: $healthz / $bare = $(ratio "$healthz" "$bare") (target >= 0.70)"
echo "month of availability / healthz: $(ratio "$month" "$healthz") (target >= 0.5); every request another month: $(ratio "$month_cold" "$healthz")"
echo "offer page / healthz: $(ratio "$offer" "$healthz") (target >= 0.5)"
echo "staff day view / healthz: $(ratio "$staff" "$healthz") (target >= 0.3)"
overlaps=$(python3 - "$work/data/bizing.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
made = db.execute("SELECT count(*) FROM booking_orders o JOIN businesses b ON b.id = o.business_id WHERE b.slug = 'bench'").fetchone()[0]
overlaps = db.execute("""SELECT count(*) FROM resource_assignments a JOIN resource_assignments b
  ON a.business_id = b.business_id AND a.resource_id = b.resource_id AND a.id < b.id AND a.blocks = 1 AND b.blocks = 1
  AND a.blocked_from < b.blocked_to AND b.blocked_from < a.blocked_to
  JOIN resources r ON r.id = a.resource_id AND r.capacity = 1""").fetchone()[0]
print(f"bookings committed by the booking runs: {made}; overlapping assignments on a capacity-1 resource: {overlaps} (target 0)", file=sys.stderr)
print(overlaps)
PY
)
echo "peak RSS of the server: $rss_mb MB (target < 150 MB); start-up on the large database: ${startup} ms"

# Availability must not cost more because of bookings outside the queried range: the same month,
# computed on every request (answer cache off), with all bookings and on a copy of the database
# that keeps only the bookings inside it. Two fresh servers, one on each, measured in turn three
# times and the best of each kept (as the ceiling pair above): the machine's speed moves by a
# quarter from one minute to the next, and then the ratio of two runs minutes apart measures that.
kill "$server"; wait "$server" 2>/dev/null || true
# A copy for "cost grows with the answer" (at the end), and one that keeps only the month's bookings.
cp -r "$work/data" "$work/fresh"
cp -r "$work/data" "$work/kept"
python3 - "$work/kept/bizing.sqlite" "$day" "$month_to" <<'PY'
import sqlite3, sys, datetime
db = sqlite3.connect(sys.argv[1])
lo = int(datetime.datetime.fromisoformat(sys.argv[2]).timestamp()) - 3 * 86400
hi = int(datetime.datetime.fromisoformat(sys.argv[3]).timestamp()) + 3 * 86400
for trigger in ("booking_events_no_delete", "ledger_entries_no_delete"):
    db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
db.execute("DELETE FROM resource_assignments WHERE starts_at < ? OR starts_at > ?", (lo, hi))
db.commit()
print("kept assignments:", db.execute("SELECT count(*) FROM resource_assignments").fetchone()[0])
PY
BIZING_AVAILABILITY_CACHE=0 BIZING_API_RATE=1000000 BIZING_API_BURST=1000000 .build/release/bizing serve --port $port --data-dir "$work/data" --log-level warning >/dev/null 2>&1 & server_all=$!; pids+=($server_all)
BIZING_AVAILABILITY_CACHE=0 BIZING_API_RATE=1000000 BIZING_API_BURST=1000000 .build/release/bizing serve --port $((port + 2)) --data-dir "$work/kept" --log-level warning >/dev/null 2>&1 & server_kept=$!; pids+=($server_kept)
wait_for $port; wait_for $((port + 2))
month_all=0; month_kept=0
for run in 1 2 3; do
  server=$server_all measure "same month, answer cache off, all bookings (c=8), run $run" 8 \
    "http://127.0.0.1:$port/api/v1/offers/service-1/availability?from=$day&to=$month_to" -H "Authorization: Bearer $large_key"
  month_all=$(best "$month_all")
  server=$server_kept measure "same month, answer cache off, bookings outside it deleted (c=8), run $run" 8 \
    "http://127.0.0.1:$((port + 2))/api/v1/offers/service-1/availability?from=$day&to=$month_to" -H "Authorization: Bearer $large_key"
  month_kept=$(best "$month_kept")
done
kill "$server_all" "$server_kept"; wait "$server_all" "$server_kept" 2>/dev/null || true
echo "availability with 100,000 bookings / with only the month's (answer cache off), best of 3 each: $(ratio "$month_all" "$month_kept") (target ~1.0)"

# Cost grows with the answer, not the data (issue 23): each page's reads (answer cache off), then
# again after `BookingBench grow` has doubled bookings outside the range and added 250 resources no
# offer uses; each side in a fresh process, as a server started on the data. Judged in instructions
# (callgrind, 10 calls of each page after 5 warm-up calls): CPU times on this shared VM move by a
# third from one minute to the next (BookingBench engine's best of 30 ranged 1.55-2.79 ms within
# five minutes at load 1; measured in one process, `BookingBench scale`, the same reads gave 1.55
# after doubling while fresh processes gave 0.64, in one run), instructions do not.
echo
echo "== cost against the data (BookingBench scale-reads and scale-count; grow; the same again)"
objcopy --strip-debug .build/release/BookingBench "$work/bb-cg"   # valgrind 3.19 cannot read Swift 6.3's DWARF 5
count() {
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.$1" --toggle-collect='*countOfferReads*' --toggle-collect='*countStaffReads*' \
    --toggle-collect='*countMonthReads*' "$work/bb-cg" scale-count "$work/fresh" 10 >/dev/null 2>&1
  callgrind_annotate --inclusive=yes "$work/cg.$1" | awk '{ gsub(",", "", $1) } /countOfferReads/ { o = $1 } /countStaffReads/ { s = $1 } /countMonthReads/ { m = $1 }
    END { printf "%d %d %d\n", o / 10, s / 10, m / 10 }'
}
.build/release/BookingBench scale-reads "$work/fresh" 41 > "$work/fresh.before"
read -r offer_i0 staff_i0 month_i0 < <(count before)
.build/release/BookingBench grow "$work/fresh"
.build/release/BookingBench scale-reads "$work/fresh" 41 > "$work/fresh.after"
read -r offer_i1 staff_i1 month_i1 < <(count after)
echo "| page | CPU before | CPU after doubling | after / before | instructions before | after doubling | after / before |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
printf "%s\t%s\n%s\t%s\n%s\t%s\n" "$offer_i0" "$offer_i1" "$staff_i0" "$staff_i1" "$month_i0" "$month_i1" > "$work/instructions"
paste -d'\t' "$work/fresh.before" "$work/fresh.after" "$work/instructions" | awk -F'\t' '{ n = index($1, ": "); b = substr($1, n + 2) + 0;
  a = substr($2, index($2, ": ") + 2) + 0;
  printf "| %s | %.0f µs | %.0f µs | %.2f | %.2f M | %.2f M | %.3f |\n", substr($1, 1, n - 1), b, a, a / b, $3 / 1e6, $4 / 1e6, $4 / $3
  printf "%.3f\n", $4 / $3 > "/dev/stderr" }' 2> "$work/fresh.ratios"
mapfile -t fresh_ratios < "$work/fresh.ratios"

# Every target of docs/benchmarks.md in one table (issue 23's targets, then wave 1's ratios).
target "bookings/s, durable, distinct slots, 64 clients" "$book64" ">=" 3000 "/s"
target "bookings/s, durable, distinct slots, 8 clients" "$book8" ">=" 2000 "/s"
target "booking p99 at 32 clients" "$book32_p99" "<=" 20 "ms"
target "double bookings on capacity-1 resources" "$overlaps" "<=" 0 ""
target "writer thread CPU per booking, 64 clients (8: $writer8 ms)" "$writer64" "<=" 0.2 "ms"
target "offer page, large business" "$offer" ">=" 3000 "/s"
target "staff day view, large business (default page of 25)" "$staff" ">=" 500 "/s"
target "a month of availability, another month each request" "$month_cold" ">=" 2000 "/s"
target "availability cost, all bookings / only the month's" "$(ratio "$month_kept" "$month_all")" "<=" 1.10 "x"
# Cost against the data is judged in instructions: the CPU-time ratios above (printed, not targets)
# follow the machine, not the work. On 2026-12-03 the same reads measured 1.55-1.64 after doubling in
# one process and 0.63-0.69 in fresh processes, in the same run, at 1.003-1.004 in instructions.
target "offer page reads' instructions, doubled data / before" "${fresh_ratios[0]:-missing}" "<=" 1.10 "x"
target "staff day view reads' instructions, doubled data / before" "${fresh_ratios[1]:-missing}" "<=" 1.10 "x"
target "month of availability instructions, doubled data / before" "${fresh_ratios[2]:-missing}" "<=" 1.10 "x"
target "routed /healthz / bare libmicrohttpd" "$(ratio "$healthz" "$bare")" ">=" 0.70 "x"
target "peak RSS of the server" "$rss_mb" "<=" 150 "MB"
echo
echo "== targets"
printf "| %-58s | %10s | %-12s | %-7s |\n" "target" "figure" "goal" "result"
printf "| %-58s | %10s | %-12s | %-7s |\n" "---" "---" "---" "---"
cat "$work/targets"

echo
echo "== in-process engine (BookingBench engine, best of 30)"
.build/release/BookingBench engine
.build/release/BookingBench pricing
