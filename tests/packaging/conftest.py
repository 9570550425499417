"""Packaging tests: the built and installed collection, as a user, an execution environment or
AWX gets it.

``installed_collection`` builds the staged collection (``CALLCENTER_COLLECTIONS_PATH``, set by
the Makefile; without it, a fresh staging of this checkout) into a tarball and installs it, once
per test session.
"""

import glob
import os

import pytest

from packaging_support import REPO, run, tool, without_collections_path


@pytest.fixture(scope="session")
def tarball(tmp_path_factory):
    """The collection tarball, built from the staged copy."""
    staged_root = os.environ.get("CALLCENTER_COLLECTIONS_PATH")
    if not staged_root:
        staged_root = str(tmp_path_factory.mktemp("staged"))
        run([os.path.join(REPO, "scripts", "stage-collection.sh"), staged_root])
    staged = os.path.join(staged_root, "ansible_collections", "telephony", "callcenter")
    assert os.path.isfile(os.path.join(staged, "galaxy.yml")), "no staged collection in %s" % staged
    dist = tmp_path_factory.mktemp("dist")
    run([tool("ansible-galaxy"), "collection", "build", staged, "--output-path", str(dist)],
        env=without_collections_path())
    built = glob.glob(str(dist / "telephony-callcenter-*.tar.gz"))
    assert len(built) == 1, built
    return built[0]


@pytest.fixture(scope="session")
def installed_collection(tmp_path_factory, tarball):
    """A directory holding ansible_collections/telephony/callcenter, installed from the tarball."""
    root = tmp_path_factory.mktemp("installed")
    run([tool("ansible-galaxy"), "collection", "install", "--offline", "--force", "-p", str(root),
         tarball], env=without_collections_path())
    assert (root / "ansible_collections" / "telephony" / "callcenter" / "MANIFEST.json").is_file()
    return root
