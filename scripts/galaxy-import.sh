#!/usr/bin/env bash
# Build the staged collection into build/galaxy-import/ and check the tarball with
# galaxy-importer, as Galaxy and Automation Hub do on upload (ansible-lint on, ansible-test
# off). Fails on any ERROR or WARNING line of its output. Log: build/reports/galaxy-import.log.
#
# Expects the virtual environment's bin directory first on PATH, with
# requirements-packaging.txt installed, and the collection staged by scripts/stage-collection.sh.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
collections_dir="${CALLCENTER_COLLECTIONS_PATH:-${repo_root}/build/collections}"
staged="${collections_dir}/ansible_collections/telephony/callcenter"
out="${repo_root}/build/galaxy-import"
log="${repo_root}/build/reports/galaxy-import.log"

if [[ ! -f "${staged}/galaxy.yml" ]]; then
  echo "ERROR: no staged collection in ${staged}; run 'make stage' first." >&2
  exit 2
fi

rm -rf "${out}"
mkdir -p "${out}/tmp" "$(dirname "${log}")"

ansible-galaxy collection build "${staged}" --output-path "${out}" --force >/dev/null
tarballs=("${out}"/telephony-callcenter-*.tar.gz)
if [[ ${#tarballs[@]} -ne 1 || ! -f "${tarballs[0]}" ]]; then
  echo "ERROR: expected exactly one telephony-callcenter tarball in ${out}" >&2
  exit 1
fi
tarball="${tarballs[0]}"

cat >"${out}/galaxy-importer.cfg" <<CFG
[galaxy-importer]
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_LINT = True
OFFLINE_ANSIBLE_LINT = True
CHECK_CHANGELOG = True
TMP_ROOT_DIR = ${out}/tmp
ANSIBLE_LOCAL_TMP = ${out}/tmp/ansible
CFG

echo "galaxy-importer $(python -c 'from importlib.metadata import version; print(version("galaxy-importer"))') on ${tarball#"${repo_root}"/}"
status=0
# It writes importer_result.json into the current directory: run it in ${out}.
(cd "${out}" && GALAXY_IMPORTER_CONFIG="${out}/galaxy-importer.cfg" python -m galaxy_importer.main "${tarball}") \
  >"${log}" 2>&1 || status=$?

# The importer's own log: everything but the long JSON result it prints at the end.
grep -vE '^\s*$' "${log}" | sed -n '1,/^{/p' | grep -v '^{' || true

problems="$(grep -E 'ERROR|WARNING' "${log}" || true)"
errors="$(grep -c 'ERROR' <<<"${problems}" || true)"
warnings="$(grep -c 'WARNING' <<<"${problems}" || true)"
[[ -n "${problems}" ]] || errors=0 warnings=0
echo "galaxy-importer: ${errors} error(s), ${warnings} warning(s), exit ${status}; log in ${log#"${repo_root}"/}"

if [[ ${status} -ne 0 || -n "${problems}" ]]; then
  echo "ERROR: galaxy-importer reported problems with ${tarball##*/}:" >&2
  [[ -z "${problems}" ]] || echo "${problems}" >&2
  exit 1
fi
