"""The request and reply examples of the two vendor documents (the XSwitch API
document and the Simotel API document, see docs/api/xswitch.md and
docs/api/simotel.md) as data, and a helper that compares JSON shapes (keys and
JSON types).

Replies are copied from the documents verbatim (their "..." elisions dropped).
"""

import json

# ---------------------------------------------------------------------------
# XSwitch (the call-center API document, in Chinese)
# ---------------------------------------------------------------------------

CREATE_AGENT_BODY = json.loads(r'''
{
 "name": "小樱桃",
 "login": "1234",
 "extn": "X1234!@#$",
 "password": "$VeryGoodPassw0rd",
 "extn_password": "$VeryGoodPassw0rd",
 "context": "context-1",
 "domain": "xswitch.cn",
 "type": "AGENT"
}
''')

CREATE_AGENT_CURL_BODY = json.loads(r'''
{
 "name": "小樱桃",
 "login": "1234",
 "password": "$VeryGoodPassw0rd",
 "extn": "1234",
 "extn_password": "$VeryGoodPassw0rd",
 "context": "context-1",
 "domain": "192.168.1.100",
 "type": "AGENT"
}
''')

AGENT_DEFAULTS = json.loads(r'''
{
 "lag": "2",
 "simo": "1",
 "status": "On Break",
 "agent_type": "callback",
 "member_wait": "nowait",
 "wrap_up_time": "10",
 "max_no_answer": "3",
 "busy_delay_time": "60",
 "reject_delay_time": "10"
}
''')

CREATE_AGENT_REPLY = json.loads(r'''
{ "code": 200, "message": "success", "data": { "id": "32", "extn_id": "32" } }
''')

USER_READ_REPLY = json.loads(r'''
{
 "reject_delay_time": "10",
 "status": "On Break",
 "wrap_up_time": "10",
 "is_super": 0,
 "agent_type": "callback",
 "id": 37,
 "tel": "",
 "extn": "1006",
 "last_login_at": "",
 "login": "1006",
 "no_answer_delay_time": "30",
 "context": "context-1",
 "deleted_at": "",
 "name": "yxbtest",
 "ha1": "a18a5aaa9a668a1afc0dd6d7369fb06d",
 "max_no_answer": "3",
 "updated_at": "2022-10-25 20:23:07",
 "member_wait": "nowait",
 "email": "",
 "type": "AGENT",
 "simo": "1",
 "cid_name": "",
 "tel_enabled": 0,
 "busy_delay_time": "10",
 "auto_record": 0,
 "extn_id": 0,
 "lag": "2",
 "ha1b": "e06541327cc66ec5de190e4a7cbc42e3",
 "vm_password": "",
 "domain": "192.168.0.122",
 "cid_number": "",
 "created_at": "2022-10-25 20:23:07"
}
''')

USER_LIST_REPLY = json.loads(r'''
{
 "data": [
  {
   "login": "system",
   "context": "",
   "ha1": "",
   "email": "",
   "auto_record": 0,
   "cid_name": "",
   "extn": "",
   "type": "",
   "updated_at": "2022-05-13 15:08:38",
   "deleted_at": "",
   "extn_id": 0,
   "cid_number": "",
   "created_at": "2022-05-13 15:08:37",
   "vm_password": "",
   "last_login_at": "",
   "is_super": 0,
   "tel_enabled": 0,
   "domain": "demo.xswitch.cn",
   "id": 0,
   "ha1b": "",
   "name": "SYSTEM",
   "tel": ""
  },
  {
   "login": "admin",
   "context": "context-1",
   "ha1": "fd4500fcb6ccd4ee87d5debac892ac59",
   "email": "",
   "auto_record": 0,
   "cid_name": "",
   "extn": "admin",
   "type": "",
   "updated_at": "2022-05-13 16:36:31",
   "deleted_at": "",
   "extn_id": 0,
   "cid_number": "",
   "created_at": "2022-05-13 15:08:37",
   "vm_password": "",
   "last_login_at": "2022-05-13 16:36:31",
   "is_super": 1,
   "tel_enabled": 0,
   "domain": "demo.xswitch.cn",
   "id": 1,
   "ha1b": "747e17632f2443bfdbef0113eba4a266",
   "name": "Admin",
   "tel": ""
  }
 ],
 "page": 1,
 "rowCount": 2,
 "pageCount": 1
}
''')

