#!/usr/bin/env bash
# Start or stop the API simulator in the background.
#
# Usage: scripts/simulator.sh start|stop|status
#   start: runs `python -m simulator` from the repository root (the virtual
#          environment's python must be first on PATH), logs to
#          build/simulator.log, writes its pid to build/simulator.pid and waits
#          until GET http://127.0.0.1:8081/_sim/stats answers.
#   stop:  stops the process whose pid is in build/simulator.pid.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pid_file="${repo_root}/build/simulator.pid"
log_file="${repo_root}/build/simulator.log"
stats_url="${SIMULATOR_STATS_URL:-http://127.0.0.1:8081/_sim/stats}"
wait_seconds="${SIMULATOR_START_TIMEOUT:-30}"

running_pid() {
  local pid
  [[ -f "${pid_file}" ]] || return 1
  pid="$(cat "${pid_file}")"
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  kill -0 "${pid}" 2>/dev/null || return 1
  echo "${pid}"
}

answers() {
  python - "${stats_url}" <<'PY'
import sys
import urllib.request

try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception:  # pylint: disable=broad-except
    sys.exit(1)
PY
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "The simulator is not running (no live pid in ${pid_file#"${repo_root}"/})."
    rm -f "${pid_file}"
    return 0
  fi
  kill "${pid}"
  for _ in $(seq 1 50); do
    kill -0 "${pid}" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "${pid}" 2>/dev/null; then
    kill -9 "${pid}"
  fi
  rm -f "${pid_file}"
  echo "Stopped the simulator (pid ${pid})."
}

start() {
  local pid
  if pid="$(running_pid)"; then
    echo "Stopping the simulator that is already running (pid ${pid})."
    stop
  fi
  if answers; then
    echo "ERROR: something else already answers on ${stats_url}; stop it first." >&2
    return 1
  fi

  mkdir -p "$(dirname "${pid_file}")"
  cd "${repo_root}"
  rm -f "${pid_file}"
  # setsid: the simulator must outlive the make process that started it.
  # The inner shell writes its own pid, which exec hands over to python.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$1"; exec python -m simulator' simulator "${pid_file}" \
    >"${log_file}" 2>&1 </dev/null &

  local deadline=$((SECONDS + wait_seconds))
  until [[ -s "${pid_file}" ]] || (( SECONDS >= deadline )); do
    sleep 0.1
  done
  until answers; do
    if ! running_pid >/dev/null; then
      echo "ERROR: the simulator exited during start-up; see ${log_file#"${repo_root}"/}:" >&2
      tail -20 "${log_file}" >&2
      return 1
    fi
    if (( SECONDS >= deadline )); then
      echo "ERROR: the simulator did not answer ${stats_url} within ${wait_seconds} s; see ${log_file#"${repo_root}"/}." >&2
      stop
      return 1
    fi
    sleep 0.3
  done
  echo "Simulator running (pid $(cat "${pid_file}")), log in ${log_file#"${repo_root}"/}."
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if pid="$(running_pid)"; then echo "running (pid ${pid})"; else echo "not running"; exit 1; fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
