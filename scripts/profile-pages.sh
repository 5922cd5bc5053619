#!/bin/bash
# Instruction counts of the offer page and the staff day view (issue 23), steady on a shared machine:
#   scripts/profile-pages.sh BINARY DATA_DIR OUT_DIR [PORT] [N]
# or of a month of service-1 availability through the API, another month on every request:
#   LARGE_KEY=KEY scripts/profile-pages.sh BINARY DATA_DIR OUT_DIR PORT N month
# BINARY: a release `bizing` with its debug info stripped (`objcopy --strip-debug`: valgrind 3.19 cannot
# read Swift's DWARF 5); DATA_DIR: a copy of a `BookingBench seed-large` database (it is written to).
# Runs the server under callgrind, warms both pages up, zeroes the counters, then N (30) offer pages
# (dump OUT_DIR/cg.PID.out.1) and N staff default pages signed in as the owner (dump .2). Per request:
# the inclusive cost of `accessHandler` in `callgrind_annotate --inclusive=yes` divided by N.
# In month mode (LARGE_KEY: the API key `BookingBench seed-large` printed last) it asks N 31-day ranges
# starting on N consecutive days once to warm up (as `make bench` is warm: it cycles over 330 start
# days), then asks them again, counted (dump OUT_DIR/cg.PID.out.1); the answer cache never hits, as
# the same range comes back only N requests later, seconds after.
set -eu
bin=$1; data=$2; out=$3; port=${4:-18081}; n=${5:-30}; mode=${6:-pages}
mkdir -p "$out"
cd "$(dirname "$0")/.."
BIZING_API_RATE=1000000 BIZING_API_BURST=1000000 valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p.out" --dump-instr=no \
  "$bin" serve --port "$port" --data-dir "$data" --log-level warning > "$out/server.log" 2>&1 & vpid=$!
for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 1; done
jar="$out/cookies"
csrf=$(curl -s -c "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "email=owner@large.test" \
  --data-urlencode "password=bench-password" "http://127.0.0.1:$port/login"
cookie="bizing_session=$(awk '$6 == "bizing_session" {print $7}' "$jar" | tail -1)"
day=$(TZ=America/New_York date -d "next wednesday" +%Y-%m-%d)
if [ "$mode" = month ]; then
  month() {
    local from to; from=$(date -u -d "$day + $1 days" +%Y-%m-%d); to=$(date -u -d "$day + $(($1 + 30)) days" +%Y-%m-%d)
    curl -s -o "$out/month.json" -H "Authorization: Bearer $LARGE_KEY" \
      "http://127.0.0.1:$port/api/v1/offers/service-1/availability?from=$from&to=$to"
  }
  for i in $(seq 1 "$n"); do month $i; done
  callgrind_control -z $vpid >/dev/null
  for i in $(seq 1 "$n"); do month $i; done
  callgrind_control -d month $vpid >/dev/null
  kill $vpid; wait $vpid 2>/dev/null || true
  exit 0
fi
offer="http://127.0.0.1:$port/b/large/service-1?date=$day"
staff="http://127.0.0.1:$port/staff/large/calendar?date=$day&view=day"
for _ in 1 2 3; do curl -s -o "$out/offer.html" "$offer"; curl -s -H "Cookie: $cookie" -o "$out/staff.html" "$staff"; done
callgrind_control -z $vpid >/dev/null
for _ in $(seq 1 "$n"); do curl -s -o /dev/null "$offer"; done
callgrind_control -d offer $vpid >/dev/null
for _ in $(seq 1 "$n"); do curl -s -o /dev/null -H "Cookie: $cookie" "$staff"; done
callgrind_control -d staff $vpid >/dev/null
kill $vpid; wait $vpid 2>/dev/null || true
