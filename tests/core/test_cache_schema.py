"""The models and the migrated schema agree; the migration is the only way the schema is made."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, create_engine, event, text

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


# The outbox's kind check at each revision that changed it (0001 made it; 0005, 0006 and 0007 widen
# it in place through modconsole.cache.outbox_kind_check), in the order the check lists them; a
# revision holds the kinds of the nearest one at or below it. A migration adding kinds adds a line.
_KINDS_0001 = OUTBOX_KINDS[:11]
_KINDS_AT = {
    "0001": _KINDS_0001,
    "0005": (*_KINDS_0001, "review_perform", "review_claim", "review_unclaim"),
    "0006": (
        *_KINDS_0001,
        "review_perform",
        "review_claim",
        "review_unclaim",
        "assign_topic",
        "unassign_topic",
    ),
    "0007": OUTBOX_KINDS[:18],
}


def _kind_check(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _schema(conn: Connection) -> list[tuple[str, str, str | None]]:
    return [
        (r[0], r[1], r[2])
        for r in conn.execute(text("SELECT type, name, sql FROM sqlite_master ORDER BY type, name"))
    ]


def test_downgrade_step_by_step_restores_each_schema_and_keeps_the_other_kinds_rows(tmp_path: Path) -> None:
    """From head down to nothing, one revision at a time, on a cache with a queued action (and its
    attempt) of every kind: each step leaves exactly the schema the upgrade to that revision made,
    the kind check lists that revision's kinds in order, and only the rows of the kinds it took out
    are gone."""
    from alembic import command
    from alembic.script import ScriptDirectory

    assert OUTBOX_KINDS[:18] == (*_KINDS_AT["0006"], "add_user_note", "delete_user_note")
    order = [s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
    assert {"0001", "0004", "0005", "0006", "0007"} <= set(order)

    # The schema each revision makes, upgrading a fresh file one step at a time (foreign keys on, as
    # Cache.open migrates).
    made: dict[str, list[tuple[str, str, str | None]]] = {}
    eng = create_engine(f"sqlite:///{tmp_path / 'up.sqlite3'}")
    event.listen(eng, "connect", lambda dbapi, _rec: dbapi.execute("PRAGMA foreign_keys = ON"))
    try:
        for rev in reversed(order):
            with eng.begin() as conn:
                command.upgrade(alembic_config(conn), rev)
                made[rev] = _schema(conn)
    finally:
        eng.dispose()

    (outbox_0001,) = [sql for _, name, sql in made["0001"] if name == "outbox"]
    with Cache.open(tmp_path / "down.sqlite3") as cache:
        with cache.write() as conn:
            for i, kind in enumerate(OUTBOX_KINDS, 1):
                conn.execute(
                    text(
                        "INSERT INTO outbox(op_uuid, kind, target_key, payload_json, state, attempts, "
                        "created_by, created_at, updated_at) "
                        "VALUES (:u, :k, :t, '{}', 'pending', 1, 'me', 'x', 'x')"
                    ),
                    {"u": f"u{i}", "k": kind, "t": f"t:{i}"},
                )
                conn.execute(
                    text(
                        "INSERT INTO outbox_attempt(outbox_id, attempt_id, kind, started_at, request_line) "
                        "VALUES (:i, :a, 'send', 'x', 'POST /x')"
                    ),
                    {"i": i, "a": f"a{i}"},
                )
        for rev, below in zip(order, [*order[1:], None], strict=True):
            with cache.write() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == rev
                assert _schema(conn) == made[rev], f"schema at {rev} after downgrading to it"
                outbox = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'outbox'")).scalar()
                kinds = _KINDS_AT[next(r for r in order[order.index(rev) :] if r in _KINDS_AT)]
                assert _kind_check(kinds) in str(outbox), rev
                if order.index(rev) >= order.index("0007"):  # only the check differs from 0001's table
                    assert outbox == outbox_0001.replace(_kind_check(_KINDS_0001), _kind_check(kinds)), rev
                rows = conn.execute(text("SELECT op_uuid, kind FROM outbox ORDER BY id")).all()
                want = [(f"u{i}", k) for i, k in enumerate(OUTBOX_KINDS, 1) if k in kinds]
                assert [tuple(r) for r in rows] == want, rev
                attempts = conn.execute(
                    text("SELECT o.kind FROM outbox_attempt a JOIN outbox o ON o.id = a.outbox_id")
                )
                assert sorted(r[0] for r in attempts) == sorted(k for _, k in want), rev
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                command.downgrade(alembic_config(conn), below or "base")
        with cache.read() as conn:
            assert {n for _, n, _ in _schema(conn)} == {
                "alembic_version",
                "sqlite_autoindex_alembic_version_1",
            }
