#!/usr/bin/env bash
# Build the staged collection into build/dist/, install the tarball into
# build/installed/ and check that ansible-doc renders every module from the
# installed copy.
#
# Expects the virtual environment's bin directory first on PATH and the
# collection staged by scripts/stage-collection.sh.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
collections_dir="${CALLCENTER_COLLECTIONS_PATH:-${repo_root}/build/collections}"
staged="${collections_dir}/ansible_collections/telephony/callcenter"
dist="${repo_root}/build/dist"
installed="${repo_root}/build/installed"
docs="${repo_root}/build/reports/ansible-doc"

if [[ ! -f "${staged}/galaxy.yml" ]]; then
  echo "ERROR: no staged collection in ${staged}; run 'make stage' first." >&2
  exit 2
fi

rm -rf "${dist}" "${installed}" "${docs}"
mkdir -p "${dist}" "${installed}" "${docs}"

ansible-galaxy collection build "${staged}" --output-path "${dist}" --force

tarballs=("${dist}"/telephony-callcenter-*.tar.gz)
if [[ ${#tarballs[@]} -ne 1 || ! -f "${tarballs[0]}" ]]; then
  echo "ERROR: expected exactly one telephony-callcenter tarball in ${dist}" >&2
  exit 1
fi
tarball="${tarballs[0]}"

failed=0

# Nothing that only exists on a developer's machine may end up in the artifact.
junk="$(tar -tzf "${tarball}" | grep -E '(^|/)(\.venv|\.ansible|\.git|\.pytest_cache|\.hypothesis|__pycache__|build|collections)(/|$)|^tests/output/|\.pyc$|\.db$' || true)"
if [[ -n "${junk}" ]]; then
  echo "ERROR: the tarball contains files that build_ignore should exclude:" >&2
  echo "${junk}" | head -20 >&2
  failed=1
fi

# With ANSIBLE_COLLECTIONS_PATH holding the staged copy, install would say
# "Nothing to do"; unset it for this command only.
env -u ANSIBLE_COLLECTIONS_PATH -u ANSIBLE_COLLECTIONS_PATHS \
  ansible-galaxy collection install --force --offline -p "${installed}" "${tarball}"

if [[ ! -f "${installed}/ansible_collections/telephony/callcenter/MANIFEST.json" ]]; then
  echo "ERROR: the collection was not installed into ${installed}" >&2
  exit 1
fi

export ANSIBLE_COLLECTIONS_PATH="${installed}"

modules=()
if [[ -d "${installed}/ansible_collections/telephony/callcenter/plugins/modules" ]]; then
  while IFS= read -r name; do
    modules+=("${name}")
  done < <(find "${installed}/ansible_collections/telephony/callcenter/plugins/modules" -maxdepth 1 -name '*.py' ! -name '__init__.py' -printf '%f\n' | sed 's/\.py$//' | sort)
fi

for module in "${modules[@]}"; do
  if ansible-doc -t module "telephony.callcenter.${module}" >"${docs}/${module}.txt" 2>"${docs}/${module}.err" \
      && grep -q "telephony.callcenter.${module}" "${docs}/${module}.txt"; then
    echo "ansible-doc telephony.callcenter.${module}: ok"
  else
    echo "ERROR: ansible-doc cannot render telephony.callcenter.${module}:" >&2
    cat "${docs}/${module}.err" >&2
    failed=1
  fi
done

echo "Built ${tarball#"${repo_root}"/}; installed into ${installed#"${repo_root}"/}; ${#modules[@]} module doc(s) checked."
exit "${failed}"
