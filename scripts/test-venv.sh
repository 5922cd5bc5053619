#!/usr/bin/env bash
# Creates or refreshes .build/test-venv, the Python environment of the test services the Swift tests
# start (Tests/services: the aiosmtpd SMTP sink, the localstripe Stripe double). Reinstalled only when requirements.txt changes.
# Prints nothing on success.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/.build/test-venv"
requirements="$root/Tests/services/requirements.txt"

if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv; } >/dev/null 2>&1 \
    || { echo "test-venv: could not install python3-venv" >&2; exit 1; }
fi
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/.requirements" 2>/dev/null; then
  rm -rf "$venv"
  mkdir -p "$root/.build"
  python3 -m venv "$venv" || { echo "test-venv: python3 -m venv failed" >&2; exit 1; }
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements" </dev/null \
    || { echo "test-venv: pip install -r Tests/services/requirements.txt failed" >&2; exit 1; }
  cp "$requirements" "$venv/.requirements"
fi
