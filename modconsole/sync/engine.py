"""The sync engine the rest of the console uses (the workspace, ``modconsole sync``, the UI's sync
task, the push policy's re-read).

Today it is Discourse's: the stages live behind the connector seam in
:mod:`modconsole.connectors.discourse.sync` (one small unit per concern); this module keeps the
names every caller imports.
"""

from __future__ import annotations

from modconsole.connectors.discourse.sync.engine import SyncEngine
from modconsole.connectors.discourse.sync.run import (
    ON_DEMAND_BADGES,
    STAGES,
    SYNC_SCHEMA_VERSION,
    SyncOptions,
    SyncReport,
    holders_on_demand,
)
from modconsole.emails import FREE_MAIL_DOMAINS

__all__ = [
    "FREE_MAIL_DOMAINS",
    "ON_DEMAND_BADGES",
    "STAGES",
    "SYNC_SCHEMA_VERSION",
    "SyncEngine",
    "SyncOptions",
    "SyncReport",
    "holders_on_demand",
]
