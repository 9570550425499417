# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.telephony.callcenter.plugins.module_utils import http_client
from ansible_collections.telephony.callcenter.plugins.module_utils.http_client import ApiError
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel import SimotelClient
from ansible_collections.telephony.callcenter.plugins.module_utils.simotel_queues import (
    SimotelQueues,
    joinempty_word,
    same_joinempty,
    yes_no,
)
from ansible_collections.telephony.callcenter.tests.unit.plugins.module_utils.scripted_server import (
    Reply,
)


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    monkeypatch.setattr(http_client, "BACKOFF_FACTOR", 0.01)
    monkeypatch.setattr(http_client, "BACKOFF_JITTER", 0.0)


def queues_for(server):
    client = SimotelClient(dict(pbx_url=server.url, pbx_api_key="Key-Unit-4711", retries=0,
                                timeout=5))
    return SimotelQueues(client, module=None)


def test_yes_no_and_joinempty_by_meaning():
    assert (yes_no(True), yes_no("no"), yes_no(1)) == ("yes", "no", "yes")
    assert (joinempty_word(True), joinempty_word("Strict"), joinempty_word(False)) == \
        ("yes", "strict", "no")
    assert same_joinempty("STRICT", "strict") and same_joinempty(True, "yes")
    assert not same_joinempty("strict", "yes")
    with pytest.raises(ValueError) as caught:
        joinempty_word("sometimes")
    assert "joinempty must be one of yes, no, strict" in str(caught.value)


def test_read_all_is_one_search_of_every_queue(server):
    queue = {"_id": "603c8d9ffc909f2e766d40d3", "name": "NasimTelecom", "number": "9009"}
    server.script = [Reply(200, {"success": 1, "message": "", "data": [queue]})]
    found = queues_for(server).read_all()
    assert found == [dict(queue, id="603c8d9ffc909f2e766d40d3")]
    assert len(server.requests) == 1
    sent = server.requests[0]
    assert sent["path"] == "/api/v4/pbx/queues/search"
    assert sent["body"] == {"alike": "true", "conditions": {"name": "", "number": ""}}


@pytest.mark.parametrize("data, reason", [
    ({"not": "a list"}, "not a list of queues"),
    (["text"], "not a list of queues"),
    ([{"name": "no number", "_id": "1"}], "no number or _id"),
    ([{"number": "9009"}], "no number or _id"),
])
def test_a_search_reply_that_does_not_parse_is_an_error(server, data, reason):
    server.script = [Reply(200, {"success": 1, "message": "", "data": data})]
    with pytest.raises(ApiError) as caught:
        queues_for(server).read_all()
    assert reason in str(caught.value)


def test_search_refused_with_success_0_is_an_error(server):
    server.script = [Reply(200, {"success": 0, "message": "Requested operation failed",
                                 "data": None})]
    with pytest.raises(ApiError) as caught:
        queues_for(server).read_all()
    assert "Requested operation failed" in str(caught.value)
