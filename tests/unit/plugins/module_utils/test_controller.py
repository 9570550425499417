# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.telephony.callcenter.plugins.module_utils.controller import ControllerWatch, parent_of


def test_parent_of_reads_proc():
    assert parent_of(os.getpid()) == os.getppid()
    assert parent_of(2 ** 22 + 12345) is None


def test_a_watch_says_gone_once_the_leader_has_another_parent():
    watch = ControllerWatch()
    watch.leader, watch.parent = os.getpid(), os.getppid()
    assert watch.watching and watch.gone() is False
    watch.parent = os.getppid() + 1
    assert watch.gone() is True
    watch.leader = 2 ** 22 + 12345  # the leader itself ended
    assert watch.gone() is True
