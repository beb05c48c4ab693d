"""The communities this data dir knows: one record per (site, username), and a remembered default.

A record holds what a headless command needs besides the key: the site's address, the username,
the *kind* of key the server accepted (``admin``: ``Api-Key`` + ``Api-Username``; ``user``: a
User API key) and when that was learned, and whether plain http was explicitly allowed. The key
itself is never here: it lives in the OS keyring (or ``MODCONSOLE_API_KEY``).

Records are written when the server has answered: at a desktop sign-in and at a command's first
contact with a site (``modconsole.commands.target``). With exactly one record, or a default chosen with
``modconsole sites use``, commands need no ``--site``/``--username``.

Stored in ``<data>/sites.sqlite3`` (stdlib sqlite3: each change is one atomic transaction, and
two commands writing at once wait for each other instead of losing a record). A data dir from
before this file existed is read from its caches' ``site`` rows until the first record is written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from modconsole import clock
from modconsole.errors import InvalidInput
from modconsole.paths import Paths, site_slug

KeyKind = Literal["admin", "user"]
KEY_KINDS: tuple[KeyKind, ...] = ("admin", "user")

FILE_NAME = "sites.sqlite3"
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS known_sites (
    url TEXT NOT NULL,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL,
    key_kind TEXT CHECK (key_kind IN ('admin', 'user')),
    learned_at TEXT,
    allow_insecure_http INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    PRIMARY KEY (url, username_key)
);
CREATE TABLE IF NOT EXISTS default_site (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    url TEXT NOT NULL,
    username_key TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class KnownSite:
    url: str  # normalised (modconsole.api.client.normalize_base_url)
    username: str
    key_kind: KeyKind | None  # None: not learned yet
    learned_at: str | None  # ISO-8601 UTC, when the server accepted that kind
    allow_insecure_http: bool = False
    added_at: str = ""

    @property
    def label(self) -> str:
        return f"{self.url} as {self.username}"

    def same(self, url: str, username: str) -> bool:
        return self.url == url and self.username.lower() == username.lower()


class SiteChoiceNeeded(InvalidInput):
    """A command was not told which site, and the data dir does not make it clear."""


def _now() -> str:
    return clock.now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _kind(value: object) -> KeyKind | None:
    if value == "admin":
        return "admin"
    if value in ("user", "user_api"):
        return "user"
    return None


class KnownSites:
    """The records of one data dir. Cheap to create; every call opens the file briefly."""

    def __init__(self, paths: Paths) -> None:
        self.path: Path = paths.data / FILE_NAME
        self._sites_dir = paths.data / "sites"

    # ------------------------------------------------------------ storage

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One atomic change (``BEGIN IMMEDIATE``: a second writer waits up to 30 s)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except (OSError, sqlite3.OperationalError) as exc:
            raise self._unwritable(exc) from None
        with closing(con):
            try:
                con.execute("BEGIN IMMEDIATE")
                fresh = self._ensure_schema(con)
            except sqlite3.OperationalError as exc:
                raise self._unwritable(exc) from None
            except sqlite3.DatabaseError as exc:
                raise self._unreadable(exc) from None
            try:
                if fresh:  # first record: keep the sites an older data dir already synced
                    for s in self._discovered():
                        self._upsert(con, s)
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            try:
                con.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                raise self._unwritable(exc) from None

    def _unwritable(self, exc: OSError | sqlite3.OperationalError) -> Exception:
        """The data dir cannot take the list (read-only, no permission, full disk): the storage
        message every command gives for it. A busy list ("database is locked") stays as it is."""
        from modconsole.paths import storage_error

        if isinstance(exc, OSError):
            return storage_error(exc, self.path.parent)
        if "locked" in str(exc) or "busy" in str(exc):
            return exc
        return storage_error(None, self.path.parent)

    def _unreadable(self, exc: Exception) -> InvalidInput:
        return InvalidInput(
            f"The list of known sites ({self.path}) cannot be read ({exc}). Move it away; the next "
            "sync or sign-in writes a new one (caches and keys are not in it)."
        )

    def _ensure_schema(self, con: sqlite3.Connection) -> bool:
        """Create the tables inside the open transaction; True when the file was new."""
        version = int(con.execute("PRAGMA user_version").fetchone()[0])
        if version > _SCHEMA_VERSION:
            raise InvalidInput(
                f"{self.path} was written by a newer modconsole; update modconsole to use this data dir."
            )
        for statement in _SCHEMA.split(";"):  # not executescript: it would COMMIT the transaction
            if statement.strip():
                con.execute(statement)
        con.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        return version == 0

    def _rows(self) -> list[KnownSite]:
        if not self.path.exists():
            return self._discovered()
        uri = f"{self.path.as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=30.0)) as con:
            try:
                rows = con.execute(
                    "SELECT url, username, key_kind, learned_at, allow_insecure_http, added_at "
                    "FROM known_sites ORDER BY url, username_key"
                ).fetchall()
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                return self._discovered()  # created a moment ago, first record not committed yet
            except sqlite3.DatabaseError as exc:
                raise self._unreadable(exc) from None
        return [KnownSite(r[0], r[1], _kind(r[2]), r[3], bool(r[4]), r[5]) for r in rows]

    def _default_key(self) -> tuple[str, str] | None:
        if not self.path.exists():
            return None
        uri = f"{self.path.as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=30.0)) as con:
            try:
                row = con.execute("SELECT url, username_key FROM default_site WHERE id = 1").fetchone()
            except sqlite3.DatabaseError:
                return None
        return (str(row[0]), str(row[1])) if row else None

    @staticmethod
    def _upsert(con: sqlite3.Connection, s: KnownSite) -> None:
        con.execute(
            "INSERT INTO known_sites (url, username, username_key, key_kind, learned_at, "
            "allow_insecure_http, added_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (url, username_key) DO UPDATE SET username = excluded.username, "
            "key_kind = excluded.key_kind, learned_at = excluded.learned_at, "
            "allow_insecure_http = excluded.allow_insecure_http",
            (
                s.url,
                s.username,
                s.username.lower(),
                s.key_kind,
                s.learned_at,
                int(s.allow_insecure_http),
                s.added_at or _now(),
            ),
        )

    def _discovered(self) -> list[KnownSite]:
        """Sites an older data dir synced, read from each cache's ``site`` row (demo caches skipped:
        the embedded demo's address changes at every start, so they are filed under a name)."""
        found: list[KnownSite] = []
        for f in sorted(self._sites_dir.glob("*/*.sqlite3")):
            try:
                with closing(sqlite3.connect(f"{f.as_uri()}?mode=ro", uri=True, timeout=5.0)) as con:
                    row = con.execute(
                        "SELECT url, username, key_kind, created_at FROM site WHERE id = 1"
                    ).fetchone()
            except sqlite3.Error:
                continue
            # a demo cache is filed under a name ("demo-small", "demo.localhost"), not its address
            if row and row[0] and row[1] and site_slug(str(row[0])) == f.parent.name:
                kind = _kind(row[2])
                found.append(
                    KnownSite(str(row[0]), str(row[1]), kind, row[3] if kind else None, False, row[3] or "")
                )
        return found

    # ------------------------------------------------------------ reading

    def all(self) -> list[KnownSite]:
        return self._rows()

    def get(self, url: str, username: str) -> KnownSite | None:
        return next((s for s in self._rows() if s.same(url, username)), None)

    def default(self) -> KnownSite | None:
        """The chosen default, or the only known site."""
        rows = self._rows()
        key = self._default_key()
        if key is not None:
            chosen = next((s for s in rows if s.same(key[0], key[1])), None)
            if chosen is not None:
                return chosen
        return rows[0] if len(rows) == 1 else None

    def is_default(self, site: KnownSite) -> bool:
        d = self.default()
        return d is not None and d.same(site.url, site.username)

    def choose(self, url: str | None, username: str | None) -> KnownSite:
        """The site a command means. ``url`` must already be normalised.

        Both given: that site (a new one comes back with no key kind learned). One given: the only
        known site that fits. Neither: the default, or the only known site. Otherwise
        :class:`SiteChoiceNeeded`, a one-line message listing the known sites and how to choose."""
        if url and username:
            return self.get(url, username) or KnownSite(url, username, None, None)
        rows = self._rows()
        if url or username:
            fits = [
                s
                for s in rows
                if (not url or s.url == url) and (not username or s.username.lower() == username.lower())
            ]
            if len(fits) == 1:
                return fits[0]
            if not fits:
                missing = "--username NAME" if url else "--site URL"
                known = f" Known: {_listing(rows)}." if rows else ""
                raise SiteChoiceNeeded(
                    f"Nothing is known about {url or '@' + str(username)} yet: give {missing} too.{known}"
                )
            raise SiteChoiceNeeded(
                f"Several accounts fit: {_listing(fits)}. Give both --site URL and --username NAME."
            )
        chosen = self.default()
        if chosen is not None:
            return chosen
        if not rows:
            raise SiteChoiceNeeded(
                "No community known yet: give --site URL --username NAME (or --demo), "
                "or sign in with the desktop app first."
            )
        raise SiteChoiceNeeded(
            f"{len(rows)} known sites: {_listing(rows)}. Give --site URL --username NAME, "
            "or choose a default with 'modconsole sites use URL [--username NAME]'."
        )

    # ------------------------------------------------------------ writing

    def remember(
        self, url: str, username: str, *, key_kind: KeyKind | None, allow_insecure_http: bool = False
    ) -> KnownSite:
        """Record that ``url`` answered for ``username`` (with ``key_kind`` accepted, when known).

        A kind learned before is kept when ``key_kind`` is None; ``learned_at`` moves only when the
        kind changes."""
        with self._write() as con:
            row = con.execute(
                "SELECT key_kind, learned_at, allow_insecure_http, added_at FROM known_sites "
                "WHERE url = ? AND username_key = ?",
                (url, username.lower()),
            ).fetchone()
            old_kind = _kind(row[0]) if row else None
            kind = key_kind or old_kind
            learned = (row[1] if row else None) if kind == old_kind else _now()
            site = KnownSite(
                url,
                username,
                kind,
                learned if kind else None,
                allow_insecure_http or bool(row and row[2]),
                row[3] if row else _now(),
            )
            self._upsert(con, site)
        return site

    def set_default(self, url: str, username: str) -> None:
        with self._write() as con:
            con.execute(
                "INSERT INTO default_site (id, url, username_key) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET url = excluded.url, username_key = excluded.username_key",
                (url, username.lower()),
            )

    def forget(self, url: str, username: str) -> bool:
        """Drop a record (and the default, if it was this one). The cache and the key stay."""
        with self._write() as con:
            n = con.execute(
                "DELETE FROM known_sites WHERE url = ? AND username_key = ?", (url, username.lower())
            ).rowcount
            con.execute(
                "DELETE FROM default_site WHERE url = ? AND username_key = ?", (url, username.lower())
            )
        return n > 0


def _listing(rows: list[KnownSite]) -> str:
    return ", ".join(s.label for s in rows)


__all__ = ["KEY_KINDS", "KeyKind", "KnownSite", "KnownSites", "SiteChoiceNeeded"]
