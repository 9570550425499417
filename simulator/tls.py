"""Self-signed certificate for ``SIM_TLS=1``.

The certificate is its own CA (basic constraints CA:TRUE, keyCertSign), names
``localhost``, ``127.0.0.1`` and ``::1``, and carries the key identifiers that
strict X.509 verification asks for, so a client can pass ``cert.pem`` as its
CA bundle (``ca_path``, ``verify=``, ``cafile=``) and verify the servers.
"""

import datetime
import ipaddress
import os
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from werkzeug.serving import WSGIRequestHandler

CERT_FILE = "cert.pem"
KEY_FILE = "key.pem"
VALID_DAYS = 30
# A client gets this long to complete the TLS handshake.
HANDSHAKE_TIMEOUT = 10.0


def make_certificate(directory):
    """Write a fresh key and certificate into ``directory``; return their paths."""
    os.makedirs(directory, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "telephony.callcenter simulator"),
        x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
    ])
    now = datetime.datetime.now(datetime.timezone.utc)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1")),
        ]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=True,
            data_encipherment=False, key_agreement=False, key_cert_sign=True,
            crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                       critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(directory, CERT_FILE)
    key_path = os.path.join(directory, KEY_FILE)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    with open(cert_path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def server_context(cert_path, key_path):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_path, key_path)
    return context


class HandshakeInThreadHandler(WSGIRequestHandler):
    """Request handler that completes the TLS handshake in the request's own
    thread, so that a client that connects and stays silent (or speaks plain
    HTTP) cannot stall the server's accept loop."""

    handshake_failed = False

    def setup(self):
        try:
            self.request.settimeout(HANDSHAKE_TIMEOUT)
            self.request.do_handshake()
            self.request.settimeout(None)
        except (OSError, ValueError) as exc:
            self.handshake_failed = True
            self.log("info", "TLS handshake failed: %s", exc)
        super().setup()

    def handle(self):
        if self.handshake_failed:
            return
        super().handle()


def wrap_server(server, context):
    """Serve TLS on a werkzeug server made without ``ssl_context`` and with
    :class:`HandshakeInThreadHandler`: the listening socket hands out TLS
    sockets whose handshake is left to the handler."""
    server.socket = context.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    server.ssl_context = context
    return server
