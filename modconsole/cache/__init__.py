"""The console's local cache: one SQLite file per site and account.

* :mod:`.db` opens it (pragmas, integrity check, Alembic migrations, transactions, error mapping);
* :mod:`.schema` declares its tables;
* :mod:`.repo` holds the bulk upserts, derived fields, FTS, cursors and small reads.

Every screen reads the cache, never the network; the sync engine writes it.
"""

from __future__ import annotations

from modconsole.cache.db import Cache, open_cache, sqlite_errors

__all__ = ["Cache", "open_cache", "sqlite_errors"]
