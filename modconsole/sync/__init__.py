"""Pull sync: fills the cache from a community with as few requests as possible (Qt-free).

Typical use::

    from modconsole.sync import SyncEngine, SyncOptions
    engine = SyncEngine(client, cache, options=SyncOptions())
    report = engine.run_once(CancelToken(), print)

``SyncEngine`` is the default platform's engine; each platform's stages, cursors and what each kind
of change costs are in its connector (``modconsole/connectors/<platform>/sync/``).
"""

from __future__ import annotations

from modconsole.sync.engine import FREE_MAIL_DOMAINS, SyncEngine, SyncOptions, SyncReport

__all__ = ["FREE_MAIL_DOMAINS", "SyncEngine", "SyncOptions", "SyncReport"]
