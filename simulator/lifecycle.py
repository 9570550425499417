"""``python -m simulator start|stop|status``: the simulator in the background.

``start`` runs ``python -m simulator run`` detached (its own session, so it outlives the shell
or ``make`` that started it), with its output in ``simulator.log`` and its pid in
``simulator.pid`` under the state directory (``--state-dir``, else ``SIM_STATE_DIR``, else
``~/.cache/telephony-callcenter-simulator``), and returns once both servers answer. A port
already taken is named with the process that holds it, where the system tells.
"""

import errno
import os
import signal
import socket
import subprocess
import sys
import time

from .settings import Settings, SettingsError

START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def state_dir(given=None):
    return os.path.abspath(given or os.environ.get("SIM_STATE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "telephony-callcenter-simulator"))


def _paths(directory):
    return os.path.join(directory, "simulator.pid"), os.path.join(directory, "simulator.log")


def running_pid(directory):
    """The pid in the pid file when that process is alive, else None."""
    pid_file = _paths(directory)[0]
    try:
        with open(pid_file) as handle:
            pid = int(handle.read().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except OSError as error:
        if error.errno == errno.EPERM:
            return pid
        return None
    return pid


def _listening_inodes(port):
    """Socket inodes listening on ``port``, from /proc/net/tcp and tcp6 (Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                lines = handle.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def port_holder(port):
    """``"pid 1234 (python -m http.server)"`` for the process listening on ``port``, or None."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    wanted = set("socket:[%s]" % inode for inode in inodes)
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            links = set(os.readlink(os.path.join("/proc", name, "fd", fd))
                        for fd in os.listdir(os.path.join("/proc", name, "fd")))
        except OSError:
            continue  # gone, or another user's
        if links & wanted:
            try:
                with open("/proc/%s/cmdline" % name, "rb") as handle:
                    command = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                command = "?"
            return "pid %s (%s)" % (name, command.strip()[:120])
    return "a process of another user"


def port_in_use(host, port):
    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host.strip("[]"), port))
    except OSError:
        return True
    finally:
        probe.close()
    return False


def _say(text):
    print(text, flush=True)


def _fail(text):
    print("simulator: %s" % text, file=sys.stderr, flush=True)
    return 1


def start(directory, environ):
    try:
        settings = Settings.from_env(environ)
    except SettingsError as exc:
        return _fail(str(exc))
    pid = running_pid(directory)
    if pid is not None:
        return _fail("already running (pid %d, pid file %s); `python -m simulator stop` stops it"
                     % (pid, _paths(directory)[0]))
    for label, port in (("XSwitch", settings.xswitch_port), ("Simotel", settings.simotel_port)):
        if port and port_in_use(settings.host, port):
            holder = port_holder(port)
            return _fail("port %d (the %s API) is in use%s; stop that or choose another port "
                         "(--port / --simotel-port, or SIM_XSWITCH_PORT / SIM_SIMOTEL_PORT)"
                         % (port, label, " by " + holder if holder else ""))
    os.makedirs(directory, exist_ok=True)
    pid_file, log_file = _paths(directory)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(log_file, "wb") as log:
        child = subprocess.Popen([sys.executable, "-m", "simulator", "run"], cwd=root,
                                 env=dict(environ, PYTHONUNBUFFERED="1"), stdin=subprocess.DEVNULL,
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    with open(pid_file, "w") as handle:
        handle.write("%d\n" % child.pid)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if child.poll() is not None:
            os.unlink(pid_file)
            with open(log_file, "rb") as handle:
                tail = handle.read().decode("utf-8", "replace")[-2000:]
            return _fail("exited during start-up (status %s):\n%s" % (child.returncode, tail))
        if _ready(log_file):
            break
        if time.monotonic() > deadline:
            stop(directory)
            return _fail("not ready within %.0f s; see %s" % (START_TIMEOUT, log_file))
        time.sleep(0.1)
    with open(log_file, "rb") as handle:
        banner = handle.read().decode("utf-8", "replace")
    for line in banner.splitlines():
        if line.startswith(("xswitch_url:", "simotel_url:", "db:")):
            _say(line)
    _say("running (pid %d); log %s; stop it with: python -m simulator stop" % (child.pid, log_file))
    return 0


def _ready(log_file):
    from .__main__ import READY_LINE  # pylint: disable=import-outside-toplevel
    try:
        with open(log_file, "rb") as handle:
            return READY_LINE in handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return False


def stop(directory):
    pid_file = _paths(directory)[0]
    pid = running_pid(directory)
    if pid is None:
        if os.path.exists(pid_file):
            os.unlink(pid_file)
        _say("not running (no live pid in %s)" % pid_file)
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while running_pid(directory) == pid and not _reaped(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.1)
    os.unlink(pid_file)
    _say("stopped (pid %d)" % pid)
    return 0


def _reaped(pid):
    """True once ``pid`` has exited: reaped if it is our child, else gone or a zombie."""
    try:
        done, dummy = os.waitpid(pid, os.WNOHANG)
        return done == pid
    except ChildProcessError:
        pass
    try:
        with open("/proc/%d/stat" % pid, "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except OSError:
        return True


def status(directory):
    pid = running_pid(directory)
    if pid is None:
        _say("not running")
        return 3
    _say("running (pid %d, pid file %s)" % (pid, _paths(directory)[0]))
    return 0
