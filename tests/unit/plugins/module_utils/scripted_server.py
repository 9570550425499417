# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted HTTP server on loopback: each request takes the next scripted reply and is
recorded, so a test can count exactly what the client sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import ssl
import threading
import time

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Reply:
    """``trickle``: seconds between the bytes of the body (of the whole reply with
    ``trickle_headers``), sent one at a time; ``chunked``: no Content-Length."""

    def __init__(self, status=200, body=None, headers=None, delay=0.0, raw=False, trickle=0.0,
                 trickle_headers=False, chunked=False):
        self.status = status
        self.body = body
        self.raw = raw  # body is sent as it is, not as JSON
        self.headers = headers or {}
        self.delay = delay
        self.trickle = trickle
        self.trickle_headers = trickle_headers
        self.chunked = chunked


# A trickled reply stops after this many seconds even if bytes are left, and when the client
# hangs up.
TRICKLE_LIMIT = 30.0


class ScriptedServer:
    """Serves ``script`` replies in order; the last one repeats."""

    def __init__(self, tls_files=None):
        self.script = []
        self.requests = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle(self):
                try:
                    BaseHTTPRequestHandler.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up on a trickled reply

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with server.lock:
                    server.requests.append({
                        "method": self.command, "path": self.path,
                        "peer": self.client_address[1],
                        "headers": dict(self.headers.items()),
                        "body": json.loads(raw) if raw else None})
                    index = min(len(server.requests), len(server.script)) - 1
                    reply = server.script[index] if server.script else Reply()
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.raw:
                    payload = reply.body.encode()
                else:
                    payload = b"" if reply.body is None else json.dumps(reply.body).encode()
                try:
                    if reply.trickle or reply.chunked:
                        self._send_slowly(reply, payload)
                        return
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _send_slowly(self, reply, payload):
                headers = dict(reply.headers, **{"Content-Type": "application/json"})
                if reply.chunked:
                    headers["Transfer-Encoding"] = "chunked"
                    payload = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in (
                        payload[start:start + 65536] for start in range(0, len(payload), 65536)))
                    payload += b"0\r\n\r\n"
                else:
                    headers["Content-Length"] = str(len(payload))
                head = ("HTTP/1.1 %d Scripted\r\n" % reply.status + "".join(
                    "%s: %s\r\n" % item for item in headers.items()) + "\r\n").encode()
                fast, slow = (b"", head + payload) if reply.trickle_headers else (head, payload)
                if not reply.trickle:
                    fast, slow = fast + slow, b""
                self.wfile.write(fast)
                stop = time.monotonic() + TRICKLE_LIMIT
                for index in range(len(slow)):
                    if time.monotonic() > stop:
                        self.close_connection = True
                        return
                    self.wfile.write(slow[index:index + 1])
                    time.sleep(reply.trickle)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        scheme = "http"
        if tls_files:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls_files)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.url = "%s://127.0.0.1:%d" % (scheme, self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def self_signed(directory):
    """A certificate for 127.0.0.1 that is its own CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u"127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(u"127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file = os.path.join(directory, "cert.pem")
    key_file = os.path.join(directory, "key.pem")
    with open(cert_file, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_file, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    return cert_file, key_file
