#!/bin/bash
# Instructions and system calls per booking of the real server (issue 23), steady on a shared machine:
#   scripts/profile-booking-cg.sh BINARY BOOKINGBENCH OUT_DIR [N=300] [WARM=150] [PORT=18091]
# BINARY: a release `bizing` with its debug info stripped (`objcopy --strip-debug`: valgrind 3.19 cannot
# read Swift 6.3's DWARF 5); BOOKINGBENCH: the release BookingBench (seeds OUT_DIR/data as bench.sh does:
# business "bench", 4 hosts around the clock, an API key).
# 1. callgrind: `bizing serve` under valgrind, WARM bookings (caches, prepared statements, and the
#    schedule load's 3-day look-back filled), counters zeroed, N distinct bookings over one keep-alive
#    connection (scripts/book-client.py), dump → OUT_DIR/cg.PID.out.1 (all threads in one file).
#    Per booking: `callgrind_annotate --inclusive=yes` totals divided by N (the summary line is the whole
#    process; `accessHandler` is the HTTP request threads, `GroupCommit` the writer).
# 2. native, on a fresh copy of the same seeded data: WARM bookings, then N under `strace -f -c`
#    (system calls per booking → OUT_DIR/strace.txt), then N more without strace, the server's
#    utime/stime from /proc/PID/stat before and after (→ OUT_DIR/native.txt).
set -eu
bin=$1; bb=$2; out=$3; n=${4:-300}; warm=${5:-150}; port=${6:-18091}
cd "$(dirname "$0")/.."
mkdir -p "$out"; rm -rf "$out/seed" "$out/data"
key=$("$bb" seed "$out/seed" 4 | tail -1)
base=$(( ($(date +%s) / 1800 + 96) * 1800 ))
wait_up() { for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && return 0; sleep 0.5; done; echo "no server" >&2; exit 1; }
serve() { BIZING_API_RATE=1000000 BIZING_API_BURST=1000000 exec "$@" serve --port "$port" --data-dir "$out/data" --log-level warning; }

# 1. callgrind
cp -a "$out/seed" "$out/data"
serve valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p.out" --dump-instr=no --collect-systime=yes "$bin" \
  > "$out/server-cg.log" 2>&1 & vpid=$!
wait_up
scripts/book-client.py "$port" "$key" 0 "$warm" "$base"
callgrind_control -z $vpid
scripts/book-client.py "$port" "$key" "$warm" "$n" "$base"
callgrind_control -d bookings $vpid
kill $vpid; wait $vpid 2>/dev/null || true
cg=$(ls -t "$out"/cg.$vpid.out.1 | head -1)
total=$(callgrind_annotate "$cg" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
echo "callgrind: $total instructions for $n bookings = $((total / n)) per booking (whole process); profile $cg"

# 2. native: strace, then /proc/PID/stat
rm -rf "$out/data"; cp -a "$out/seed" "$out/data"
serve "$bin" > "$out/server.log" 2>&1 & spid=$!
wait_up
scripts/book-client.py "$port" "$key" 0 "$warm" "$base"
strace -f -c -o "$out/strace.txt" -p $spid 2>/dev/null & tpid=$!
sleep 1
scripts/book-client.py "$port" "$key" "$warm" "$n" "$base"
kill -INT $tpid; wait $tpid 2>/dev/null || true
sleep 0.5
ticks() { awk '{ print $14, $15 }' "/proc/$spid/stat"; }
read -r u0 s0 < <(ticks)
scripts/book-client.py "$port" "$key" $((warm + n)) "$n" "$base"
read -r u1 s1 < <(ticks)
kill $spid; wait $spid 2>/dev/null || true
hz=$(getconf CLK_TCK)
awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v hz="$hz" -v n="$n" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  printf "native, %d bookings, load %s: server CPU %.3f ms per booking (user %.3f, system %.3f)\n", n, load, (u + s) * 1000 / hz / n, u * 1000 / hz / n, s * 1000 / hz / n }' | tee "$out/native.txt"
echo "system calls per booking (strace -f -c, $n bookings):"
awk -v n="$n" 'NR > 2 && $NF != "total" && $4 ~ /^[0-9]+$/ { printf "  %-16s %7.2f\n", $NF, $4 / n }' "$out/strace.txt" | sort -k2 -rn | head -15
