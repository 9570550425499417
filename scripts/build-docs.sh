#!/usr/bin/env bash
# Build the collection's documentation site into build/docs/html, the way antsibull-docs sets
# a collection's site up: `antsibull-docs sphinx-init` writes the Sphinx project (conf.py,
# antsibull-docs.cfg, build.sh) for the staged collection, its build.sh renders every module,
# role and filter and the extra docs of docs/docsite/ as RST and runs sphinx-build -W.
#
# Needs antsibull-docs and Sphinx on PATH (requirements-docs.txt, .venv/docs) and
# ANSIBLE_COLLECTIONS_PATH on the staged collection (make stage). Fails on any warning of
# antsibull-docs or Sphinx; the whole output is in build/docs/build.log. DOCS_OUT names
# another output directory than build/docs.
#
# Offline: the Ansible docs that the generated pages link to (common return values,
# configuration settings) are resolved from the inventory that scripts/docs-inventory.py writes,
# so the build fetches nothing.
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
out="${DOCS_OUT:-${root}/build/docs}"
project="${out}/sphinx"
log="${out}/build.log"

: "${ANSIBLE_COLLECTIONS_PATH:?must point at the staged collection (make stage)}"
export ANSIBLE_COLLECTIONS_PATH

version="$(sed -n 's/^version: *//p' "${root}/galaxy.yml")"

rm -rf "${project}" "${out}/html"
mkdir -p "${out}"
# antsibull-docs wants its destination owned by the user and writable only by them.
mkdir -m 700 "${project}"

echo "=== antsibull-docs sphinx-init (telephony.callcenter ${version}) in ${project}"
antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error \
  --dest-dir "${project}" \
  --project "telephony.callcenter" \
  --copyright "telephony.callcenter contributors" \
  --title "telephony.callcenter ${version}" \
  --html-short-title "telephony.callcenter" \
  telephony.callcenter >"${log}" 2>&1

# Replace the inventories that sphinx-init's conf.py would download by the local one.
python3 "${root}/scripts/docs-inventory.py" "${project}/ansible_devel.inv"
cat >>"${project}/conf.py" <<'PY'

# Added by scripts/build-docs.sh: no download; the Ansible docs' labels that the pages use
# come from a local inventory and link to docs.ansible.com.
intersphinx_mapping = {
    'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/', '../ansible_devel.inv'),
}
PY

echo "=== antsibull-docs collection and sphinx-build (log: ${log})"
status=0
"${project}/build.sh" >>"${log}" 2>&1 || status=$?

if [[ "${status}" -ne 0 ]] || grep -E 'WARNING|ERROR|CRITICAL|Traceback' "${log}" >/dev/null; then
  grep -E 'WARNING|ERROR|CRITICAL|Traceback' "${log}" >&2 || tail -20 "${log}" >&2
  echo "ERROR: the documentation site has warnings or errors (exit ${status}); see ${log}" >&2
  exit 1
fi

mv "${project}/build/html" "${out}/html"
echo "Documentation site: ${out}/html/index.html"
