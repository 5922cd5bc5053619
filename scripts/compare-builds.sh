#!/usr/bin/env bash
# scripts/compare-builds.sh TREE PORT [SECONDS]: seed the bench data with the release build in TREE
# (a checkout with `swift build -c release` done), serve it, and print requests/s and the server's
# CPU per request (utime+stime / requests) for the offer page, the staff day view, API bookings and
# a month of availability. Run it for two trees one after the other to compare builds
# (docs/benchmarks.md). PERF=offer|staffday|book8|monthcold adds a perf profile of that run.
set -euo pipefail
tree=$1; port=$2; duration=${3:-5}
cd "$tree"
work=$(mktemp -d /tmp/cmp.XXXX)
large_key=$(.build/release/BookingBench seed-large "$work/data" | tail -1)
bench_key=$(.build/release/BookingBench seed "$work/data" 4 | tail -1)
BIZING_API_RATE=1000000 BIZING_API_BURST=1000000 .build/release/bizing serve --port $port --data-dir "$work/data" --log-level warning >/dev/null 2>&1 & server=$!
trap 'kill $server 2>/dev/null; rm -rf $work' EXIT
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
jar="$work/cookies"
login_page=$(curl -s -c "$jar" "http://127.0.0.1:$port/login")
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$login_page" | head -1 | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "email=owner@large.test" --data-urlencode "password=bench-password" "http://127.0.0.1:$port/login"
cookie="bizing_session=$(awk '$6 == "bizing_session" {print $7}' "$jar" | tail -1)"
day=$(TZ=America/New_York date -d "next wednesday" +%Y-%m-%d)
hz=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
measure() {
  local name=$1 c=$2 url=$3; shift 3
  local before; before=$(ticks)
  local out; out=$(wrk -t2 -c"$c" -d"${duration}s" --latency "$@" "$url")
  local after; after=$(ticks)
  local total rps non
  total=$(awk '/requests in/ {print $1}' <<<"$out"); rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  non=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf "%-14s %9s req/s  %8.3f ms CPU/req  %s\n" "$name" "$rps" "$(awk -v b=$before -v a=$after -v hz=$hz -v n=$total 'BEGIN{print (a-b)/hz*1000/n}')" "${non:+non2xx=$non}"
}
curl -s -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$port/staff/large/calendar?date=$day&view=day"
curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/staff/large/calendar?date=$day&view=day" | wc -c | sed 's/^/staff bytes /'
curl -s "http://127.0.0.1:$port/b/large/service-1?date=$day" | wc -c | sed 's/^/offer bytes /'
measure offer 8 "http://127.0.0.1:$port/b/large/service-1?date=$day"
measure staffday 4 "http://127.0.0.1:$port/staff/large/calendar?date=$day&view=day" -H "Cookie: $cookie"
base=$(( ($(date +%s) / 1800 + 48) * 1800 ))
BENCH_KEY=$bench_key BENCH_BASE=$base measure book8 8 "http://127.0.0.1:$port/" -s scripts/bench.lua
BENCH_MODE=availability BENCH_KEY=$large_key BENCH_OFFER=service-1 BENCH_DAY0=$(date -u -d "$day" +%s) measure monthcold 8 "http://127.0.0.1:$port/" -s scripts/bench.lua
if [ -n "${PERF:-}" ]; then
  perf record -q -F 499 -g -p $server -o $work/perf.data -- sleep $duration >/dev/null 2>&1 &
  perfpid=$!
  case $PERF in
    offer) wrk -t2 -c8 -d${duration}s "http://127.0.0.1:$port/b/large/service-1?date=$day" >/dev/null ;;
    staffday) wrk -t2 -c4 -d${duration}s "http://127.0.0.1:$port/staff/large/calendar?date=$day&view=day" -H "Cookie: $cookie" >/dev/null ;;
    monthcold) BENCH_MODE=availability BENCH_KEY=$large_key BENCH_OFFER=service-1 BENCH_DAY0=$(date -u -d "$day" +%s) wrk -t2 -c8 -d${duration}s -s scripts/bench.lua "http://127.0.0.1:$port/" >/dev/null ;;
    book8) BENCH_KEY=$bench_key BENCH_BASE=$((base + 40000*1800)) wrk -t2 -c8 -d${duration}s -s scripts/bench.lua "http://127.0.0.1:$port/" >/dev/null ;;
  esac
  wait $perfpid
  perf report -i $work/perf.data --no-children --sort symbol -g none --percent-limit 0.7 2>/dev/null | swift demangle --simplified | grep -v "^#" | grep -v "^$" | head -60 > /tmp/perf-$PERF-$(basename $tree).txt
  perf report -i $work/perf.data --children --sort symbol -g none --percent-limit 2 2>/dev/null | swift demangle --simplified | grep -v "^#" | grep -v "^$" | head -80 > /tmp/perfc-$PERF-$(basename $tree).txt
fi
