"""The documentation site: ``scripts/build-docs.sh`` (``make docs``) builds it with antsibull-docs
and Sphinx without a single warning, every module, role, filter, playbook and guide has its page,
the collection's docs pass ``antsibull-docs lint-collection-docs --plugin-docs``, and a module page
opens in headless Chromium with its title.

Run by ``make docs-test``, which installs the docs tool chain into ``.venv/docs`` (``DOCS_VENV``),
Debian's chromium, and stages the collection (``CALLCENTER_COLLECTIONS_PATH``).
"""

import functools
import glob
import html
import http.server
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import zlib

import pytest
import requests
import yaml

from packaging_support import REPO

DOCS_VENV = os.environ.get("DOCS_VENV", os.path.join(REPO, ".venv", "docs"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DOCSITE = os.path.join(REPO, "docs", "docsite")


def docs_env(collections_path):
    env = dict(os.environ)
    env["PATH"] = os.path.join(DOCS_VENV, "bin") + os.pathsep + env["PATH"]
    env["ANSIBLE_COLLECTIONS_PATH"] = collections_path
    return env


def staged_root():
    root = os.environ.get("CALLCENTER_COLLECTIONS_PATH", os.path.join(REPO, "build", "collections"))
    assert os.path.isfile(os.path.join(root, "ansible_collections", "telephony", "callcenter", "galaxy.yml")), \
        "no staged collection in %s (make stage)" % root
    return root


def build(collections_path, out):
    return subprocess.run([os.path.join(REPO, "scripts", "build-docs.sh")], capture_output=True, text=True,
                          check=False, timeout=600, env=dict(docs_env(collections_path), DOCS_OUT=str(out)))


@pytest.fixture(scope="module")
def site():
    """The site as `make docs` builds it: build/docs/html."""
    out = os.path.join(REPO, "build", "docs")
    done = build(staged_root(), out)
    print(done.stdout, done.stderr)
    assert done.returncode == 0, "build-docs.sh failed (exit %s):\n%s\n%s" % (done.returncode, done.stdout, done.stderr)
    log = open(os.path.join(out, "build.log")).read()
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR|CRITICAL|Traceback", line)]
    assert not warnings, warnings
    assert "build succeeded" in log, log[-2000:]
    return os.path.join(out, "html")


def ansible_doc_list(kind):
    done = subprocess.run([os.path.join(DOCS_VENV, "bin", "ansible-doc"), "-t", kind, "-l", "--json", "telephony.callcenter"],
                          capture_output=True, text=True, check=False, timeout=120, env=docs_env(staged_root()))
    assert done.returncode == 0, done.stderr
    return sorted(json.loads(done.stdout))


def page_text(path):
    with open(path, encoding="utf-8") as handle:
        return html.unescape(re.sub(r"<[^>]+>", "", handle.read()))


def title_of(path):
    with open(path, encoding="utf-8") as handle:
        found = re.search(r"<h1>(.*?)</h1>", handle.read(), re.S)
    assert found, "%s has no <h1>" % path
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_every_module_has_its_page(site):
    modules = ansible_doc_list("module")
    files = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(REPO, "plugins", "modules", "*.py")))
    assert modules == ["telephony.callcenter." + name for name in files]
    index = page_text(os.path.join(site, "index.html"))
    for fqcn in modules:
        page = os.path.join(site, "%s_module.html" % fqcn.rsplit(".", 1)[1])
        assert os.path.isfile(page), "no page for %s" % fqcn
        assert title_of(page).startswith("%s module" % fqcn), title_of(page)
        assert fqcn.rsplit(".", 1)[1] in index


def test_every_filter_has_its_page(site):
    filters = ansible_doc_list("filter")
    assert filters, "the collection has a filter (plugins/filter/)"
    for fqcn in filters:
        page = os.path.join(site, "%s_filter.html" % fqcn.rsplit(".", 1)[1])
        assert os.path.isfile(page), "no page for %s" % fqcn
        assert title_of(page).startswith("%s filter" % fqcn), title_of(page)


def test_every_role_has_its_page_with_its_variables(site):
    roles = sorted(os.listdir(os.path.join(REPO, "roles")))
    assert roles
    for role in roles:
        page = os.path.join(site, "%s_role.html" % role)
        assert os.path.isfile(page), "no page for the role %s" % role
        assert title_of(page).startswith("telephony.callcenter.%s role" % role), title_of(page)
        specs = yaml.safe_load(open(os.path.join(REPO, "roles", role, "meta", "argument_specs.yml")))
        text = page_text(page)
        for option in specs["argument_specs"]["main"]["options"]:
            assert option in text, "%s is not on the page of the role %s" % (option, role)


