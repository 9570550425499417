#!/usr/bin/env bash
# Copy the collection's tracked and untracked-but-not-ignored files into a real
# ansible_collections/<namespace>/<name>/ tree, which ansible-test, ansible-lint
# and ansible-galaxy need. The copy is recreated from scratch on every call.
#
# Usage: scripts/stage-collection.sh [COLLECTIONS_DIR]
# Prints the path of the staged collection on stdout.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
collections_dir="${1:-${repo_root}/build/collections}"
dest="${collections_dir}/ansible_collections/telephony/callcenter"

cd "${repo_root}"

rm -rf "${dest}"
mkdir -p "${dest}"

# -c: tracked, -o: untracked, --exclude-standard: honour .gitignore.
# Files deleted from the work tree but still tracked are skipped.
git ls-files -z -co --exclude-standard \
  | while IFS= read -r -d '' path; do
      if [[ -e "${path}" || -L "${path}" ]]; then
        printf '%s\0' "${path}"
      fi
    done \
  | tar --null --no-recursion -T - -cf - \
  | tar -xf - -C "${dest}"

echo "${dest}"
