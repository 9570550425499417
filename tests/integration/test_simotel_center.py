"""The simotel_center role through real ansible-playbook runs against the simulator.

The simulator's Simotel starts with queues 10000 and 10001.
"""

import pytest

CENTER = [
    {"number": "9100", "name": "support", "strategy": "rrmemory", "ring_timeout": 20,
     "members": ["201", 202, {"agent": "203", "penalty": 2}]},
    {"number": "9101", "name": "sales", "members": ["204"]},
]


def role(**variables):
    return {"ansible.builtin.include_role": {"name": "telephony.callcenter.simotel_center"},
            "vars": variables}


def show_result():
    return {"ansible.builtin.debug": {"var": "simotel_center_result"}}


def writes(sim):
    return sim.stats("simotel")["writes"]


def numbers(sim):
    reply = sim.api("simotel", "POST", "pbx/queues/search",
                    json={"alike": "true", "conditions": {"name": "", "number": ""}})
    assert reply.status_code == 200, reply.text
    return sorted(queue["number"] for queue in reply.json()["data"])


def test_deploy_then_rerun_changes_nothing_and_the_fact_counts(sim, play):
    run = play([role(simotel_center_queues=CENTER, simotel_center_exclusive=True), show_result(),
                role(simotel_center_queues=CENTER, simotel_center_exclusive=True), show_result()])
    first, again = run[1]["simotel_center_result"], run[3]["simotel_center_result"]
    assert first == {"changed": True,
                     "queues": {"created": 2, "updated": 0, "deleted": 2, "unchanged": 0},
                     "members": {"added": 4, "removed": 0, "unchanged": 0, "failed": 0}}
    assert again == {"changed": False,
                     "queues": {"created": 0, "updated": 0, "deleted": 0, "unchanged": 2},
                     "members": {"added": 0, "removed": 0, "unchanged": 4, "failed": 0}}
    assert numbers(sim) == ["9100", "9101"]


def test_a_bad_member_stops_the_role_before_any_write(sim, play):
    queues = [dict(CENTER[0], members=["201", {"agent": "203", "penalty": -1}]),
              dict(CENTER[1], members="204")]
    before = writes(sim)
    # A failed task of an included role ends the play, so the run never collects results:
    # its output is what there is to look at.
    with pytest.raises(AssertionError) as stopped:
        play([role(simotel_center_queues=queues)])
    output = str(stopped.value)
    assert "Invalid input, nothing was changed: simotel_center_queues[0] (queue 9100) " \
        "members[1] (agent 203): penalty must be a whole number of 0 or more" in output
    assert "simotel_center_queues[1] (queue 9101): members must be a list" in output
    assert "Deploy the Simotel queues" not in output
    assert writes(sim) == before
    assert numbers(sim) == ["10000", "10001"]


def test_check_mode_writes_nothing(sim, play):
    before = writes(sim)
    run = play([role(simotel_center_queues=CENTER), show_result()], check=True)
    assert not run[0].get("failed"), run[0].get("msg")
    assert writes(sim) == before
    assert run[1]["simotel_center_result"]["queues"]["created"] == 2


def test_an_empty_list_deletes_nothing_even_exclusive(sim, play):
    before = writes(sim)
    run = play([role(simotel_center_queues=[], simotel_center_exclusive=True), show_result()])
    assert not run[0].get("failed"), run[0].get("msg")
    assert run[1]["simotel_center_result"]["changed"] is False
    assert writes(sim) == before and numbers(sim) == ["10000", "10001"]
