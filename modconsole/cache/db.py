"""Opening the cache file: pragmas, integrity check, migrations, transactions, error mapping.

One SQLite file per site and account (``Paths.site_cache_file``). ``Cache.open(path)``:

1. if the file exists, runs ``PRAGMA quick_check`` on a plain connection that writes nothing;
   a damaged file or a file that is not SQLite at all raises ``CacheCorrupt`` and is left
   exactly as it was (SYNC.md §6.10.9: never recreate, the outbox may be in it). The desktop
   app defers the check (seconds on a big cache) until its window shows: the first write waits
   for it (``Cache.ensure_integrity``);
2. builds a SQLAlchemy ``Engine`` whose every connection sets ``journal_mode=WAL``,
   ``synchronous=FULL``, ``foreign_keys=ON``, ``busy_timeout=5000`` (plus ``fullfsync`` on
   macOS) and reads them back (§6.10.1);
3. upgrades the schema to the newest Alembic revision inside one ``BEGIN IMMEDIATE``
   transaction (§6.10.8). A file written by a newer modconsole (unknown revision) is refused.

Transactions are explicit (SQLAlchemy's pysqlite recipe: the driver's implicit BEGIN is turned
off and the engine's ``begin`` event emits our own): ``Cache.write()`` is one short
``BEGIN IMMEDIATE`` transaction, ``Cache.read()`` a deferred one that only reads a consistent
snapshot. Threads: SQLAlchemy 2 pools file databases with ``QueuePool`` and
``check_same_thread=False``, so the writer thread and GUI-thread readers may share one ``Cache``;
each ``with`` block checks out its own connection. WAL lets readers run while the writer writes.

Every SQLite failure that a moderator can understand is raised as a typed error from
``modconsole.errors`` by :class:`sqlite_errors` (after qutebrowser ``raise_sqlite_error``):
disk full → ``DiskFull``, busy/locked → ``CacheLocked``, corrupt/not a database → ``CacheCorrupt``,
cannot open / read-only / I/O → ``CacheError``. Anything else (constraint violations, SQL
mistakes) is a bug and propagates unchanged.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from modconsole.errors import CacheCorrupt, CacheError, CacheLocked, DiskFull
from modconsole.paths import make_dir, read_only, storage_error

if TYPE_CHECKING:  # Alembic is imported only when a migration runs (~0.2 s of start-up otherwise)
    from alembic.config import Config

log = logging.getLogger("modconsole.cache")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
_BEGIN_OPTION = "modconsole_begin"

# Primary SQLite result codes (https://sqlite.org/rescode.html).
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 3, 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26


# ---------------------------------------------------------------- error mapping


def known_cache_error(exc: BaseException, path: Path | str | None = None) -> CacheError | None:
    """The typed error for a SQLite failure a moderator can act on, or None for a bug."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(orig, sqlite3.Error):
        return None
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    msg = str(orig).lower()
    where = f" ({path})" if path else ""
    detail = str(orig)
    if primary == SQLITE_FULL or "database or disk is full" in msg:
        return DiskFull(
            "The disk is full: the change was not saved. Free some space and try again.", detail=detail
        )
    if primary in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in msg or "table is locked" in msg:
        return CacheLocked(
            "The local cache is busy: another modconsole window or process is using it.", detail=detail
        )
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in msg or "not a database" in msg:
        return CacheCorrupt(
            f"The local cache file is damaged{where}. It was left untouched; restore it from a backup.",
            detail=detail,
        )
    if primary in (SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM, SQLITE_IOERR) or any(
        s in msg for s in ("unable to open", "readonly database", "disk i/o error")
    ):
        if path:  # name the cause when the file system tells it: full, read-only, no permission
            p = Path(path)
            named = storage_error(None, p, what=f"the local cache file ({p})")
            if type(named) is not CacheError:
                named.detail = detail
                return named
        return CacheError(f"The local cache file cannot be used{where}.", detail=detail, retryable=True)
    return None


