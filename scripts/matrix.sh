#!/usr/bin/env bash
# The version matrix: a smoke subset of the tests on the oldest supported ansible-core (2.17,
# on the machine's Python 3.11) and on the newest release (2.21, on Python 3.12 or newer from
# pyenv), each in its own virtual environment under build/matrix/, made from the pinned
# tests/packaging/requirements-matrix-<version>.txt (again only when that file changes).
# Junit reports: build/reports/matrix-<version>.xml.
#
# Usage: scripts/matrix.sh [VERSION...]   (default: 2.17 2.21)
# MATRIX_PYTHON_2_17 / MATRIX_PYTHON_2_21 choose the interpreters; MATRIX_TESTS the tests.
# CALLCENTER_COLLECTIONS_PATH must hold the staged collection (the Makefile sets it).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

# One agent test, one queue test, one Simotel test, the credential-type playbook and the
# whole demo (both roles) twice.
default_tests=(
  tests/packaging/test_matrix.py
  tests/integration/test_xswitch_agent.py::test_agent_lifecycle
  tests/integration/test_xswitch_queues.py::test_the_documented_queue_and_its_rerun
  tests/integration/test_pbx_queue_batch_remove.py::test_documented_request_removes_both_and_a_repeat_is_unchanged
  tests/packaging/test_awx.py::test_create_credential_types_playbook
)
read -r -a tests <<<"${MATRIX_TESTS:-${default_tests[*]}}"

# The newest pyenv Python of at least 3.12: 3.13.0 when there, else the highest 3.12+.
newest_python() {
  local prefix version
  if command -v pyenv >/dev/null 2>&1; then
    if prefix="$(pyenv prefix 3.13.0 2>/dev/null)" && [[ -x "${prefix}/bin/python3" ]]; then
      echo "${prefix}/bin/python3"
      return
    fi
    version="$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$' | sort -V | tail -1 || true)"
    if [[ -n "${version}" ]] && prefix="$(pyenv prefix "${version}" 2>/dev/null)" && [[ -x "${prefix}/bin/python3" ]]; then
      echo "${prefix}/bin/python3"
      return
    fi
  fi
  # pyenv not on PATH: its versions directory, then interpreters on PATH.
  for candidate in "${PYENV_ROOT:-${HOME}/.pyenv}"/versions/3.13*/bin/python3 "${PYENV_ROOT:-${HOME}/.pyenv}"/versions/3.12*/bin/python3; do
    if [[ -x "${candidate}" ]] && "${candidate}" -c 'import sys' 2>/dev/null; then
      echo "${candidate}"
      return
    fi
  done
  for candidate in python3.13 python3.12; do
    if command -v "${candidate}" >/dev/null 2>&1 && "${candidate}" -c 'import sys' 2>/dev/null; then
      command -v "${candidate}"
      return
    fi
  done
  return 1
}

python_for() {
  case "$1" in
    2.17) echo "${MATRIX_PYTHON_2_17:-${PYTHON:-python3}}" ;;
    2.21) if [[ -n "${MATRIX_PYTHON_2_21:-}" ]]; then echo "${MATRIX_PYTHON_2_21}"; else newest_python; fi ;;
    *) return 1 ;;
  esac
}

export CALLCENTER_COLLECTIONS_PATH="${CALLCENTER_COLLECTIONS_PATH:-${repo_root}/build/collections}"
mkdir -p build/reports build/matrix

versions=("$@")
[[ ${#versions[@]} -gt 0 ]] || versions=(2.17 2.21)

# One version: its venv (made when missing or stale), then the tests. Prints its result line
# last.
run_version() {
  local version="$1" requirements venv report python wanted core status=0
  requirements="tests/packaging/requirements-matrix-${version}.txt"
  venv="build/matrix/ansible-${version}"
  report="build/reports/matrix-${version}.xml"
  rm -f "${report}"

  if [[ ! -f "${requirements}" ]]; then
    echo "ERROR: no ${requirements}" >&2
    echo "RESULT ansible-core ${version}: FAILED (no ${requirements})"
    return 1
  fi
  if ! python="$(python_for "${version}")" || [[ -z "${python}" ]]; then
    echo "ERROR: no Python 3.12 or newer found for ansible-core ${version} (pyenv versions --bare lists none); set MATRIX_PYTHON_${version//./_}" >&2
    echo "RESULT ansible-core ${version}: FAILED (no Python)"
    return 1
  fi

  # Made anew when the requirements files or the interpreter change.
  wanted="$(cat "${requirements}" requirements-simulator.txt | sha256sum | cut -c1-16) ${python}"
  if [[ ! -x "${venv}/bin/python" || "$(cat "${venv}/.installed" 2>/dev/null)" != "${wanted}" ]]; then
    rm -rf "${venv}"
    echo "Creating ${venv} with $("${python}" --version 2>&1) (${python})"
    "${python}" -m venv "${venv}"
    if ! "${venv}/bin/python" -m pip install --quiet --disable-pip-version-check -r "${requirements}" \
        >"${venv}/pip-install.log" 2>&1; then
      cat "${venv}/pip-install.log"
      echo "RESULT ansible-core ${version}: FAILED (pip install -r ${requirements} into ${venv})"
      return 1
    fi
    echo "${wanted}" >"${venv}/.installed"
  fi

  core="$("${venv}/bin/python" -c 'from importlib.metadata import version; print(version("ansible-core"))')"
  echo "ansible-core ${core} on $("${venv}/bin/python" --version 2>&1)"
  PATH="${repo_root}/${venv}/bin:${PATH}" VIRTUAL_ENV="${repo_root}/${venv}" MATRIX_ANSIBLE_CORE="${core}" \
    "${venv}/bin/python" -m pytest "${tests[@]}" -p no:cacheprovider -q --durations=3 \
    --junitxml="${report}" -o junit_suite_name="matrix-${version}" || status=$?
  if [[ ${status} -eq 0 ]]; then
    echo "RESULT ansible-core ${core} ($("${venv}/bin/python" --version 2>&1)): passed"
  else
    echo "RESULT ansible-core ${core} ($("${venv}/bin/python" --version 2>&1)): FAILED (pytest exit ${status})"
  fi
  return "${status}"
}

# The versions run side by side (each test starts its own simulator on free ports), each
# into its own log, printed in order when all are done.
pids=()
for version in "${versions[@]}"; do
  run_version "${version}" >"build/matrix/${version}.log" 2>&1 &
  pids+=("$!")
done

failed=0
for index in "${!versions[@]}"; do
  wait "${pids[${index}]}" || failed=1
done
for version in "${versions[@]}"; do
  echo
  echo "=== ansible-core ${version} (build/matrix/${version}.log)"
  grep -v '^RESULT ' "build/matrix/${version}.log" || true
done
echo
for version in "${versions[@]}"; do
  grep -h '^RESULT ' "build/matrix/${version}.log" | sed 's/^RESULT //' \
    || echo "ansible-core ${version}: FAILED (no result)"
done
exit "${failed}"
