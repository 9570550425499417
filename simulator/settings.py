"""Start-up settings of the simulator, read from the environment."""

import dataclasses
import ipaddress
import json
import socket

PBX_AUTH_MODES = ("basic", "key", "both")

# Environment variable -> (attribute, default).  Printed by ``--help``.
ENVIRONMENT = (
    ("SIM_HOST", "host", "127.0.0.1"),
    ("SIM_XSWITCH_PORT", "xswitch_port", "8081"),
    ("SIM_SIMOTEL_PORT", "simotel_port", "8082"),
    ("SIM_DB", "db_path", ""),
    ("SIM_ALLOW_REMOTE", "allow_remote", "0"),
    ("SIM_ADMIN_PASSWORD", "admin_password", "SimAdmin-2026"),
    ("SIM_XSWITCH_TOKEN", "xswitch_token", "sim-xswitch-dev-key"),
    ("SIM_TOKEN_TTL", "token_ttl", "86400"),
    ("SIM_PBX_USERNAME", "pbx_username", "sadr"),
    ("SIM_PBX_PASSWORD", "pbx_password", ""),
    ("SIM_PBX_API_KEY", "pbx_api_key", "SAMPLE_API_KEY"),
    ("SIM_PBX_AUTH", "pbx_auth", "both"),
    ("SIM_TLS", "tls", "0"),
    ("SIM_TLS_DIR", "tls_dir", ""),
    ("SIM_QUIET", "quiet", "0"),
    ("SIM_XSWITCH_CONFIG", "xswitch_config", ""),
)


class SettingsError(ValueError):
    """A setting from the environment is unusable."""


def _flag(value):
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _port(name, value):
    try:
        port = int(value)
    except ValueError:
        raise SettingsError("%s must be a port number, not %r" % (name, value))
    if not 0 <= port <= 65535:
        raise SettingsError("%s must be between 0 and 65535" % name)
    return port


def _json_object(name, value):
    """A JSON object from the environment ("" or blanks: an empty one)."""
    if not value.strip():
        return {}
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise SettingsError("%s is not valid JSON: %s" % (name, exc))
    if not isinstance(parsed, dict):
        raise SettingsError("%s must be a JSON object of /_sim/config keys" % name)
    return parsed


@dataclasses.dataclass
class Settings:
    host: str = "127.0.0.1"
    xswitch_port: int = 8081
    simotel_port: int = 8082
    db_path: str = ""
    allow_remote: bool = False
    admin_password: str = "SimAdmin-2026"
    xswitch_token: str = "sim-xswitch-dev-key"
    token_ttl: int = 86400
    pbx_username: str = "sadr"
    pbx_password: str = ""
    pbx_api_key: str = "SAMPLE_API_KEY"
    pbx_auth: str = "both"
    tls: bool = False
    tls_dir: str = ""
    quiet: bool = False
    # XSwitch /_sim/config switches set at start and on every reset.
    xswitch_config: dict = dataclasses.field(default_factory=dict)

    @classmethod
    def from_env(cls, environ):
        raw = {attr: environ.get(name, default) for name, attr, default in ENVIRONMENT}
        try:
            ttl = int(raw["token_ttl"])
        except ValueError:
            raise SettingsError("SIM_TOKEN_TTL must be a number of seconds")
        if ttl < 1:
            raise SettingsError("SIM_TOKEN_TTL must be at least 1")
        auth = raw["pbx_auth"].strip().lower()
        if auth not in PBX_AUTH_MODES:
            raise SettingsError("SIM_PBX_AUTH must be one of %s" % ", ".join(PBX_AUTH_MODES))
        if not raw["xswitch_token"]:
            raise SettingsError("SIM_XSWITCH_TOKEN must not be empty")
        return cls(
            host=raw["host"].strip() or "127.0.0.1",
            xswitch_port=_port("SIM_XSWITCH_PORT", raw["xswitch_port"]),
            simotel_port=_port("SIM_SIMOTEL_PORT", raw["simotel_port"]),
            db_path=raw["db_path"],
            allow_remote=_flag(raw["allow_remote"]),
            admin_password=raw["admin_password"],
            xswitch_token=raw["xswitch_token"],
            token_ttl=ttl,
            pbx_username=raw["pbx_username"],
            pbx_password=raw["pbx_password"],
            pbx_api_key=raw["pbx_api_key"],
            pbx_auth=auth,
            tls=_flag(raw["tls"]),
            tls_dir=raw["tls_dir"],
            quiet=_flag(raw["quiet"]),
            xswitch_config=_json_object("SIM_XSWITCH_CONFIG", raw["xswitch_config"]),
        )


def is_loopback_host(host):
    """True when every address ``host`` names is a loopback address."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(
        ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def is_loopback_client(address):
    """True for a client address on the loopback range (127.0.0.0/8, ::1)."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return ip.is_loopback
