# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Simotel (API v4) client: credentials, the ``{success, message, data}`` envelope, and
errors that say what to fix."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import env_fallback

from ansible_collections.telephony.callcenter.plugins.module_utils.compare import to_bool
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import (
    ApiError,
    HttpClient,
)

API_PREFIX = "/api/v4/"

PBX_CONNECTION_SPEC = dict(
    pbx_url=dict(type="str", required=True, fallback=(env_fallback, ["PBX_URL"])),
    pbx_api_key=dict(type="str", no_log=True, fallback=(env_fallback, ["PBX_API_KEY"])),
    pbx_username=dict(type="str", fallback=(env_fallback, ["PBX_USERNAME"])),
    pbx_password=dict(type="str", no_log=True, fallback=(env_fallback, ["PBX_PASSWORD"])),
    validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["PBX_VALIDATE_CERTS"])),
    ca_path=dict(type="path"),
    timeout=dict(type="int", default=30),
    retries=dict(type="int", default=3),
)
PBX_CONNECTION_RULES = dict(
    required_one_of=[("pbx_api_key", "pbx_username")],
)

# What each refusal means for the person running the playbook.
STATUS_ADVICE = {
    400: "the server could not read the request body as JSON",
    401: "credentials refused: check pbx_username/pbx_password and pbx_api_key "
         "(the API account may require Basic authentication, the API key, or both)",
    403: "permission denied: the API account may not use this service, "
         "or the server refuses requests from this address",
    404: "no such path: check pbx_url (the base address, without /api/v4)",
    405: "the service refused the HTTP method (Simotel expects POST)",
    415: "the service refused the content type (Simotel expects application/json)",
    501: "the server does not offer this service: check the Simotel version (API v4)",
}


def service_path(service):
    """``pbx/queues/batchremoveagent`` → ``/api/v4/pbx/queues/batchremoveagent``."""
    return API_PREFIX + service.strip("/").lower()


class SimotelClient:
    """One session against one Simotel server."""

    def __init__(self, params):
        headers = {"Content-Type": "application/json"}
        if params.get("pbx_api_key"):
            headers["X-APIKEY"] = params["pbx_api_key"]
        auth = None
        if params.get("pbx_username") is not None:
            auth = (params["pbx_username"], params.get("pbx_password") or "")
        base = params["pbx_url"].rstrip("/")
        if base.lower().endswith("/api/v4"):
            base = base[:-len("/api/v4")]
        self.http = HttpClient(
            base, timeout=params.get("timeout", 30),
            validate_certs=params.get("validate_certs", True), ca_path=params.get("ca_path"),
            retries=params.get("retries", 3), headers=headers, auth=auth,
            secrets=[params.get("pbx_api_key"), params.get("pbx_password")])

    def call(self, service, body, replay_safe=False):
        """POST one service call and return its ``data``.

        Every Simotel call is a POST; ``replay_safe`` says whether this one may be replayed
        after a timeout or a busy reply (removing a member twice changes nothing).
        """
        path = service_path(service)
        try:
            dummy, reply = self.http.request("POST", path, body=body, replay_safe=replay_safe)
        except ApiError as error:
            advice = STATUS_ADVICE.get(error.status)
            if advice:
                raise ApiError("POST", path, status=error.status,
                               api_message=error.api_message, reason=advice)
            raise
        if not isinstance(reply, dict) or "success" not in reply:
            raise ApiError("POST", path, reason="the reply is not Simotel's {success, message, data}")
        if not to_bool(reply.get("success")):
            raise ApiError("POST", path, api_message=reply.get("message") or "success: 0",
                           reason="the server did not carry out the request")
        return reply.get("data")
