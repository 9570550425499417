#!/usr/bin/env python
"""Write the Sphinx inventory (objects.inv, version 2) of the Ansible docs' labels that the site links to.

The pages antsibull-docs renders refer to a few labels of the Ansible documentation (for
example ``common_return_values`` at the end of every module page). Sphinx resolves them
through intersphinx, which would download the Ansible docs' inventory; the site is built
offline, so this writes an inventory of just those labels, each with its page on
docs.ansible.com. A label missing here makes the build fail with "undefined label".

Usage: docs-inventory.py OUTPUT
"""

from __future__ import annotations

import sys
import zlib

# label: (page under https://docs.ansible.com/projects/ansible/devel/, title)
LABELS = {
    'common_return_values': ('reference_appendices/common_return_values.html#common-return-values', 'Return Values'),
    'ansible_configuration_settings': ('reference_appendices/config.html#ansible-configuration-settings', 'Ansible Configuration Settings'),
}


def main(argv: list[str]) -> int:
    """Write the inventory to the file named on the command line."""
    if len(argv) != 2:
        print(__doc__.rstrip().rsplit('\n', 1)[-1], file=sys.stderr)
        return 2

    header = (
        '# Sphinx inventory version 2\n'
        '# Project: Ansible\n'
        '# Version: devel\n'
        '# The remainder of this file is compressed using zlib.\n'
    )
    body = ''.join(f'{label} std:label -1 {uri} {title}\n' for label, (uri, title) in sorted(LABELS.items()))

    with open(argv[1], 'wb') as handle:
        handle.write(header.encode('utf-8'))
        handle.write(zlib.compress(body.encode('utf-8')))

    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
