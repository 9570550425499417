#!/usr/bin/env bash
# Install Debian's chromium and chromium-driver when chromium is missing, so that
# tests/packaging/test_docs.py can open the documentation site in a headless browser.
# Kept: they are Debian packages, which no Python tool chain installs.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ERROR: /usr/bin/chromium is missing and apt-get is not available to install Debian's chromium." >&2
  exit 1
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo -n)
  else
    echo "ERROR: /usr/bin/chromium is missing and this user cannot install it (no root, no sudo)." >&2
    exit 1
  fi
fi

echo "Installing chromium and chromium-driver with apt-get"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq </dev/null
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver </dev/null >/dev/null
/usr/bin/chromium --version
