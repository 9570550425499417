#!/usr/bin/env bash
# Run the demo: start the simulator in the background, run playbooks/demo.yml
# against it twice and check that the second run changes nothing. The
# simulator is left running; `make simulator-stop` stops it.
#
# Expects the virtual environment's bin directory first on PATH and the
# collection staged by scripts/stage-collection.sh.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

playbook="playbooks/demo.yml"
inventory="playbooks/inventory/localhost.yml"
logs="build/demo"

for file in "${playbook}" "${inventory}"; do
  if [[ ! -f "${file}" ]]; then
    echo "ERROR: ${file} does not exist yet; the demo needs it." >&2
    exit 1
  fi
done

export ANSIBLE_COLLECTIONS_PATH="${CALLCENTER_COLLECTIONS_PATH:-${repo_root}/build/collections}"
export ANSIBLE_PYTHON_INTERPRETER="${ANSIBLE_PYTHON_INTERPRETER:-$(command -v python)}"
export XSWITCH_URL="${XSWITCH_URL:-http://127.0.0.1:8081}"
export XSWITCH_TOKEN="${XSWITCH_TOKEN:-sim-xswitch-dev-key}"
export PBX_URL="${PBX_URL:-http://127.0.0.1:8082}"
export PBX_API_KEY="${PBX_API_KEY:-SAMPLE_API_KEY}"
export PBX_USERNAME="${PBX_USERNAME:-sadr}"
export PBX_PASSWORD="${PBX_PASSWORD:-}"

# The simulator's pid file and log live in build/; a simulator left by an earlier demo is
# stopped first, so that the demo starts from an empty server.
export SIM_STATE_DIR="${repo_root}/build/simulator"
python -m simulator stop >/dev/null
echo "=== Starting the simulator: python -m simulator start (state in build/simulator)"
python -m simulator start

mkdir -p "${logs}"

# Sum of changed= and failed= over all hosts of a PLAY RECAP.
recap_total() {
  sed 's/\x1b\[[0-9;]*m//g' "$2" | grep -E '^[^ ].* : ok=[0-9]+' | grep -oE "$1=[0-9]+" | cut -d= -f2 \
    | awk '{s += $1} END {print s + 0}'
}

run_playbook() {
  local run="$1" log="${logs}/run$1.log" status=0
  echo
  echo "=== Demo run ${run}: ansible-playbook -i ${inventory} ${playbook}"
  ansible-playbook -i "${inventory}" "${playbook}" 2>&1 | tee "${log}" || status=$?
  if [[ ${status} -ne 0 ]]; then
    echo "ERROR: demo run ${run} failed (exit ${status}); log in ${log}." >&2
    echo "The simulator is still running; stop it with: make simulator-stop" >&2
    exit "${status}"
  fi
}

run_playbook 1
run_playbook 2

changed_first="$(recap_total changed "${logs}/run1.log")"
changed_second="$(recap_total changed "${logs}/run2.log")"

echo
echo "First run:  changed=${changed_first}"
if [[ "${changed_second}" -eq 0 ]]; then
  echo "Second run: changed=0 -- idempotent: the second run changed nothing."
  result=0
else
  echo "ERROR: second run: changed=${changed_second} -- NOT idempotent: the second run changed something." >&2
  result=1
fi

echo
echo "The simulator is still running (XSwitch API ${XSWITCH_URL}, Simotel API ${PBX_URL}); stop it with: make simulator-stop"
exit "${result}"