USER_EXTENSIONS_REPLY = json.loads(r'''
[
 {
  "auto_record": 0,
  "group_name": "",
  "cid_name": "",
  "call_transfer_type": 0,
  "force_breakdown": 1,
  "updated_at": "2022-05-13 17:31:55",
  "user_id": 32,
  "timeout": "",
  "domain": "demo.xswitch.cn",
  "forced_insert": 1,
  "id": 32,
  "vm_password": "",
  "eavesdropped": 1,
  "ringback": "",
  "context": "default",
  "ha1b": "31dafaedb546e6b421ac0fecbf497ebb",
  "force_insert": 1,
  "sync_enabled": 0,
  "ha1": "8cf122325404fe1ce0f33b055aa7f926",
  "display_order": "0",
  "called_limit": 1,
  "call_authority": 4,
  "priority": "99",
  "deleted_at": "",
  "created_at": "2022-05-13 17:31:55",
  "weblogin_disabled": 0,
  "codec": "",
  "intercepted_group_name": "",
  "intercepted": 2,
  "name": "220000",
  "forced_breakdown": 1,
  "description": "",
  "connect_phone": "",
  "extn": "220000",
  "type": "SIP",
  "extn_cidr": "",
  "password": "$VeryGoodPassw0rd",
  "enable_ringback": 0,
  "disabled": 0,
  "call_limit": 1,
  "voicemail": 0,
  "intercept": 2,
  "eavesdrop": 1,
  "cid_number": ""
 }
]
''')

USER_QUEUE_NAMES_REPLY = json.loads(r'''
[ { "name": "queue1" }, { "name": "queue2" } ]
''')

UPDATE_USER_BODY = json.loads(r'''
{
 "auto_record": "0",
 "context": "default",
 "domain": "xswitch.cn",
 "hardware_phone_only": "false",
 "name": "zhangsan",
 "vm_password": "5555",
 "lag": "2",
 "simo": "1",
 "status": "On Break",
 "agent_type": "callback",
 "member_wait": "nowait",
 "wrap_up_time": "10",
 "max_no_answer": "30",
 "busy_delay_time": "60",
 "reject_delay_time": "10"
}
''')

UPDATE_USER_CURL_BODY = json.loads(r'''
{
 "auto_record": "0",
 "context": "default",
 "domain": "xswitch.cn",
 "hardware_phone_only": "false",
 "login": "20000",
 "name": "lisi",
 "vm_password": "5555",
 "lag": "2",
 "simo": "1",
 "status": "On Break",
 "agent_type": "callback",
 "member_wait": "nowait",
 "wrap_up_time": "10",
 "max_no_answer": "30",
 "busy_delay_time": "60",
 "reject_delay_time": "10"
}
''')

UPDATE_USER_REPLY = json.loads(r'''
{ "data": "3", "code": 200, "message": "success" }
''')

CHANGE_PASSWORD_BODY = json.loads(r'''
{ "old_password": "$VeryGoodPassw0rd", "password": "$VeryGoodPassw0rd-MoreComplex", "id": "183" }
''')

CHANGE_PASSWORD_CURL_BODY = json.loads(r'''
{"id":"183","old_password": "X1234!@#$","password":"$VeryGoodPassw0rd"}
''')

CHANGE_PASSWORD_REPLY = json.loads(r'''
{ "data": "{}", "code": 200, "message": "success" }
''')

DELETE_USER_REPLY = json.loads(r'''
{ "code": 200, "message": "success", "data": "3" }
''')

QUEUE_LIST_REPLY = json.loads(r'''
{
 "page": 1,
 "pageCount": 1,
 "data": [
  {
   "outbound_default_lag": "30",
   "description": "",
   "id": "1",
   "load_url": "",
   "deleted_at": "",
   "strategy": "ringall",
   "created_at": "2023-03-03 09:07:08",
   "outbound_per_cycle": "1",
   "load_url_params": "{}",
   "outbound_per_cycle_min": "1",
   "importance": "0",
   "outbound_ring_timeout": "60",
   "outbound_priority": "5",
   "cti_template": "fifo",
   "greeting": "",
   "auto_record": "0",
   "moh_sound": {
    "media_path": "phrase:welcome@xui",
    "media_type": "SYSTEM",
    "media_id": "204"
   },
   "updated_at": "2023-03-03 09:07:08",
   "name": "FIFO1"
  }
 ],
 "rowCount": 1
}
''')

