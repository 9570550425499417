"""Execution environment: the installed collection declares its Python and system requirements
so that ansible-builder finds them, and the example definition of extensions/ee/ makes a build
context. (Building the image needs a container engine, which the test machines lack.)"""

import os
import re

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
    assert {"name": "telephony.callcenter", "version": ">=0.2.0"} in definition["dependencies"]["galaxy"]["collections"]


def test_the_install_lines_name_the_version_of_galaxy_yml():
    version = yaml.safe_load(open(os.path.join(REPO, "galaxy.yml")))["version"]
    readme = open(os.path.join(REPO, "README.md")).read()
    example = open(EE_EXAMPLE).read()
    for name, text in (("README.md", readme), ("extensions/ee/execution-environment.yml", example)):
        found = set(re.findall(r"telephony-callcenter-(\d+\.\d+\.\d+)\.tar\.gz", text))
        found |= set(re.findall(r"callcenter-ee:(\d+\.\d+\.\d+)", text))
        found |= set(re.findall(r'version: ">=(\d+\.\d+\.\d+)"', text))
        assert found == {version}, "%s names %s; galaxy.yml is %s" % (name, sorted(found), version)


def test_the_installed_playbooks_run_without_warnings_with_their_inventory(installed_collection):
    # The README gives this -i: without it Ansible warns of an unparsed inventory and of an
    # empty hosts list on every run.
    collection = installed_path(installed_collection)
    inventory = collection / "playbooks" / "inventory" / "localhost.yml"
    environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(installed_collection),
                       ANSIBLE_NOCOLOR="1")
    for name in ("demo", "offboard", "export", "probe"):
        done = run([tool("ansible-playbook"), "-i", str(inventory), "telephony.callcenter." + name,
                    "--list-tasks"], env=environment)
        output = done.stdout + done.stderr
        assert "localhost" in output and "WARNING" not in output, output
