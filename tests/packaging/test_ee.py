"""Execution environment: the installed collection declares its Python and system requirements
so that ansible-builder finds them, and the example definition of extensions/ee/ makes a build
context. (Building the image needs a container engine, which the test machines lack.)"""

import os

import yaml

from packaging_support import REPO, run, tool

EE_EXAMPLE = os.path.join(REPO, "extensions", "ee", "execution-environment.yml")


def installed_path(root):
    return root / "ansible_collections" / "telephony" / "callcenter"


def test_the_metadata_names_files_that_ship(installed_collection):
    collection = installed_path(installed_collection)
    meta = yaml.safe_load((collection / "meta" / "execution-environment.yml").read_text())
    assert meta["version"] == 1
    assert meta["dependencies"] == {"python": "requirements.txt", "system": "bindep.txt"}
    for name in meta["dependencies"].values():
        assert (collection / name).is_file(), "%s does not ship in the tarball" % name


def test_introspect_finds_requests(installed_collection):
    done = run([tool("ansible-builder"), "introspect", str(installed_collection)])
    print(done.stdout)
    found = yaml.safe_load(done.stdout)
    python = [line.split("#")[0].strip() for line in found["python"]]
    system = [line.split("#")[0].strip() for line in found["system"]]
    assert any(line.startswith("requests>=") for line in python), python
    assert all("from collection telephony.callcenter" in line for line in found["python"])
    assert any(line.startswith("ca-certificates") for line in system), system


def test_requirements_have_floors_not_pins():
    for line in open(os.path.join(REPO, "requirements.txt")).read().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert ">=" in line and "==" not in line and "<" not in line, line


def test_create_writes_a_build_context(tmp_path):
    context = tmp_path / "context"
    done = run([tool("ansible-builder"), "create", "-f", EE_EXAMPLE, "-c", str(context),
                "--output-filename", "Containerfile"])
    print(done.stdout)
    containerfile = (context / "Containerfile").read_text()
    galaxy = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert [c["name"] for c in galaxy["collections"]] == ["telephony.callcenter"]
    assert "ansible-core>=2.17" in containerfile
    assert "ansible-runner" in containerfile
    assert "ansible-galaxy collection install" in containerfile


def test_the_example_is_version_3():
    definition = yaml.safe_load(open(EE_EXAMPLE).read())
    assert definition["version"] == 3
    assert {"name": "telephony.callcenter", "version": ">=0.1.0"} in definition["dependencies"]["galaxy"]["collections"]
