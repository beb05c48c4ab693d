"""For migrations only: widen or narrow the outbox's ``kind`` CHECK in place.

A migration that adds outbox kinds calls :func:`add_outbox_kinds` in ``upgrade()`` and
:func:`drop_outbox_kinds` in ``downgrade()`` (0005, 0006 and 0007 do). Both run inside Alembic's
migration context (``alembic.op``), in the one transaction :mod:`modconsole.cache.db` opens.

Why in place: SQLite cannot alter a CHECK, and rebuilding the table (Alembic's batch mode: copy,
drop, rename) fails here: the migration runs inside one transaction with ``foreign_keys`` on, and
dropping ``outbox`` orphans ``outbox_attempt``. A CHECK does not change how rows are stored, so
SQLite documents editing the table's SQL in ``sqlite_master`` for this ("Making Other Kinds Of
Table Schema Changes"), then bumping the schema cookie so every connection re-reads it.

The kinds are changed relative to what the check lists now (not to a fixed list), so migrations
of other kinds merged before one keep theirs. Old migrations call this: change it only in ways
that keep what they produce.
"""

from __future__ import annotations

import re

from alembic import op

_CHECK = re.compile(r"kind IN \(([^)]*)\)")


def _kind_in(kinds: tuple[str, ...] | list[str]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _set_kinds(change: dict[str, bool]) -> None:
    """Add (True) or drop (False) kinds in the outbox's ``kind`` check."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"
    ).scalar()
    m = _CHECK.search(sql) if isinstance(sql, str) else None
    if m is None or not isinstance(sql, str):
        raise RuntimeError("unexpected schema of the outbox table; not changing it")
    kinds = [k.strip().strip("'") for k in m.group(1).split(",") if k.strip()]
    for kind, add in change.items():
        if add and kind not in kinds:
            kinds.append(kind)
        if not add and kind in kinds:
            kinds.remove(kind)
    new_sql = sql[: m.start()] + _kind_in(kinds) + sql[m.end() :]
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar() or 0)
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'outbox'", (new_sql,)
        )
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def add_outbox_kinds(*kinds: str) -> None:
    """Let the outbox hold these kinds too (appended to the check; one already listed stays put)."""
    _set_kinds(dict.fromkeys(kinds, True))


def drop_outbox_kinds(*kinds: str) -> None:
    """Delete the queued actions of these kinds and their attempts, then take the kinds out of the
    check (a downgrade: rows outside a narrowed check must go first)."""
    these = _kind_in(kinds)
    op.execute(f"DELETE FROM outbox_attempt WHERE outbox_id IN (SELECT id FROM outbox WHERE {these})")
    op.execute(f"DELETE FROM outbox WHERE {these}")
    _set_kinds(dict.fromkeys(kinds, False))
