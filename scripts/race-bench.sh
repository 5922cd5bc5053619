#!/usr/bin/env bash
# Race benchmark (issue 22): the RaceTests suite at 1,000 concurrent requests per race (the test
# suite runs 200) against a real server on loopback: API bookings, hold forms, hold→confirm,
# reschedules and new bookings onto one time, staff walk-ins and moves, a 10-seat class.
# Prints the suite's result and wall time. Usage: scripts/race-bench.sh [count]
set -uo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000}"
ulimit -n 8192 2>/dev/null || true
swift build --build-tests >/dev/null || exit 1
start=$(date +%s.%N)
BIZING_RACE_COUNT="$count" swift test --skip-build --filter RaceTests 2>&1 | grep -E '✘|✔ Test|Test run'
status=${PIPESTATUS[0]}
echo "race-bench: $count concurrent requests per race, $(echo "$(date +%s.%N) - $start" | bc) s in all"
exit "$status"
