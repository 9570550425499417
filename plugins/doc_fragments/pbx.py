# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """How every pbx_* module reaches a Simotel server (the action group pbx)."""

    DOCUMENTATION = r"""
options:
  pbx_url:
    description:
      - Base URL of the Simotel server, for example C(https://simotel.example.com). The module
        adds C(/api/v4/...) itself; a URL that already ends in C(/api/v4) is accepted too.
      - If not set, the value of the E(PBX_URL) environment variable is used.
    type: str
    required: true
  pbx_api_key:
    description:
      - The API account's key, sent as the C(X-APIKEY) header.
      - If not set, the value of the E(PBX_API_KEY) environment variable is used.
      - Give the key, O(pbx_username) and O(pbx_password), or both, as the API account requires.
    type: str
  pbx_username:
    description:
      - The API account's user name for HTTP Basic authentication.
      - If not set, the value of the E(PBX_USERNAME) environment variable is used.
    type: str
  pbx_password:
    description:
      - The API account's password for HTTP Basic authentication (may be empty).
      - If not set, the value of the E(PBX_PASSWORD) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - An explicit V(false) is never overridden by E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE).
      - If not set, the value of the E(PBX_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of CA certificates to verify the server with. Without it, a bundle named by
        E(REQUESTS_CA_BUNDLE) or E(SSL_CERT_FILE) is used, else the bundle that requests ships.
    type: path
  timeout:
    description:
      - Seconds to wait for a connection and for each reply, from 1 to 3600.
    type: int
    default: 30
  retries:
    description:
      - How many times a request is retried after a connection error or HTTP 429 (too many
        requests, which were not processed), and, for requests that are safe to replay, after
        a timeout or a busy reply (HTTP 502, 503, 504), with exponential backoff and jitter,
        honouring C(Retry-After).
      - Must be 0 or more.
    type: int
    default: 3
  max_concurrent_writes:
    description:
      - How many writes that do not depend on each other are in flight at once, from 1 to 10
        (for example the creates of a list's new agents). 1 sends them strictly one after
        another.
      - Everything is still planned and checked before the first write, and a kind of write
        (creates, updates, deletes) finishes before the next begins. When a write fails, no new
        one starts, those in flight finish, and the failure names every write that was applied.
      - The default of 4 stays below the handful of requests the server's own web console sends
        at once; lower it for a small or busy server.
    type: int
    default: 4
requirements:
  - requests
notes:
  - "Set the connection once for a play with
    C(module_defaults: {group/telephony.callcenter.pbx: {...}})."
"""
