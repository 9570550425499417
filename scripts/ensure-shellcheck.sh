#!/usr/bin/env bash
# Install Debian's shellcheck when it is missing, so that the ansible-test
# sanity test of that name runs instead of being skipped. Kept: shellcheck is a Debian
# package, which neither ansible-test nor antsibull-nox installs.
set -euo pipefail

if command -v shellcheck >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "WARNING: shellcheck is missing and apt-get is not available; the shellcheck sanity test will be skipped." >&2
  exit 0
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo -n)
  else
    echo "WARNING: shellcheck is missing and this user cannot install it; the shellcheck sanity test will be skipped." >&2
    exit 0
  fi
fi

echo "Installing shellcheck with apt-get"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq </dev/null
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends shellcheck </dev/null >/dev/null
shellcheck --version | head -2