def test_every_guide_and_playbook_is_in_the_site(site):
    extra = yaml.safe_load(open(os.path.join(DOCSITE, "extra-docs.yml")))
    guides = [name for section in extra["sections"] for name in section["toctree"]]
    on_disk = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(DOCSITE, "rst", "*.rst")))
    assert sorted(guides) == on_disk, "extra-docs.yml and docs/docsite/rst/ differ"
    for name in ("install", "quickstart", "awx", "multisite", "probe", "known_limits", "performance", "playbooks"):
        assert name in guides
    index = open(os.path.join(site, "index.html"), encoding="utf-8").read()
    for name in guides:
        page = os.path.join(site, "docsite", "%s.html" % name)
        assert os.path.isfile(page), "no page for the guide %s" % name
        assert 'href="docsite/%s.html"' % name in index, "the front page does not link to %s" % name
    playbooks_page = page_text(os.path.join(site, "docsite", "playbooks.html"))
    playbooks = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(REPO, "playbooks", "*.yml")))
    assert playbooks
    for name in playbooks:
        assert "telephony.callcenter.%s" % name in playbooks_page, "the playbook %s is not documented" % name


def test_the_guides_take_the_version_from_galaxy_yml():
    version = yaml.safe_load(open(os.path.join(REPO, "galaxy.yml")))["version"]
    seen = []
    for path in glob.glob(os.path.join(DOCSITE, "rst", "*.rst")):
        text = open(path, encoding="utf-8").read()
        for pattern in (r"telephony-callcenter-(\d+\.\d+\.\d+)\.tar\.gz", r"callcenter-ee:(\d+\.\d+\.\d+)",
                        r'version: ">=(\d+\.\d+\.\d+)"'):
            for found in re.findall(pattern, text):
                seen.append(found)
                assert found == version, "%s names version %s, galaxy.yml %s" % (path, found, version)
    assert len(seen) >= 3, seen


def test_a_warning_fails_the_build(tmp_path):
    """An extra doc with an undefined reference: the build fails and names it."""
    copy = tmp_path / "collections"
    shutil.copytree(staged_root(), copy, ignore=shutil.ignore_patterns("tests", "simulator", "__pycache__"))
    guide = copy / "ansible_collections" / "telephony" / "callcenter" / "docs" / "docsite" / "rst" / "quickstart.rst"
    guide.write_text(guide.read_text() + "\nSee :ref:`no_such_label_anywhere`.\n")
    done = build(str(copy), tmp_path / "out")
    assert done.returncode != 0, done.stdout
    assert "no_such_label_anywhere" in done.stderr, done.stderr
    assert not (tmp_path / "out" / "html").exists()


def test_lint_collection_docs():
    collection = os.path.join(staged_root(), "ansible_collections", "telephony", "callcenter")
    done = subprocess.run([os.path.join(DOCS_VENV, "bin", "antsibull-docs"), "lint-collection-docs", "--plugin-docs", collection],
                          capture_output=True, text=True, check=False, timeout=300, env=docs_env(staged_root()))
    print(done.stdout, done.stderr)
    assert done.returncode == 0, "%s\n%s" % (done.stdout, done.stderr)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture()
def served(site):
    """The site on an HTTP server on 127.0.0.1."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d/" % server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def chromium(tmp_path, *args):
    profile = tmp_path / ("profile-%d" % len(list(tmp_path.glob("profile-*"))))
    done = subprocess.run([CHROMIUM] + CHROMIUM_FLAGS + ["--user-data-dir=%s" % profile] + list(args),
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, "chromium failed (exit %s): %s" % (done.returncode, done.stderr[-2000:])
    return done


def png_pixels(path):
    """Width, height and the filtered scanlines of a PNG (enough to tell a blank page)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, idat, width, height = 8, b"", 0, 0
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        chunk = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        offset += 12 + length
    return width, height, zlib.decompress(idat)


def test_a_module_page_opens_in_chromium_with_its_title(served, tmp_path):
    url = served + "xswitch_agent_module.html"
    shot = tmp_path / "xswitch_agent.png"
    chromium(tmp_path, "--screenshot=%s" % shot, "--window-size=1280,1600", "--hide-scrollbars", url)
    width, height, raw = png_pixels(shot)
    assert (width, height) == (1280, 1600)
    # A blank page filters to rows of zeros; text, tables and the theme's colours do not.
    busy = sum(1 for byte in raw if byte not in (0, 255))
    assert busy > len(raw) // 100, "the screenshot looks blank (%d of %d bytes)" % (busy, len(raw))
    os.makedirs(os.path.join(REPO, "build", "docs"), exist_ok=True)
    shutil.copy(shot, os.path.join(REPO, "build", "docs", "xswitch_agent.png"))

    dom = chromium(tmp_path, "--dump-dom", url).stdout
    title = re.search(r"<h1>(.*?)</h1>", dom, re.S)
    assert title, dom[:2000]
    assert html.unescape(re.sub(r"<[^>]+>", "", title.group(1))).strip().startswith(
        "telephony.callcenter.xswitch_agent module")
    assert re.search(r"<title>telephony\.callcenter\.xswitch_agent module", dom), re.findall(r"<title>.*?</title>", dom)
    # The theme's stylesheet and the option tables are there, so this is the real page, styled.
    assert "sphinx_rtd_theme" in dom or "ansible.css" in dom or "theme.css" in dom
    assert "update_password" in dom


