"""Opening the cache: pragmas, migrations, integrity checks, error mapping, threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from modconsole.cache import repo
from modconsole.cache.db import Cache, head_revision, known_cache_error, sqlite_errors
from modconsole.errors import CacheCorrupt, CacheError, CacheLocked, DiskFull
from modconsole.paths import Paths
from tests.helpers.waits import WAIT_S


@pytest.fixture
def cache_path() -> Path:
    return Paths.default().site_cache_file("https://forum.example.com", "mod_anna")


@pytest.fixture
def cache(cache_path: Path) -> Cache:
    c = Cache.open(cache_path)
    yield c  # type: ignore[misc]
    c.close()


_OUTBOX_COLS = "op_uuid, kind, target_key, payload_json, state, created_by, created_at, updated_at"


def _topic(i: int, **kw: object) -> dict[str, object]:
    return {"id": i, "title": f"Topic {i}", "created_at": f"2026-01-{i % 28 + 1:02d}T10:00:00.000Z", **kw}


def test_fresh_file_is_migrated_with_pragmas_read_back(cache: Cache, cache_path: Path) -> None:
    assert cache_path.exists()
    assert cache.schema_revision() == head_revision() is not None
    p = cache.pragmas()
    assert p == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000}
    with cache.read() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert {"topics", "posts", "outbox", "outbox_attempt", "sync_cursors", "posts_fts", "topics_fts"} <= names
    # Every pooled connection gets the pragmas, not only the first one.
    with cache.engine.connect() as a, cache.engine.connect() as b:
        for conn in (a, b):
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_reopen_is_a_no_op(cache_path: Path) -> None:
    with Cache.open(cache_path) as c, c.write() as conn:
        repo.upsert_topics(conn, [_topic(1)])
    with sqlite3.connect(cache_path) as raw:
        before = raw.execute("PRAGMA schema_version").fetchone()[0]
        data_before = raw.execute("SELECT count(*) FROM topics").fetchone()[0]
    with Cache.open(cache_path) as c:
        assert c.schema_revision() == head_revision()
    with sqlite3.connect(cache_path) as raw:
        assert raw.execute("PRAGMA schema_version").fetchone()[0] == before
        assert raw.execute("SELECT count(*) FROM topics").fetchone()[0] == data_before == 1


def test_write_is_begin_immediate_and_rolls_back_on_error(cache: Cache) -> None:
    with pytest.raises(RuntimeError), cache.write() as conn:
        repo.upsert_topics(conn, [_topic(1)])
        # A write transaction holds the RESERVED lock from its first statement: another writer is refused.
        other = sqlite3.connect(cache.path, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
        raise RuntimeError("boom")
    with cache.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM topics")).scalar() == 0


def test_read_sees_a_snapshot_and_does_not_block_writes(cache: Cache) -> None:
    with cache.write() as conn:
        repo.upsert_topics(conn, [_topic(1)])
    with cache.read() as r:
        assert r.execute(text("SELECT count(*) FROM topics")).scalar() == 1
        with cache.write() as w:  # WAL: a writer commits while the reader holds its snapshot
            repo.upsert_topics(w, [_topic(2)])
        assert r.execute(text("SELECT count(*) FROM topics")).scalar() == 1
    with cache.read() as r:
        assert r.execute(text("SELECT count(*) FROM topics")).scalar() == 2


def _make_corrupt(path: Path) -> None:
    with Cache.open(path) as c, c.write() as conn:
        repo.upsert_posts(
            conn,
            [
                {"id": i, "topic_id": i // 10, "post_number": i % 10 + 1, "cooked": "<p>x</p>" * 50}
                for i in range(400)
            ],
        )
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    pages = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.close()
    assert pages > 20
    with path.open("r+b") as f:
        for page in range(pages - 12, pages - 2):
            f.seek(page * page_size)
            f.write(b"\x0d\xff\xff\x00garbage" * (page_size // 12))


def test_corrupt_file_is_refused_and_left_untouched(cache_path: Path) -> None:
    _make_corrupt(cache_path)
    before = cache_path.read_bytes()
    with pytest.raises(CacheCorrupt) as err:
        Cache.open(cache_path)
    assert "untouched" in err.value.user_message
    assert cache_path.read_bytes() == before


def test_non_sqlite_file_is_refused_and_left_untouched(cache_path: Path) -> None:
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(b"this is my shopping list, not a database\n" * 200)
    before = cache_path.read_bytes()
    with pytest.raises(CacheCorrupt) as err:
        Cache.open(cache_path)
    assert "not a SQLite database" in err.value.user_message
    assert cache_path.read_bytes() == before


def test_file_from_a_newer_modconsole_is_refused(cache_path: Path) -> None:
    Cache.open(cache_path).close()
    with sqlite3.connect(cache_path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = 'zzzz_from_the_future'")
    with pytest.raises(CacheError, match="newer modconsole"):
        Cache.open(cache_path)
    with sqlite3.connect(cache_path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "zzzz_from_the_future"


def test_disk_full_rolls_back_and_keeps_earlier_data(cache: Cache) -> None:
    with cache.write() as conn:
        repo.upsert_topics(conn, [_topic(i) for i in range(1, 6)])
        conn.execute(text("INSERT INTO outbox (op_uuid, kind, target_key, payload_json, state, created_by, "
                          "created_at, updated_at) VALUES ('u1', 'grant_badge', 'badge:1/user:2', '{}', "
                          "'pending', 'mod_anna', 't', 't')"))  # fmt: skip
    big = [
        {"id": i, "topic_id": 1, "post_number": i, "cooked": "<p>" + "word " * 400 + "</p>"}
        for i in range(2000)
    ]
    with pytest.raises(DiskFull) as err, cache.write() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count = {int(pages or 0) + 5}")
        repo.upsert_posts(conn, big)
    assert err.value.retryable
    cache.engine.dispose()  # drop the connection that carries the page limit
    with cache.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM topics")).scalar() == 5
        assert conn.execute(text("SELECT count(*) FROM posts")).scalar() == 0
        assert conn.execute(text("SELECT state FROM outbox WHERE op_uuid = 'u1'")).scalar() == "pending"
    with cache.write() as conn:  # and the cache works again
        assert repo.upsert_topics(conn, [_topic(6)]) == {6}


def test_error_mapping_known_errors_versus_bugs(cache: Cache) -> None:
    full = sqlite3.OperationalError("database or disk is full")
    assert isinstance(known_cache_error(full), DiskFull)
    assert isinstance(known_cache_error(sqlite3.OperationalError("database is locked")), CacheLocked)
    assert isinstance(
        known_cache_error(sqlite3.DatabaseError("database disk image is malformed")), CacheCorrupt
    )
    assert known_cache_error(sqlite3.IntegrityError("UNIQUE constraint failed: outbox.op_uuid")) is None
    assert known_cache_error(ValueError("x")) is None

    @sqlite_errors()
    def locked() -> None:
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(CacheLocked) as err:
        locked()
    assert isinstance(err.value.__cause__, sqlite3.OperationalError)

    # A bug (constraint violation) is not disguised as a known error.
    values = "('u1', 'grant_badge', 'k', '{}', 'pending', 'm', 't', 't')"
    insert = f"INSERT INTO outbox ({_OUTBOX_COLS}) VALUES {values}"
    with pytest.raises(IntegrityError), cache.write() as conn:
        conn.exec_driver_sql(insert)
        conn.exec_driver_sql(insert)


def test_locked_by_another_writer_is_cache_locked(cache: Cache) -> None:
    # Shorten the pooled connection's busy timeout so the test does not wait 5 s.
    with cache.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(cache.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(CacheLocked) as err, cache.write() as conn:
            repo.upsert_topics(conn, [_topic(1)])
        assert err.value.retryable
    finally:
        other.rollback()
        other.close()
    cache.engine.dispose()


def test_outbox_kind_check_accepts_the_extended_set(cache: Cache) -> None:
    sql = f"INSERT INTO outbox ({_OUTBOX_COLS}) VALUES (:u, :k, 't', '{{}}', 'pending', 'm', 't', 't')"
    with cache.write() as conn:
        for i, kind in enumerate(
            ["revoke_badge", "create_topic", "like_post", "close_topic", "set_trust_level"]
        ):
            conn.execute(text(sql), {"u": f"u{i}", "k": kind})
    with pytest.raises(IntegrityError), cache.write() as conn:
        conn.execute(text(sql), {"u": "bad", "k": "delete_everything"})
    with cache.read() as conn:
        assert repo.outbox_counts(conn)["pending"] == 5


def test_writer_thread_and_reader_thread_share_one_cache(cache: Cache) -> None:
    errors: list[BaseException] = []
    seen: list[int] = []

    def writer() -> None:
        try:
            for i in range(1, 51):
                with cache.write() as conn:
                    repo.upsert_topics(conn, [_topic(i)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    while t.is_alive():
        with cache.read() as conn:
            seen.append(int(conn.execute(text("SELECT count(*) FROM topics")).scalar_one()))
    t.join()
    assert errors == []
    assert seen == sorted(seen)  # committed data only ever grows
    with cache.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM topics")).scalar() == 50


def test_backup_is_a_consistent_openable_copy(cache: Cache, tmp_path: Path) -> None:
    with cache.write() as conn:
        repo.upsert_topics(conn, [_topic(1), _topic(2)])
    dest = cache.backup_to(tmp_path / "backup.sqlite3")
    with Cache.open(dest) as copy, copy.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM topics")).scalar() == 2


def test_opening_an_up_to_date_cache_does_not_import_alembic(tmp_path: Path) -> None:
    """Alembic costs ~0.2 s of start-up; it is needed only when a migration must run."""
    import subprocess
    import sys

    path = tmp_path / "c.sqlite3"
    Cache.open(path).close()  # created and migrated (Alembic loaded here, in this process)
    code = (
        "import sys\n"
        "from modconsole.cache.db import Cache\n"
        f"c = Cache.open({str(path)!r}); rev = c.schema_revision(); c.close()\n"
        "print(rev, 'alembic' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=WAIT_S
    )
    rev, loaded = out.stdout.split()
    assert rev == head_revision()
    assert loaded == "False"


def test_deferred_integrity_check_still_refuses_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    Cache.open(path).close()
    cache = Cache.open(path, integrity_check=False)
    try:
        cache.verify_integrity()  # a healthy file passes
    finally:
        cache.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 3] = b"\xff" * page  # trash a b-tree page
    path.write_bytes(bytes(data))
    with pytest.raises(CacheCorrupt):
        Cache.open(path)


def _trash_table_root(path: Path, table: str) -> None:
    """Overwrite the root page of ``table``: the file still opens, ``quick_check`` fails."""
    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    con.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)


def test_a_deferred_check_runs_before_the_first_write_and_keeps_a_damaged_file_unwritten(
    tmp_path: Path,
) -> None:
    """The desktop app opens without the check (its window shows first): the first write runs
    it, a damaged file is refused on that write and on every later one, and is left as it was."""
    path = tmp_path / "c.sqlite3"
    Cache.open(path).close()
    _trash_table_root(path, "posts")
    before = path.read_bytes()
    cache = Cache.open(path, integrity_check=False)  # opens: the check is deferred
    try:
        assert cache.integrity_pending
        with cache.read() as conn:  # reads of what is intact still work meanwhile
            assert conn.execute(text("SELECT count(*) FROM topics")).scalar_one() == 0
        for _ in range(2):
            with pytest.raises(CacheCorrupt) as caught, cache.write() as conn:
                conn.execute(text("INSERT INTO categories (id, name) VALUES (1, 'Q&A')"))
            assert "left untouched" in caught.value.user_message
            assert str(path) in caught.value.user_message
        with pytest.raises(CacheCorrupt):
            cache.ensure_integrity()
        assert not cache.integrity_pending
    finally:
        cache.close()
    assert path.read_bytes() == before


def test_a_deferred_check_passes_a_healthy_file_once(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    Cache.open(path).close()
    cache = Cache.open(path, integrity_check=False)
    try:
        assert cache.integrity_pending
        cache.ensure_integrity()
        assert not cache.integrity_pending
        with cache.write() as conn:
            conn.execute(text("INSERT INTO categories (id, name) VALUES (1, 'Q&A')"))
        with cache.read() as conn:
            assert conn.execute(text("SELECT name FROM categories")).scalar_one() == "Q&A"
    finally:
        cache.close()
    with Cache.open(path) as checked:
        assert not checked.integrity_pending  # checked at open: nothing deferred


@pytest.mark.parametrize("content", [b"", b"this is not a database, just text\n" * 20])
def test_a_deferred_check_still_refuses_an_empty_or_foreign_file_at_open(
    tmp_path: Path, content: bytes
) -> None:
    """Only the seconds-long scan is deferred: an empty file or one that is not SQLite is refused
    at once, never taken for a new cache."""
    path = tmp_path / "c.sqlite3"
    path.write_bytes(content)
    with pytest.raises(CacheCorrupt):
        Cache.open(path, integrity_check=False)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.sqlite3"]
