# -*- coding: utf-8 -*-
# Copyright: (c) 2026, telephony.callcenter contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import tempfile

import pytest

from ansible_collections.telephony.callcenter.tests.unit.plugins.module_utils.scripted_server import (
    ScriptedServer,
    self_signed,
)


@pytest.fixture
def server():
    scripted = ScriptedServer()
    yield scripted
    scripted.stop()


@pytest.fixture
def tls_server():
    directory = tempfile.mkdtemp()
    files = self_signed(directory)
    scripted = ScriptedServer(tls_files=files)
    scripted.cert_file = files[0]
    yield scripted
    scripted.stop()


@pytest.fixture
def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
