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
      - Seconds each attempt of a request may take, from 1 to 3600, counted from the start of
        its connection to the last byte of its reply. A server that sends its headers and then
        trickles the body, or stops in the middle, fails the attempt at that deadline; a slow
        reply that ends in time is read whole.
      - The longest one request can take is (O(retries) + 1) times O(timeout), plus the
        backoff before the retries - none before the first, then 1 s, 2 s, 4 s and so on,
        each with up to 0.3 s of jitter - or, where it is longer, the C(Retry-After) of a
        HTTP 429 or 503 reply (at most 120 s each). With the defaults that is
        4 x 30 + 0 + 1.3 + 2.3 = 123.6 s. A task stops at the first request that fails, so a
        server that stops answering holds a task no longer than that.
      - A request that got no whole reply within the deadline fails naming the method, the
        path, the server and the bound; a write says it may have been applied, and is
        sent again only if it is safe to replay (see O(retries)).
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
      - How many requests the task has in flight at once, from 1 to 10, over as many
        keep-alive connections - writes that do not depend on each other (for example the creates
        of a list's new agents) and reads (the pages of a list, the lists of several queues).
        1 sends everything strictly one after another.
      - Everything is still planned and checked before the first write, and a kind of write
        (creates, updates, deletes) finishes before the next begins. When a write fails, no new
        one starts, those in flight finish, and the failure names every write that was applied.
      - The default of 4 stays below the handful of requests the server's own web console sends
        at once; lower it for a small or busy server.
    type: int
    default: 4
  max_reply_size:
    description:
      - The largest reply read from the server, in MiB (1,048,576 bytes). A larger reply fails
        the task naming this bound, before it fills memory, and is not requested again; a
        write whose reply was refused this way may have been applied.
      - The default fits a list of 10,000 agents in one reply (about 7 MiB) nine times over.
      - Must be 1 or more.
    type: int
    default: 64
requirements:
  - requests
notes:
  - "Set the connection once for a play with
    C(module_defaults: {group/telephony.callcenter.pbx: {...}})."
"""
