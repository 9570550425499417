"""Start and drive the simulator from Python tests.

    from simulator.testing import Simulator

    with Simulator() as sim:
        sim.api("xswitch", "GET", "/api/users")           # authenticated
        sim.faults("xswitch", route="^GET /api/users", count=1, status=503)
        sim.stats("xswitch")["writes"]

``Simulator`` runs ``python -m simulator`` as a child process on two free
loopback ports with its own temporary database, waits until it is ready, and
stops it (by pid) on exit.  Credentials and URLs are read back from what the
simulator prints, so they are right whatever the environment sets.
"""

import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import requests

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVERS = ("xswitch", "simotel")
READY_LINE = "simulator ready"


class SimulatorError(RuntimeError):
    """The simulator did not start, or a control request failed."""


class Simulator:
    """The simulator as a child process.  Use as a context manager."""

    def __init__(self, tls=False, env=None, ready_timeout=20.0, stop_grace=5.0):
        self.tls = tls
        self.extra_env = dict(env or {})
        self.ready_timeout = ready_timeout
        self.stop_grace = stop_grace
        self.process = None
        self.workdir = None
        self.log_path = None
        self.xswitch_url = None
        self.simotel_url = None
        self.token = None
        self.admin_login = None
        self.admin_password = None
        self.pbx_username = None
        self.pbx_password = None
        self.pbx_api_key = None
        self.pbx_auth = None
        self.cert_path = None
        self.db_path = None
        self.returncode = None

    # -- life cycle ---------------------------------------------------------
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()
        return False

    def start(self):
        if self.process is not None:
            raise SimulatorError("already started")
        self.workdir = tempfile.mkdtemp(prefix="callcenter-sim-test-")
        self.db_path = os.path.join(self.workdir, "simulator.sqlite3")
        self.log_path = os.path.join(self.workdir, "output.log")
        env = dict(os.environ)
        env.update({
            "SIM_HOST": "127.0.0.1",
            "SIM_XSWITCH_PORT": "0",
            "SIM_SIMOTEL_PORT": "0",
            "SIM_DB": self.db_path,
            "PYTHONUNBUFFERED": "1",
        })
        env.pop("SIM_ALLOW_REMOTE", None)
        if self.tls:
            env["SIM_TLS"] = "1"
            env["SIM_TLS_DIR"] = os.path.join(self.workdir, "tls")
        else:
            env.pop("SIM_TLS", None)
        env.update({k: str(v) for k, v in self.extra_env.items()})
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "simulator"], cwd=REPO_ROOT, env=env,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + self.ready_timeout
        while True:
            text = self.output
            if READY_LINE in text.splitlines():
                self._read_banner(text)
                return
            if self.process.poll() is not None:
                raise SimulatorError("the simulator exited with %s before it was ready:\n%s"
                                     % (self.process.returncode, text))
            if time.monotonic() > deadline:
                raise SimulatorError("the simulator was not ready within %.0f s:\n%s"
                                     % (self.ready_timeout, text))
            time.sleep(0.05)

    def _read_banner(self, text):
        values = {}
        for line in text.splitlines():
            match = re.match(r"^([a-z_]+): ?(.*)$", line)
            if match and match.group(1) not in values:
                values[match.group(1)] = match.group(2)
        self.xswitch_url = values["xswitch_url"]
        self.simotel_url = values["simotel_url"]
        self.admin_login = values["xswitch_admin_login"]
        self.admin_password = values["xswitch_admin_password"]
        self.token = values["xswitch_dev_key"]
        self.pbx_username = values["pbx_username"]
        self.pbx_password = values["pbx_password"]
        self.pbx_api_key = values["pbx_api_key"]
        self.pbx_auth = values["pbx_auth"]
        self.cert_path = values.get("tls_cert")

    def stop(self):
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=self.stop_grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=self.stop_grace)
        if process is not None:
            self.returncode = process.returncode
        if self.workdir:
            self._last_output = self.output
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    @property
    def output(self):
        """Everything the simulator printed so far."""
        if self.workdir and self.log_path and os.path.exists(self.log_path):
            with open(self.log_path, "rb") as handle:
                return handle.read().decode("utf-8", "replace")
        return getattr(self, "_last_output", "")

    @property
    def pid(self):
        return self.process.pid if self.process else None

    # -- requests -----------------------------------------------------------
    @property
    def verify(self):
        return self.cert_path if self.cert_path else True

    def url(self, server):
        if server == "xswitch":
            return self.xswitch_url
        if server == "simotel":
            return self.simotel_url
        raise ValueError("server must be 'xswitch' or 'simotel', not %r" % (server,))

    def _control(self, server, method, path, **kw):
        response = requests.request(method, self.url(server) + "/_sim/" + path,
                                    verify=self.verify, timeout=10, **kw)
        if response.status_code >= 400:
            raise SimulatorError("%s /_sim/%s on %s: HTTP %s %s" % (
                method, path, server, response.status_code, response.text))
        return response.json()

    def stats(self, server):
        """{"total": N, "writes": W, "requests": {"GET /api/users": 3, ...}}"""
        return self._control(server, "GET", "stats")

    def reset(self, server=None):
        """Back to the initial state (data, stats, faults, config); both when None."""
        for name in (SERVERS if server is None else (server,)):
            self._control(name, "POST", "reset")

    def faults(self, server, **spec):
        """Add a fault (returns it) or, without a spec, list the faults."""
        if not spec:
            return self._control(server, "GET", "faults")["faults"]
        return self._control(server, "POST", "faults", json=spec)

    def clear_faults(self, server):
        self._control(server, "DELETE", "faults")

    def config(self, server, **settings):
        """Change quirk switches; returns the whole current config."""
        if not settings:
            return self._control(server, "GET", "config")
        return self._control(server, "POST", "config", json=settings)

    def auth_headers(self, server):
        if server == "xswitch":
            return {"X-XTRA-AUTH-ID": self.token}
        return {
            "X-APIKEY": self.pbx_api_key,
            "Authorization": "Basic " + base64.b64encode(
                ("%s:%s" % (self.pbx_username, self.pbx_password)).encode("utf-8")).decode("ascii"),
        }

    def api(self, server, method, path, auth=True, **kw):
        """An authenticated request; returns the ``requests.Response``.

        ``path`` starting with "/" is used as is; otherwise it is relative to
        "/api/" (XSwitch) or "/api/v4/" (Simotel)."""
        if not path.startswith("/"):
            path = ("/api/v4/" if server == "simotel" else "/api/") + path
        headers = dict(self.auth_headers(server)) if auth else {}
        headers.update(kw.pop("headers", None) or {})
        kw.setdefault("timeout", 30)
        kw.setdefault("verify", self.verify)
        return requests.request(method, self.url(server) + path, headers=headers, **kw)
