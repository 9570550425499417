"""``python -m simulator [run|start|stop|status] [--port N] [--simotel-port N] [--state-dir DIR]``

run (the default) serves the XSwitch and Simotel simulators together in the foreground: both
servers in this one process, each a threaded werkzeug server in its own thread, over one
SQLite file; Ctrl-C or SIGTERM stops both. start runs the same in the background, with a pid
file and a log in the state directory; stop and status act on it. --port and --simotel-port
override SIM_XSWITCH_PORT and SIM_SIMOTEL_PORT. Other settings come from the environment.
"""

import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time

from .settings import ENVIRONMENT, Settings, SettingsError, is_loopback_host

READY_LINE = "simulator ready"


def usage():
    lines = [__doc__.strip(), "", "Environment (default):"]
    for name, _attr, default in ENVIRONMENT:
        lines.append("  %-20s %r" % (name, default))
    lines.append("  %-20s %r" % ("SIM_STATE_DIR", "~/.cache/telephony-callcenter-simulator"))
    return "\n".join(lines)


def say(text=""):
    print(text, flush=True)


def url_host(host):
    return "[%s]" % host if ":" in host and not host.startswith("[") else host


def wait_accepting(host, port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host.strip("[]"), port), timeout=1.0):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


COMMANDS = ("run", "start", "stop", "status")
OPTIONS = {"--port": "SIM_XSWITCH_PORT", "--simotel-port": "SIM_SIMOTEL_PORT",
           "--state-dir": "SIM_STATE_DIR"}


def parse_arguments(argv, environ):
    """``(command, environment)``; raises SettingsError on a word it does not know."""
    command, environ, rest = "run", dict(environ), list(argv)
    if rest and rest[0] in COMMANDS:
        command = rest.pop(0)
    while rest:
        word = rest.pop(0)
        name, sep, value = word.partition("=")
        if name not in OPTIONS:
            raise SettingsError("unknown argument %r; see python -m simulator --help" % word)
        if not sep:
            if not rest:
                raise SettingsError("%s needs a value" % name)
            value = rest.pop(0)
        environ[OPTIONS[name]] = value
    return command, environ


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("-h", "--help"):
        say(usage())
        return 0
    try:
        command, environ = parse_arguments(argv, os.environ)
    except SettingsError as exc:
        print("simulator: %s" % exc, file=sys.stderr, flush=True)
        return 2
    if command != "run":
        from . import lifecycle  # pylint: disable=import-outside-toplevel
        directory = lifecycle.state_dir(environ.get("SIM_STATE_DIR"))
        if command == "start":
            return lifecycle.start(directory, environ)
        return lifecycle.stop(directory) if command == "stop" else lifecycle.status(directory)
    try:
        settings = Settings.from_env(environ)
    except SettingsError as exc:
        print("simulator: %s" % exc, file=sys.stderr, flush=True)
        return 2
    if not settings.allow_remote and not is_loopback_host(settings.host):
        print("simulator: refusing to listen on non-loopback address %r;"
              " set SIM_ALLOW_REMOTE=1 to allow it" % settings.host, file=sys.stderr, flush=True)
        return 2
    if settings.quiet:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return serve(settings)


def serve(settings):
    """Run both servers until SIGTERM/SIGINT; returns the exit status."""
    # Imported here so that bad settings are reported without loading Flask.
    # pylint: disable=import-outside-toplevel
    from werkzeug.serving import make_server

    from . import simotel, tls, xswitch
    from .control import FaultError
    from .db import Database

    cleanup_dirs = []
    try:
        if settings.db_path:
            db_path = os.path.abspath(settings.db_path)
        else:
            tmp = tempfile.mkdtemp(prefix="callcenter-sim-db-")
            cleanup_dirs.append(tmp)
            db_path = os.path.join(tmp, "simulator.sqlite3")
        database = Database(db_path)
        try:
            xswitch_app = xswitch.create_app(database, settings)
        except FaultError as exc:
            print("simulator: SIM_XSWITCH_CONFIG: %s" % exc, file=sys.stderr, flush=True)
            return 2
        created = database.initialize(settings)

        ssl_context = None
        cert_path = None
        if settings.tls:
            tls_dir = settings.tls_dir
            if not tls_dir:
                tls_dir = tempfile.mkdtemp(prefix="callcenter-sim-tls-")
                cleanup_dirs.append(tls_dir)
            cert_path, key_path = tls.make_certificate(tls_dir)
            ssl_context = tls.server_context(cert_path, key_path)

        apps = (("xswitch", xswitch_app, settings.xswitch_port),
                ("simotel", simotel.create_app(database, settings), settings.simotel_port))
        servers = []
        try:
            for name, app, port in apps:
                if ssl_context is None:
                    server = make_server(settings.host, port, app, threaded=True)
                else:
                    server = tls.wrap_server(
                        make_server(settings.host, port, app, threaded=True,
                                    request_handler=tls.HandshakeInThreadHandler),
                        ssl_context)
                servers.append((name, server))
        except (OSError, SystemExit) as exc:
            # werkzeug reports a port in use itself and raises SystemExit.
            for _name, server in servers:
                server.server_close()
            from .lifecycle import port_holder  # pylint: disable=import-outside-toplevel
            held = [(port, port_holder(port)) for _name, _app, port in apps if port]
            named = "; ".join("port %d is held by %s" % (port, holder)
                              for port, holder in held if holder)
            print("simulator: cannot listen on %s: %s" % (settings.host, named or exc or "port in use"),
                  file=sys.stderr, flush=True)
            return 1

        scheme = "https" if ssl_context else "http"
        host = url_host(settings.host)
        urls = {name: "%s://%s:%d" % (scheme, host, server.server_port)
                for name, server in servers}
        say("xswitch_url: %s" % urls["xswitch"])
        say("simotel_url: %s" % urls["simotel"])
        say("xswitch_admin_login: admin")
        say("xswitch_admin_password: %s" % settings.admin_password)
        say("xswitch_dev_key: %s" % settings.xswitch_token)
        say("xswitch_token_ttl: %d" % settings.token_ttl)
        say("pbx_username: %s" % settings.pbx_username)
        say("pbx_password: %s" % settings.pbx_password)
        say("pbx_api_key: %s" % settings.pbx_api_key)
        say("pbx_auth: %s" % settings.pbx_auth)
        if not settings.db_path:
            db_state = "temporary"
        else:
            db_state = "new" if created else "kept"
        say("db: %s (%s)" % (db_path, db_state))
        if cert_path:
            say("tls_cert: %s" % cert_path)

        stop = threading.Event()

        def request_stop(signum, _frame):
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)

        threads = []
        for name, server in servers:
            thread = threading.Thread(target=server.serve_forever, name="sim-" + name,
                                      kwargs={"poll_interval": 0.1}, daemon=True)
            thread.start()
            threads.append(thread)
        for _name, server in servers:
            wait_accepting(settings.host, server.server_port)
        say(READY_LINE)

        while not stop.wait(0.5):
            if not all(t.is_alive() for t in threads):
                print("simulator: a server thread stopped", file=sys.stderr, flush=True)
                break
        say("simulator stopping")
        stoppers = [threading.Thread(target=server.shutdown) for _name, server in servers]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers + threads:
            stopper.join(timeout=5)
        for _name, server in servers:
            server.server_close()
        return 0
    finally:
        for directory in cleanup_dirs:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