class sqlite_errors(contextlib.ContextDecorator):
    """Map known SQLite failures to typed errors; let bugs through.

    Use as ``with sqlite_errors(): ...`` or as a decorator ``@sqlite_errors()``.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = path

    def __enter__(self) -> sqlite_errors:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None or not isinstance(exc, DBAPIError | sqlite3.Error):
            return
        known = known_cache_error(exc, self.path)
        if known is not None:
            raise known from exc


# ---------------------------------------------------------------- opening


def _damaged(path: Path, what: str) -> str:
    """The moderator's message for a cache file that cannot be trusted: where it is, that it was
    kept, and how its queued actions are recovered (SYNC.md §6.10.9)."""
    return (
        f"The local cache {path} {what}. It was left untouched: 'modconsole outbox' still lists the "
        "actions queued in it; move the file aside to start a fresh cache, then queue them again."
    )


@contextlib.contextmanager
def read_damaged(path: str | Path) -> Iterator[Connection]:
    """Read what can still be read of a cache that failed its check (to list its queued actions).

    The file is opened ``immutable`` and read-only: nothing is written, locked, migrated or
    recovered, so it stays exactly as it was. A read that hits a damaged page raises
    ``CacheCorrupt``."""
    path = Path(path)
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        ),
    )
    try:
        with sqlite_errors(path), engine.connect() as conn:
            raw = conn.connection.driver_connection
            if isinstance(raw, sqlite3.Connection):
                raw.text_factory = lambda b: b.decode("utf-8", errors="replace")
            yield conn
    finally:
        engine.dispose()


_SQLITE_HEADER = b"SQLite format 3\x00"


def _check_file(path: Path) -> None:
    """The checks of an existing file that cost nothing (run at every open, even when the
    integrity check is deferred): an empty (0-byte) file is refused — SQLite would take it for a
    new database, and the cache that was there (with its outbox) would silently be replaced by an
    empty one — and so is a file that is not SQLite at all."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            header = f.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise storage_error(exc, path, what=f"the local cache file ({path})") from None
    if size == 0:
        raise CacheCorrupt(
            f"The local cache {path} is empty (0 bytes), so whatever it held is lost. It was left "
            "untouched: restore it from a backup, or move it aside to start a fresh cache.",
            detail="0-byte file",
        )
    if header != _SQLITE_HEADER:
        raise CacheCorrupt(
            _damaged(path, "is not a usable modconsole cache (not a SQLite database, or damaged)"),
            detail="no SQLite header",
        )


