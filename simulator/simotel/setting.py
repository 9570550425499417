"""``setting/ping/act`` (simotel/wiki, i18n/en/docusaurus-plugin-content-docs/current/
developers/2-SimotelAPI/v4/3-ping.md): no parameters; the reply is success 1 with the
page's message and ``data: null``. It passes the address and credential checks as every
service does and changes nothing. Its examples send POST (PHP) and PUT (JavaScript, cURL,
the latter with an empty body)."""

from .. import assumed
from .common import Service, envelope


def services(ctx):
    def ping(body):
        return envelope(1, assumed.SIMOTEL_PING_MESSAGE, None)

    return {"setting/ping/act": Service(ping, methods=lambda: ctx.setting("pbx_ping_methods"),
                                        empty_body=True, writes=False)}