QUEUE_READ_REPLY = json.loads(r'''
{
 "outbound_ring_timeout": "60",
 "load_url": "",
 "id": 1,
 "strategy": "ringall",
 "outbound_priority": "5",
 "outbound_per_cycle": "1",
 "outbound_default_lag": "30",
 "auto_record": 0,
 "created_at": "2023-03-03 09:07:08",
 "moh_sound": {
  "media_id": "204",
  "media_path": "phrase:welcome@xui",
  "media_type": "SYSTEM"
 },
 "deleted_at": "",
 "outbound_per_cycle_min": "1",
 "description": "",
 "load_url_params": "{}",
 "updated_at": "2023-03-03 09:07:08",
 "importance": "0",
 "cti_template": "fifo",
 "greeting": "",
 "name": "FIFO1"
}
''')

QUEUE_MEMBERS_REPLY = json.loads(r'''
{
 "rowCount": 1,
 "data": [
  {
   "created_at": "2023-03-03 09:07:19",
   "queue_name": "FIFO1",
   "level": "1",
   "position": "1",
   "external_queue_id": "",
   "extn": "1020",
   "external_agent_id": "",
   "disabled": "0",
   "name": "1020",
   "domain": "xswitch.cn",
   "deleted_at": "",
   "agent_name_md5": "65cc2c8205a05d7379fa3a6386f710e1",
   "updated_at": "2023-03-03 09:07:20",
   "description": "",
   "agent_name": "1020",
   "agent_id": "22",
   "queue_id": "1",
   "id": "1"
  }
 ],
 "page": 1,
 "pageCount": 1
}
''')

QUEUE_PARAMS_REPLY = json.loads(r'''
[
 {
  "v": "0",
  "k": "importance",
  "deleted_at": "",
  "ref_id": 1,
  "disabled": 0,
  "created_at": "2023-03-03 09:07:08",
  "id": 17,
  "updated_at": "2023-03-03 09:07:08",
  "realm": "FIFO"
 },
 {
  "v": "1",
  "k": "outbound_per_cycle_min",
  "deleted_at": "",
  "ref_id": 1,
  "disabled": 0,
  "created_at": "2023-03-03 09:07:08",
  "id": 18,
  "updated_at": "2023-03-03 09:07:08",
  "realm": "FIFO"
 }
]
''')

CREATE_QUEUE_BODY = json.loads(r'''
{
 "auto_record": "1",
 "description": "test",
 "moh_sound": 411,
 "name": "test2",
 "strategy": "agent-with-fewest-calls",
 "template": "default",
 "cti_template": "callcenter",
 "type": "callcenter"
}
''')

CREATE_QUEUE_REPLY = json.loads(r'''
{ "code": 200, "data": "2", "message": "success" }
''')

ADD_MEMBERS_BODY = json.loads(r'''
{ "agents": [ { "agent_id": "24", "agent_name": "1022" }, { "agent_id": "25", "agent_name": "1023" } ] }
''')

ADD_MEMBERS_REPLY = json.loads(r'''
{
 "data": [
  {
   "updated_at": "2022-05-16 09:00:00",
   "deleted_at": "",
   "queue_id": 2,
   "position": 1,
   "agent_id": 24,
   "disabled": 1,
   "external_queue_id": "",
   "domain": "",
   "extn": "1022",
   "level": 1,
   "external_agent_id": "",
   "queue_name": "ewrw",
   "description": "",
   "created_at": "2022-05-16 09:00:00",
   "id": 4,
   "agent_name": "1022"
  },
  {
   "updated_at": "2022-05-16 09:00:00",
   "deleted_at": "",
   "queue_id": 2,
   "position": 1,
   "agent_id": 25,
   "disabled": 1,
   "external_queue_id": "",
   "domain": "",
   "extn": "1023",
   "level": 1,
   "external_agent_id": "",
   "queue_name": "ewrw",
   "description": "",
   "created_at": "2022-05-16 09:00:00",
   "id": 5,
   "agent_name": "1023"
  }
 ],
 "message": "success",
 "code": 200
}
''')

DICT_CC_REPLY = json.loads(r'''
[
 {
  "d": "",
  "v": "announce-position",
  "o": "0",
  "k": "Announce Position",
  "id": "464",
  "deleted_at": "",
  "realm": "QUEUE_CC_PARAM",
  "created_at": "2022-05-13 15:08:36",
  "updated_at": "2022-05-13 15:08:36"
 }
]
''')

DICT_FIFO_REPLY = json.loads(r'''
[
 {
  "d": "",
  "v": "importance",
  "created_at": "2023-03-03 02:46:42",
  "k": "Importance",
  "o": "0",
  "realm": "QUEUE_FIFO_PARAM",
  "deleted_at": "",
  "id": "501",
  "updated_at": "2023-03-03 02:46:42"
 }
]
''')