def _quick_check(path: Path) -> None:
    """Integrity check of an existing file with a connection that writes nothing (after the
    cheap checks of :func:`_check_file`)."""
    _check_file(path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise known_cache_error(exc, path) or exc from exc
    # The check's own messages quote names read from the damaged file, which need not be UTF-8.
    conn.text_factory = lambda b: b.decode("utf-8", errors="replace")
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        known = known_cache_error(exc, path)
        if isinstance(known, CacheCorrupt) or "not a database" in str(exc).lower():
            raise CacheCorrupt(
                _damaged(path, "is not a usable modconsole cache (not a SQLite database, or damaged)"),
                detail=str(exc),
            ) from exc
        raise known or exc from exc
    finally:
        conn.close()
    if rows != ["ok"]:
        raise CacheCorrupt(
            _damaged(path, "failed its integrity check"),
            detail="; ".join(str(r) for r in rows[:5]),
        )


def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # pysqlite recipe: the driver must not open transactions on its own; the "begin" event does.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        if sys.platform == "darwin":
            cur.execute("PRAGMA fullfsync = ON")
            cur.execute("PRAGMA checkpoint_fullfsync = ON")
    finally:
        cur.close()


def _on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


EXPECTED_PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


def read_pragmas(conn: Connection) -> dict[str, object]:
    return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in EXPECTED_PRAGMAS}


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` built in code (no alembic.ini needed at run time)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


_REVISION_LINE = re.compile(r"""^(down_revision|revision)\b[^=]*=\s*(?:None|["']([^"']+)["'])""", re.M)


def head_revision() -> str | None:
    """The newest migration, read from the revision files without importing Alembic.

    Opening an up-to-date cache then costs no Alembic import; a test checks this agrees with
    Alembic's own ``ScriptDirectory.get_current_head()``.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for f in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((m.group(1), m.group(2)) for m in _REVISION_LINE.finditer(f.read_text(encoding="utf-8")))
        if found.get("revision"):
            revisions.add(found["revision"])
            if found.get("down_revision"):
                parents.add(found["down_revision"])
    heads = revisions - parents
    if len(heads) > 1:
        raise CacheError("modconsole's cache migrations are inconsistent.", detail=f"several heads: {heads}")
    return next(iter(heads), None)


class Cache:
    """One open cache file: an ``Engine``, a ``sessionmaker`` and transaction helpers."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        self._write_engine = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        self.write_sessions: sessionmaker[Session] = sessionmaker(self._write_engine, expire_on_commit=False)
        # The integrity check: done (True), failed (the error, raised again on every write), or
        # deferred (None: opened with integrity_check=False; the first write runs it).
        self._integrity: bool | CacheCorrupt | None = True
        self._integrity_lock = threading.Lock()

    # -------------------------------------------------------- lifecycle

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        integrity_check: bool = True,
        before_create: Callable[[], object] | None = None,
    ) -> Cache:
        """Open (creating and migrating if needed) the cache at ``path``.

        An existing file is integrity-checked first (``quick_check``) unless
        ``integrity_check=False``: then only the checks that cost nothing run now (an empty
        (0-byte) file or one that is not SQLite is refused as damaged, never reused) and the
        ``quick_check`` is deferred — to :meth:`ensure_integrity`, which every write runs first
        (so nothing is written into a damaged file), and which the desktop app runs as the first
        job of its cache writer once its window shows (the check takes seconds on a big cache).

        A new cache is built and migrated under a temporary name and only then linked into place
        (never over a file another process made meanwhile), so no half-made or empty file is
        ever left at ``path``. ``before_create`` runs first when there is no file yet — a command
        passes its first contact with the server, so an unreachable site or a refused key leaves
        nothing behind. Folders or files that cannot be written raise the named errors of
        :func:`modconsole.paths.storage_error` (disk full, read-only, no permission).
        """
        path = Path(path)
        if not path.exists():
            if before_create is not None:
                before_create()
            make_dir(path.parent)
            if read_only(path.parent) or not os.access(path.parent, os.W_OK):
                raise storage_error(None, path.parent, what=f"the folder {path.parent}")
            cls._create(path)
        elif integrity_check:
            _quick_check(path)
        else:
            _check_file(path)
            return cls._connect(path, integrity_checked=False)
        return cls._connect(path)

    @classmethod
    def _connect(cls, path: Path, *, integrity_checked: bool = True) -> Cache:
        engine = create_engine(f"sqlite+pysqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
        cache = cls(path, engine)
        if not integrity_checked:
            cache._integrity = None
        try:
            cache._check_pragmas()
            cache._migrate()
        except BaseException:
            engine.dispose()
            raise
        return cache

    @classmethod
    def _create(cls, path: Path) -> None:
        """Build a migrated cache next to ``path`` and link it into place (see :meth:`open`)."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
        side = [tmp.with_name(tmp.name + s) for s in ("-wal", "-shm", "-journal")]
        try:
            for f in (tmp, *side):
                f.unlink(missing_ok=True)
            cache = cls._connect(tmp)
            try:
                with sqlite_errors(tmp), cache.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                cache.close()
            for f in side:  # everything is in the main file now; no connection is open
                f.unlink(missing_ok=True)
            try:
                os.link(tmp, path)  # fails if another process created the cache first: keep theirs
            except FileExistsError:
                pass
            except OSError as exc:
                if path.exists():
                    pass
                elif exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, getattr(errno, "EOPNOTSUPP", -1)):
                    os.rename(tmp, path)  # no hard links on this file system
                else:
                    raise
        except OSError as exc:
            raise storage_error(exc, path.parent, what=f"the folder {path.parent}") from None
        finally:
            for f in (tmp, *side):
                with contextlib.suppress(OSError):
                    f.unlink(missing_ok=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_pragmas(self) -> None:
        with sqlite_errors(self.path), self.engine.connect() as conn:
            got = read_pragmas(conn)
        wrong = {k: v for k, v in got.items() if v != EXPECTED_PRAGMAS[k]}
        if wrong:
            raise CacheError(
                "The local cache cannot be opened safely on this system.",
                detail=f"pragmas not applied: {wrong} (expected {EXPECTED_PRAGMAS})",
            )

    def _current_revision(self) -> str | None:
        with sqlite_errors(self.path), self.engine.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
            ).first()
            if not exists:
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return None if row is None else str(row[0])

    def _migrate(self) -> None:
        if self._current_revision() == head_revision():
            return  # the common case: no Alembic import at all
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config())
        head = script.get_current_head()
        with self.write() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            if current == head:
                return
            if current is not None:
                try:
                    script.get_revision(current)
                except Exception as exc:  # alembic raises CommandError/ResolutionError subclasses
                    raise CacheError(
                        "This cache was written by a newer modconsole; update modconsole to open it.",
                        detail=f"unknown schema revision {current!r}",
                    ) from exc
            log.info("migrating cache %s from %s to %s", self.path, current, head)
            command.upgrade(alembic_config(conn), "head")

    # -------------------------------------------------------- transactions

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """One short write transaction (``BEGIN IMMEDIATE``), committed on success.

        Raises ``DiskFull``/``CacheLocked``/``CacheCorrupt`` for known failures; the transaction
        is then rolled back and nothing of it was saved. Never do network I/O inside.
        A deferred integrity check runs first (:meth:`ensure_integrity`).
        """
        self.ensure_integrity()
        with sqlite_errors(self.path), self._write_engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only snapshot (deferred ``BEGIN``), rolled back at the end."""
        with sqlite_errors(self.path), self.engine.connect() as conn:
            trans = conn.begin()
            try:
                yield conn
            finally:
                trans.rollback()

    @contextlib.contextmanager
    def write_session(self) -> Iterator[Session]:
        """An ORM session in one ``BEGIN IMMEDIATE`` transaction, committed on success."""
        self.ensure_integrity()
        with sqlite_errors(self.path), self.write_sessions.begin() as session:
            yield session

    # -------------------------------------------------------- maintenance

    def schema_revision(self) -> str | None:
        return self._current_revision()

    def verify_integrity(self) -> None:
        """``PRAGMA quick_check`` on a read-only connection; ``CacheCorrupt`` when it fails.

        :meth:`open` runs it unless told not to; the desktop app opens without it and runs
        :meth:`ensure_integrity` as the first job of its single cache writer.
        """
        _quick_check(self.path)

    @property
    def integrity_pending(self) -> bool:
        """Whether the integrity check was deferred at open and has not run yet."""
        return self._integrity is None

    def ensure_integrity(self) -> None:
        """Run the integrity check deferred at open, once (any thread; others wait for it).

        A failure is kept: this and every later write raise the same ``CacheCorrupt``, so
        nothing is ever written into a damaged file. Does nothing when the check was done at open.
        """
        if self._integrity is True:
            return
        with self._integrity_lock:
            if self._integrity is None:
                try:
                    _quick_check(self.path)
                except CacheCorrupt as exc:
                    self._integrity = exc
                else:
                    self._integrity = True
            state = self._integrity
        if isinstance(state, CacheCorrupt):
            raise CacheCorrupt(state.user_message, detail=state.detail)

    def pragmas(self) -> dict[str, object]:
        with self.read() as conn:
            return read_pragmas(conn)

    def backup_to(self, dest: str | Path) -> Path:
        """A consistent copy (WAL included) via ``VACUUM INTO``; ``dest`` must not exist."""
        dest = Path(dest)
        raw = self.engine.raw_connection()  # outside any transaction: VACUUM cannot run in one
        try:
            with sqlite_errors(self.path):
                driver = raw.driver_connection
                assert isinstance(driver, sqlite3.Connection)
                driver.execute("VACUUM INTO ?", (str(dest),))
        finally:
            raw.close()
        return dest


def open_cache(path: str | Path) -> Cache:
    return Cache.open(path)


def _main(argv: list[str]) -> int:  # pragma: no cover - developer tool
    """``python -m modconsole.cache.db revision "message"``: autogenerate a revision."""
    import tempfile

    if len(argv) != 2 or argv[0] != "revision":
        print('usage: python -m modconsole.cache.db revision "message"', file=sys.stderr)
        return 2
    with (
        tempfile.TemporaryDirectory() as tmp,
        Cache.open(Path(tmp) / "scratch.sqlite3") as cache,
        cache.write() as conn,
    ):
        from alembic import command

        command.revision(alembic_config(conn), message=argv[1], autogenerate=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main(sys.argv[1:]))


__all__: list[str] = [
    "EXPECTED_PRAGMAS",
    "Cache",
    "alembic_config",
    "head_revision",
    "known_cache_error",
    "open_cache",
    "read_damaged",
    "read_pragmas",
    "sqlite_errors",
]
