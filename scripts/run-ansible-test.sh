#!/usr/bin/env bash
# Run ansible-test (sanity or units) in the staged copy of the collection and
# keep its junit reports in build/reports/<command>/.
#
# Usage: scripts/run-ansible-test.sh sanity|units [extra ansible-test options]
# Expects the virtual environment's bin directory first on PATH and the
# collection staged by scripts/stage-collection.sh.
set -euo pipefail

command="${1:?usage: $0 sanity|units [options]}"
shift

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
collections_dir="${CALLCENTER_COLLECTIONS_PATH:-${repo_root}/build/collections}"
staged="${collections_dir}/ansible_collections/telephony/callcenter"
reports="${repo_root}/build/reports/${command}"
python_version="${ANSIBLE_TEST_PYTHON:-3.11}"

if [[ ! -f "${staged}/galaxy.yml" ]]; then
  echo "ERROR: no staged collection in ${staged}; run 'make stage' first." >&2
  exit 2
fi

options=(--venv --python "${python_version}" --color no)
case "${command}" in
  sanity)
    options+=(--junit)
    ;;
  units)
    if [[ -z "$(find "${staged}/tests/unit" -name 'test_*.py' -print -quit 2>/dev/null)" ]]; then
      echo "No unit tests found under tests/unit; nothing to run."
      rm -rf "${reports}"
      exit 0
    fi
    ;;
  *)
    echo "ERROR: unsupported ansible-test command: ${command}" >&2
    exit 2
    ;;
esac

# The staged copy lives inside this git work tree, where it is git-ignored.
# Pointing ansible-test at the content root explicitly stops it from walking up
# to the outer repository (whose git file list would not include the copy).
export ANSIBLE_TEST_CONTENT_ROOT="${staged}"

rm -rf "${staged}/tests/output" "${reports}"
mkdir -p "${reports}"

log="${reports}/ansible-test.log"
status=0
(cd "${staged}" && ansible-test "${command}" "${options[@]}" "$@") 2>&1 | tee "${log}" || status=$?

if [[ -d "${staged}/tests/output/junit" ]]; then
  cp "${staged}"/tests/output/junit/*.xml "${reports}/" 2>/dev/null || true
fi

# When one sanity test crashes, ansible-test stops without running the rest
# and without a junit report for them: record that as a failed test case.
if [[ "${command}" == sanity && ${status} -ne 0 ]] && ! grep -qE 'sanity test\(s\) listed below \(out of [0-9]+\) failed' "${log}"; then
  cat >"${reports}/ansible-test-sanity-aborted.xml" <<XML
<?xml version="1.0" ?>
<testsuites tests="1" failures="1">
  <testsuite name="ansible-test" tests="1" failures="1">
    <testcase classname="sanity" name="ansible-test-run">
      <failure message="ansible-test sanity stopped before it ran every test (exit ${status}); see build/reports/sanity/ansible-test.log"/>
    </testcase>
  </testsuite>
</testsuites>
XML
fi

exit "${status}"