def test_chromium_tells_a_missing_page(served, tmp_path):
    """The title check above can fail: a page that does not exist has no module title."""
    dom = chromium(tmp_path, "--dump-dom", served + "no_such_module.html").stdout
    assert "telephony.callcenter.xswitch_agent module" not in dom


def guide_files(name):
    """The code blocks of a guide that start with a comment naming a file: {path: text}."""
    text = open(os.path.join(DOCSITE, "rst", name + ".rst"), encoding="utf-8").read()
    files = {}
    for block in re.findall(r"\.\. code-block:: [\w+]+\n\n((?:   .*\n|\n)+)", text):
        lines = [line[3:] for line in block.rstrip().split("\n")]
        found = re.match(r"# ([\w/.-]+\.yml)", lines[0])
        if found:
            files[found.group(1)] = "\n".join(lines[1:]) + "\n"
    return files


def test_the_multisite_guide_deploys_two_sites(tmp_path):
    """The inventory, group_vars, vault files and play of the multi-site guide, as written there
    (Madrid a copy of Berlin), deploy each site's center to its own server, encrypted vaults
    included; the second run changes nothing; a site whose server is down fails alone."""
    from simulator.testing import Simulator  # the repository root is on pytest's pythonpath

    files = guide_files("multisite")
    assert sorted(files) == ["inventory/group_vars/callcenters.yml", "inventory/group_vars/site_berlin/vars.yml",
                             "inventory/group_vars/site_berlin/vault.yml", "inventory/hosts.yml", "site.yml"], sorted(files)
    bindir = os.path.dirname(sys.executable)
    password_file = tmp_path / "vault-password"
    password_file.write_text("multisite-test-vault\n")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=staged_root(), ANSIBLE_NOCOLOR="1")

    with Simulator() as berlin, Simulator() as madrid:
        for site, sim in (("berlin", berlin), ("madrid", madrid)):
            for path, text in files.items():
                if "site_berlin" in path:
                    path = path.replace("site_berlin", "site_" + site)
                    text = text.replace("https://pbx-berlin.example.com:8081", sim.xswitch_url)
                    text = text.replace("berlin.example.com", site + ".example.com")
                    text = text.replace('vault_site_xswitch_token: "..."', 'vault_site_xswitch_token: "%s"' % sim.token)
                    text = re.sub(r'"(100\d)": "\.\.\."', r'"\1": "%s-Agent-\1"' % site.capitalize(), text)
                    assert "..." not in text, text
                target = tmp_path / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
            vault = tmp_path / "inventory" / "group_vars" / ("site_" + site) / "vault.yml"
            done = subprocess.run([os.path.join(bindir, "ansible-vault"), "encrypt", "--vault-password-file", str(password_file), str(vault)],
                                  capture_output=True, text=True, check=False, timeout=60, env=env)
            assert done.returncode == 0, done.stderr
            assert vault.read_text().startswith("$ANSIBLE_VAULT;")

        def deploy(*extra):
            return subprocess.run([os.path.join(bindir, "ansible-playbook"), "-i", "inventory/hosts.yml", "site.yml",
                                   "--vault-password-file", str(password_file)] + list(extra),
                                  capture_output=True, text=True, check=False, timeout=300, env=env, cwd=tmp_path)

        def recap(done):
            return dict(re.findall(r"^(pbx-\w+)\s+: (ok=.*?)\s*$", done.stdout, re.M))

        first = deploy()
        assert first.returncode == 0, first.stdout + first.stderr
        assert all("changed=1" in line for line in recap(first).values()) and len(recap(first)) == 2, recap(first)
        for site, sim in (("berlin", berlin), ("madrid", madrid)):
            reply = requests.get(sim.xswitch_url + "/api/users", params={"perPage": 50},
                                 headers={"X-XTRA-AUTH-ID": sim.token}, timeout=30)
            reply.raise_for_status()
            users = reply.json()["data"]
            assert sorted((u["login"], u["domain"]) for u in users if u["login"] in ("1001", "1002")) == [
                ("1001", site + ".example.com"), ("1002", site + ".example.com")]
        second = deploy()
        assert second.returncode == 0, second.stdout + second.stderr
        assert all("changed=0" in line for line in recap(second).values()) and len(recap(second)) == 2, recap(second)
        assert list(recap(deploy("-l", "site_madrid"))) == ["pbx-madrid"]

        berlin.stop()
        down = deploy()
        assert down.returncode != 0
        assert "failed=1" in recap(down)["pbx-berlin"] and "failed=0" in recap(down)["pbx-madrid"], recap(down)
