#!/usr/bin/env bash
# Run one pytest suite of the repository with the virtual environment's Python
# and write its junit report to build/reports/<name>.xml.
#
# Usage: scripts/run-pytest.sh NAME TEST_DIR [extra pytest options]
# CALLCENTER_COLLECTIONS_PATH must point at a directory that contains
# ansible_collections/telephony/callcenter (the Makefile sets it to the staged copy).
set -euo pipefail

name="${1:?usage: $0 NAME TEST_DIR [pytest options]}"
test_dir="${2:?usage: $0 NAME TEST_DIR [pytest options]}"
shift 2

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
report="${repo_root}/build/reports/${name}.xml"

cd "${repo_root}"
mkdir -p "$(dirname "${report}")"
rm -f "${report}"

if [[ ! -d "${test_dir}" ]]; then
  echo "No ${test_dir} directory yet; nothing to run."
  exit 0
fi

export CALLCENTER_COLLECTIONS_PATH="${CALLCENTER_COLLECTIONS_PATH:-${repo_root}/build/collections}"

status=0
python -m pytest "${test_dir}" -p no:cacheprovider --durations=5 --junitxml="${report}" -o junit_suite_name="${name}" "$@" || status=$?

# pytest exits with 5 when it collected no test at all.
if [[ ${status} -eq 5 ]]; then
  echo "No tests were collected in ${test_dir}."
  exit 0
fi

exit "${status}"