ADD_PARAM_BODIES = [json.loads(text) for text in (
    r'''{ "realm": "CC", "k": "announce-sound", "v": "1" }''',
    r'''{ "realm": "CC", "k": "overflow-capacity-action", "v": "{\"action\":\"transfer\",\"data\":\"1009\"}" }''',
    r'''{ "realm": "FIFO", "k": "importance", "v": 0 }''',
)]

ADD_PARAM_REPLY = json.loads(r'''
{ "data": 114, "code": 200, "message": "success" }
''')

UPDATE_QUEUE_BODY = json.loads(r'''
{
 "auto_record": "1",
 "description": "test",
 "greeting": "{\"media_path\":\"phrase:welcome@xui\"}",
 "moh_sound": "{\"media_path\":\"phrase:welcome@xui\"}",
 "strategy": "longest-idle-agent"
}
''')

UPDATE_QUEUE_REPLY = json.loads(r'''
{ "code": 200, "message": "success", "data": "1" }
''')

UPDATE_PARAM_BODIES = [json.loads(text) for text in (
    r'''{ "v": "600", "k": "discard-abandoned-after" }''',
    r'''{ "v": "true", "k": "abandoned-resume-allowed" }''',
)]

UPDATE_PARAM_REPLY = json.loads(r'''
{ "message": "success", "data": "39", "code": 200 }
''')

TOGGLE_PARAM_BODY = json.loads(r'''
{ "action": "toggle" }
''')

TOGGLE_PARAM_REPLY = json.loads(r'''
{ "code": 200, "message": "success", "data": "28" }
''')

DELETE_QUEUE_REPLY = json.loads(r'''
{ "code": 200, "data": "2", "message": "success" }
''')

DELETE_PARAM_REPLY = json.loads(r'''
{ "code": 200, "message": "success", "data": "39" }
''')

# ---------------------------------------------------------------------------
# Simotel (the batch-remove-agent API document, in Persian)
# ---------------------------------------------------------------------------

SIMOTEL_PATH = "/API/v4/pbx/queues/batchremoveagent"

# The PHP and cURL examples send the same headers and body.
SIMOTEL_HEADERS = {
    "X-APIKEY": "SAMPLE_API_KEY",
    "Authorization": "Basic c2Fkcjo=",
    "Content-Type": "application/JSON",
}

# The JavaScript example sends another API key.
SIMOTEL_JS_HEADERS = {
    "X-APIKEY": "9UV0BWKRL83PYIH9Gv1fI85d41lO4S932EeX3wHC47sHjMJOMG",
    "Authorization": "Basic c2Fkcjo=",
    "Content-Type": "application/JSON",
}

# Byte for byte as the cURL example's --data-raw.
SIMOTEL_BODY = '''{
"agents": [
{"queue": "10000", "agent": "570"},
{"queue": "10000", "agent": "553"}
]
}'''

SIMOTEL_REPLY = json.loads(r'''
{
"success": 1,
"message": "",
"data": {
"Data": [
{
"agent": "570",
"message": "Removed successfully",
"ok": 1,
"queue": "10000"
},
{
"agent": "553",
"message": "Removed successfully",
"ok": 1,
"queue": "10000"
}
],
"ok": 1
}
}
''')


# ---------------------------------------------------------------------------
# Shape comparison
# ---------------------------------------------------------------------------

def json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def shape_errors(actual, expected, exact_keys=True, path="$"):
    """Differences of keys and JSON types between ``actual`` and the documented
    ``expected``.  With ``exact_keys`` False, ``actual`` may have more keys."""
    errors = []
    if json_type(actual) != json_type(expected):
        return ["%s: %s, the document has %s" % (path, json_type(actual), json_type(expected))]
    if isinstance(expected, dict):
        missing = sorted(set(expected) - set(actual))
        if missing:
            errors.append("%s: missing keys %s" % (path, missing))
        extra = sorted(set(actual) - set(expected))
        if exact_keys and extra:
            errors.append("%s: keys the document does not have %s" % (path, extra))
        for key in expected:
            if key in actual:
                errors.extend(shape_errors(actual[key], expected[key], exact_keys,
                                           "%s.%s" % (path, key)))
    elif isinstance(expected, list) and expected:
        for index, item in enumerate(actual):
            errors.extend(shape_errors(item, expected[0], exact_keys, "%s[%d]" % (path, index)))
    return errors


def assert_shape(actual, expected, exact_keys=True):
    errors = shape_errors(actual, expected, exact_keys)
    assert not errors, "reply differs from the documented shape:\n" + "\n".join(errors)
