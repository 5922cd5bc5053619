#!/usr/bin/env bash
# The whole test suite: Swift unit and HTTP tests (real SQLite files, real server on loopback),
# then the browser tests (Tests/browser/run.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests || exit 1
# The Python test services (the aiosmtpd SMTP sink) the Swift tests start.
scripts/test-venv.sh || exit 1
# Tests make real SQLite files under the temporary directory: give them one of their own, removed
# afterwards, so runs do not pile databases up in /tmp.
test_tmp=$(mktemp -d "${TMPDIR:-/tmp}/bizing-tests.XXXXXX")
trap 'rm -rf "$test_tmp"' EXIT
export TMPDIR="$test_tmp"
mkdir -p .build
swift test --skip-build > .build/swift-test.log 2>&1
status=$?
# Failures and the summary in full; passing tests are one line each in .build/swift-test.log.
grep -vE '^\s*$|◇ |✔ Suite|✔ Test .*\) (with [0-9]+ test cases )?passed' .build/swift-test.log
# Crash safety from outside: kill -9 of `bizing serve` mid-burst, three rounds (scripts/crash-test.py).
python3 scripts/crash-test.py .build/debug/bizing
crash_status=$?
[ $status -eq 0 ] && status=$crash_status
# The API document against a real server: schemathesis, every check but positive data acceptance.
scripts/api-fuzz.sh .build/debug/bizing
fuzz_status=$?
[ $status -eq 0 ] && status=$fuzz_status
# Browser tests: headless Chromium through Selenium against a real `bizing serve --demo` (Tests/browser/),
# the debug build tested above (a second, release build would add ~8 minutes to CI).
BIZING_BINARY=.build/debug/bizing Tests/browser/run.sh
browser_status=$?
# Durability from outside: the real server fsyncs every acknowledged booking, counted with strace.
python3 scripts/durability-test.py .build/debug/bizing
durability_status=$?
[ $status -ne 0 ] && exit $status
[ $browser_status -ne 0 ] && exit $browser_status
exit $durability_status
