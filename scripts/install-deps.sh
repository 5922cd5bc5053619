#!/usr/bin/env bash
# Installs the Debian packages Bizing needs when they are missing. Usage: install-deps.sh [build|test|bench]
set -euo pipefail
need=(libmicrohttpd-dev libargon2-dev libsqlite3-dev libcurl4-openssl-dev pkg-config)
case "${1:-build}" in
  test)  need+=(chromium chromium-driver python3-venv default-jre-headless strace) ;;   # Java: the HTML checker (vnu.jar)
  bench) need+=(wrk valgrind binutils) ;;
esac
missing=()
for package in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "swift is not on PATH: install Swift 6 (swift.org) first" >&2; exit 1; }
