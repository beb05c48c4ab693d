"""The sync engine as the rest of the console names it (the workspace, ``modconsole sync``, the UI's
sync task, the push policy's re-read).

Each platform's stages live behind the connector seam (``modconsole/connectors/<platform>/sync/``);
a workspace runs its site's (:meth:`~modconsole.connectors.base.Connector.sync_engine`). This module
keeps the platform-neutral names callers import: the run's options and report
(:mod:`modconsole.connectors.sync_run`), and :func:`SyncEngine`, the default platform's engine on a
client and a cache — what tests and headless tools open without a workspace.
"""

from __future__ import annotations

from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.connectors.base import SyncEntry
from modconsole.connectors.registry import default_connector
from modconsole.connectors.sync_run import ON_DEMAND_BADGES, SyncOptions, SyncReport
from modconsole.emails import FREE_MAIL_DOMAINS

__all__ = [
    "FREE_MAIL_DOMAINS",
    "ON_DEMAND_BADGES",
    "SyncEngine",
    "SyncOptions",
    "SyncReport",
]


def SyncEngine(client: ApiClient, cache: Cache, *, options: SyncOptions | None = None) -> SyncEntry:
    """The default platform's sync engine for ``cache`` (a workspace opens its site's own)."""
    return default_connector().sync_engine(client, cache, options=options)
