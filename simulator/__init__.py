"""Simulator of the two proprietary call-center APIs the collection drives.

``python -m simulator`` serves the XSwitch call-center REST API and the
Simotel API v4 queue-agent services on loopback, with state in SQLite, so
that playbooks can be dry-run and tests can run without the real servers.
``simulator.testing.Simulator`` starts and controls it from Python tests.

Behaviour that no document confirms is kept in :mod:`simulator.assumed`.
"""

__version__ = "1.0.0"
