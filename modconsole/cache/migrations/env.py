"""Alembic environment for the cache, run programmatically by ``modconsole.cache.db``.

There is no alembic.ini at run time: ``db.py`` builds the ``Config`` in code and hands over an
open connection that is already inside a ``BEGIN IMMEDIATE`` transaction, so every revision
of one upgrade commits or rolls back together (SQLite DDL is transactional).
Developers can generate a new revision against a scratch file with
``.venv/bin/python -m modconsole.cache.db revision "message"``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from modconsole.cache.schema import FTS_TABLES, Base

config = context.config


def _include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # FTS5 virtual tables and their shadow tables are created with op.execute, not from models.
    if type_ == "table" and name is not None:
        return not any(name == t or name.startswith(t + "_") for t in FTS_TABLES)
    return True


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("the cache migrations run only through modconsole.cache.db (no connection given)")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=_include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) mode is not supported for the cache")
run_migrations_online()
