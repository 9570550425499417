"""What every Simotel service shares: the envelope, refusals, the per-request context
and reading the fields of a body."""

from flask import jsonify

from .. import assumed

API_PREFIX = "api/v4/"


def normalize_service(path):
    """'/API/v4/PBX/Queues/BatchRemoveAgent/' -> 'pbx/queues/batchremoveagent'."""
    service = path.strip().strip("/").lower()
    if service.startswith(API_PREFIX):
        service = service[len(API_PREFIX):]
    return service.strip("/")


def envelope(success, message, data=None, status=200):
    return jsonify({"success": success, "message": message, "data": data}), status


class Refusal(Exception):
    """A reply ``{"success": 0, "message": message, "data": null}`` with HTTP ``status``."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def failed(message):
    """A call carried out whose operation failed: HTTP 200, success 0 (settings page)."""
    return Refusal(200, message)


def missing(field):
    return failed(assumed.simotel_missing_field_message(field))


class Service:
    """One API service: its handler (body -> Flask reply), the methods it takes, whether an
    empty body counts as ``{}``, and whether it changes state."""

    def __init__(self, handler, methods=("POST",), empty_body=False, writes=True):
        self.handler = handler
        self.methods = methods
        self.empty_body = empty_body
        self.writes = writes

    def allowed(self):
        """The methods taken now (``methods`` may be a function of the switches)."""
        return tuple(self.methods() if callable(self.methods) else self.methods)


class Context:
    """The database and the switches, as the service modules see them."""

    def __init__(self, database, conn, state):
        self.database = database
        self.conn = conn
        self.state = state

    def setting(self, name):
        return self.state.setting(name)

    def message(self, key):
        """A per-item wording: the ``pbx_messages`` override, else assumed.SIMOTEL_MESSAGES."""
        return self.setting("pbx_messages").get(key, assumed.SIMOTEL_MESSAGES[key])

    def transaction(self):
        return self.database.transaction(self.conn())


def text(raw, key, required=True):
    """The text of ``raw[key]`` (a string, or a number when assumed.SIMOTEL_ACCEPT_NUMBERS);
    a missing or empty required one fails with the documented missing-field message."""
    value = raw.get(key) if isinstance(raw, dict) else None
    kinds = (str, int) if assumed.SIMOTEL_ACCEPT_NUMBERS else (str,)
    if value is None or isinstance(value, bool) or not isinstance(value, kinds) \
            or str(value).strip() == "":
        if required:
            raise missing(key)
        return None
    return str(value).strip()
