"""The models and the migrated schema agree; the migration is the only way the schema is made."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from modconsole.cache.db import Cache, alembic_config, head_revision
from modconsole.cache.schema import FTS_TABLES, OUTBOX_KINDS, Base


def _not_fts(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    if type_ == "table" and name is not None:
        return not any(name == t or name.startswith(t + "_") for t in FTS_TABLES)
    return True


def test_models_and_migrated_schema_agree(tmp_path: Path) -> None:
    with Cache.open(tmp_path / "c.sqlite3") as cache, cache.read() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": _not_fts, "compare_type": True, "compare_server_default": True}
        )
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_parity_check_would_notice_a_difference(tmp_path: Path) -> None:
    """The parity test can fail: drop an index behind Alembic's back and it is reported."""
    with Cache.open(tmp_path / "c.sqlite3") as cache:
        with cache.write() as conn:
            conn.execute(text("DROP INDEX ix_topics_queue_unanswered"))
        with cache.read() as conn:
            ctx = MigrationContext.configure(conn, opts={"include_object": _not_fts})
            diff = compare_metadata(ctx, Base.metadata)
    assert any(d[0] == "add_index" and d[1].name == "ix_topics_queue_unanswered" for d in diff)


def test_single_head_and_fts_tables_created(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1 and head_revision() == script.get_current_head()
    with Cache.open(tmp_path / "c.sqlite3") as cache, cache.read() as conn:
        sql = {
            r[0]: r[1] for r in conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        }
    for name in FTS_TABLES:
        assert "fts5" in sql[name].lower()
    for kind in OUTBOX_KINDS:
        assert f"'{kind}'" in sql["outbox"]
