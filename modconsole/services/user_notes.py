"""Staff notes on members (User Notes, CONTRACT-ADDITIONS §A4.4), offline-first.

* Read **on demand**, never by sync: :meth:`UserNotesService.refresh` reads one member's notes
  (one request) when a moderator opens that member or a thread of theirs, and caches them in
  ``user_notes`` with the time and outcome in ``user_note_reads``; a read younger than
  :data:`FRESH` is not repeated.
* The plugin is off by default on Discourse, and then answers 404 — as for an unknown member. A
  404 is told apart by reading the moderator's own notes (they surely exist): 404 there too means
  the plugin is off, remembered as ``disabled``; :meth:`available` is then false and the views hide
  notes until a later read (``modconsole notes``, or :data:`RECHECK` later) finds it on.
* :meth:`view` and :meth:`counts` are the cache with the outbox overlaid: a queued note shows
  (marked pending) until the community lists it; a note queued for deletion is marked.
* :meth:`add` / :meth:`delete` queue ``add_user_note`` / ``delete_user_note``. Adding is not
  idempotent on the server; the dispatcher records the member's note ids before the first send
  and, before any retry, looks for ours among the new ones (by us, with our text) — exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.connectors.base import Capabilities, UserNotesApi
from modconsole.connectors.types import NotesDisabled, RemoteNote
from modconsole.errors import ApiError, PermissionDenied
from modconsole.outbox import store
from modconsole.services.moderation import ActionRefused, ModerationService, Queued

__all__ = ["FRESH", "MAX_NOTE_CHARS", "RECHECK", "Note", "NotesView", "UserNotesService"]

FRESH = timedelta(minutes=10)
"""A member's notes read this recently are not read again when the member is opened."""
RECHECK = timedelta(hours=24)
"""After the community said the plugin is off, how long until opening a member asks again."""
MAX_NOTE_CHARS = 32000  # Discourse's default max_post_length (longer: 422)
KINDS = ("add_user_note", "delete_user_note")

Status = Literal["ok", "disabled", "gone", "forbidden", "unread"]


@dataclass(frozen=True)
class Note:
    """One note as the console shows it: from the community, or queued (``pending``)."""

    id: str | None  # None while only queued
    user_id: int
    raw: str
    created_by: str | None
    created_at: str | None
    can_delete: bool = False
    pending: bool = False
    deleting: bool = False  # a delete is queued
    op_uuid: str | None = None
    state: str | None = None  # the outbox state of the queued action

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "raw": self.raw,
            "created_by": self.created_by,
            "created_at": self.created_at,
            "pending": self.pending,
            "deleting": self.deleting,
            "state": self.state,
        }


@dataclass(frozen=True)
class NotesView:
    user_id: int
    username: str | None
    status: Status
    notes: tuple[Note, ...]
    read_at: str | None = None
    error: str | None = None  # why the last refresh could not read (offline, …)


class UserNotesService:
    """Staff notes of one workspace: read on demand, cached, added and deleted through the outbox."""

    def __init__(
        self,
        cache: Cache,
        client: ApiClient | None,
        moderation: ModerationService,
        capabilities: Capabilities,
    ) -> None:
        self.cache = cache
        self.client = client
        self.moderation = moderation
        self.capabilities = capabilities
        self.api: UserNotesApi | None = moderation.connector.user_notes
        """The platform's staff notes (None where it has none)."""

    @property
    def me(self) -> str:
        return self.moderation.me

    # ------------------------------------------------------------ whether to show notes at all

    def site_state(self) -> Literal["on", "off", "unknown"]:
        """What the newest read said about the plugin: ``off`` after a ``disabled`` read."""
        with self.cache.read() as conn:
            r = conn.execute(text("SELECT status FROM user_note_reads ORDER BY read_at DESC LIMIT 1")).first()
        if r is None:
            return "unknown"
        return "off" if r[0] == "disabled" else "on"

    def available(self) -> bool:
        """Notes are shown: the platform has them, the key is staff (or not known yet), and the
        community did not say the plugin is off."""
        if not self.capabilities.user_notes:
            return False
        if self.moderation.permissions().staff is False:
            return False
        return self.site_state() != "off"

    # ------------------------------------------------------------ read

    def _last_read(self, conn: Connection, user_id: int) -> tuple[str, str] | None:
        r = conn.execute(
            text("SELECT read_at, status FROM user_note_reads WHERE user_id = :u"), {"u": user_id}
        ).first()
        return (str(r[0]), str(r[1])) if r is not None else None

    def needs_read(self, user_id: int) -> bool:
        """Whether opening this member should read their notes (never read, or older than FRESH;
        after a ``disabled`` answer only once RECHECK has passed)."""
        if not self.capabilities.user_notes or self.client is None:
            return False
        if self.moderation.permissions().staff is False:
            return False  # staff only: a member's key would only collect 403s
        with self.cache.read() as conn:
            last = self._last_read(conn, int(user_id))
            site = conn.execute(
                text(
                    "SELECT read_at FROM user_note_reads WHERE status = 'disabled' "
                    "ORDER BY read_at DESC LIMIT 1"
                )
            ).first()
        now = clock.now()
        if self.site_state() == "off" and site is not None:
            return now - store.parse_iso(str(site[0])) >= RECHECK  # type: ignore[operator]
        if last is None:
            return True
        at = store.parse_iso(last[0])
        return at is None or now - at >= FRESH

    def refresh(self, user_id: int, *, force: bool = False) -> NotesView:
        """Read the member's notes from the community (unless read within FRESH) and cache them.
        A failed read keeps what was cached; ``error`` says why."""
        uid = int(user_id)
        if not force and not self.needs_read(uid):
            return self.view(uid)
        if self.client is None:
            return self.view(uid, error="Not connected to the community.")
        if self.api is None:
            return self.view(uid, error="This community's platform has no staff notes on members.")
        status: Status
        notes: list[RemoteNote] | None = None
        try:
            notes = self.api.list_notes(self.client, uid, my_user_id=self.moderation.permissions().user_id)
            status = "ok" if notes is not None else "gone"
        except NotesDisabled:
            status = "disabled"
        except PermissionDenied:
            status = "forbidden"
        except ApiError as err:
            return self.view(uid, error=err.user_message)
        now = store.now_iso()
        with self.cache.write() as conn:
            if status in ("ok", "gone"):
                conn.execute(text("DELETE FROM user_notes WHERE user_id = :u"), {"u": uid})
            for n in notes or ():
                conn.execute(
                    text(
                        "INSERT OR REPLACE INTO user_notes(id, user_id, raw, created_by, created_at, "
                        "post_id, can_delete) VALUES (:id, :u, :raw, :by, :at, :post, :del)"
                    ),
                    {
                        "id": n.id,
                        "u": uid,
                        "raw": n.raw,
                        "by": n.created_by,
                        "at": n.created_at,
                        "post": n.post_id,
                        "del": n.can_delete,
                    },
                )
            conn.execute(
                text(
                    "INSERT INTO user_note_reads(user_id, read_at, status) VALUES (:u, :at, :s) "
                    "ON CONFLICT(user_id) DO UPDATE SET read_at = excluded.read_at, status = excluded.status"
                ),
                {"u": uid, "at": now, "s": status},
            )
        return self.view(uid)

    def view(self, user_id: int, *, error: str | None = None) -> NotesView:
        """The cached notes (newest first) with queued adds (first) and deletes overlaid."""
        uid = int(user_id)
        with self.cache.read() as conn:
            last = self._last_read(conn, uid)
            u = conn.execute(text("SELECT username FROM users WHERE id = :u"), {"u": uid}).first()
            cached = conn.execute(
                text(
                    "SELECT id, raw, created_by, created_at, can_delete FROM user_notes WHERE user_id = :u "
                    "ORDER BY created_at DESC, rowid"  # ties: as the community listed them
                ),
                {"u": uid},
            ).all()
            rows = [
                r
                for r in store.rows(conn, (*store.OPEN_STATES, "done"))
                if r.kind in KINDS and int(r.payload.get("user_id") or 0) == uid
            ]
        ids = {str(c[0]) for c in cached}
        deleting = {
            str(r.payload.get("note_id")): r
            for r in rows
            if r.kind == "delete_user_note" and r.state != "done"
        }
        deleted = {
            str(r.payload.get("note_id")) for r in rows if r.kind == "delete_user_note" and r.state == "done"
        }
        out: list[Note] = []
        for r in rows:
            if r.kind != "add_user_note":
                continue
            ev = r.result.get("evidence") if isinstance(r.result, dict) else None
            got = ev.get("note_id") if isinstance(ev, dict) else None
            if got is None and isinstance(ev, dict) and isinstance(ev.get("probe"), dict):
                got = ev["probe"].get("note_id")
            if r.state == "done" and (
                got is None or str(got) in ids or r.updated_at < (last[0] if last else "")
            ):
                continue  # the community lists it (or a read after its delivery did)
            out.append(
                Note(
                    id=str(got) if got else None,
                    user_id=uid,
                    raw=str(r.payload.get("raw") or ""),
                    created_by=r.created_by,
                    created_at=r.created_at,
                    pending=r.state != "done",
                    op_uuid=r.op_uuid,
                    state=r.state,
                )
            )
        out.sort(key=lambda n: n.created_at or "", reverse=True)
        for c in cached:
            if str(c[0]) in deleted:
                continue
            d = deleting.get(str(c[0]))
            out.append(
                Note(
                    id=str(c[0]),
                    user_id=uid,
                    raw=str(c[1]),
                    created_by=c[2],
                    created_at=c[3],
                    can_delete=bool(c[4]),
                    deleting=d is not None,
                    op_uuid=d.op_uuid if d is not None else None,
                    state=d.state if d is not None else None,
                )
            )
        status: Status = "unread" if last is None else last[1]  # type: ignore[assignment]
        return NotesView(uid, str(u[0]) if u else None, status, tuple(out), last[0] if last else None, error)

    def counts(self, user_ids: Iterable[int]) -> dict[int, int]:
        """How many notes each member has as far as the console knows (cache and queue), for the
        icon beside an author; members never read are left out."""
        wanted = sorted({int(u) for u in user_ids})
        result: dict[int, int] = {}
        with self.cache.read() as conn:
            read = {
                int(r[0])
                for r in conn.execute(text("SELECT user_id FROM user_note_reads WHERE status = 'ok'"))
                if int(r[0]) in wanted
            }
        for uid in wanted:
            if uid in read:
                result[uid] = sum(1 for n in self.view(uid).notes if not n.deleting)
            else:
                queued = self.view(uid).notes
                if queued:
                    result[uid] = len(queued)
        return result

    # ------------------------------------------------------------ write (through the outbox)

    def prepare(self, name: str) -> None:
        """Before acting from a fresh cache (the command line): read the member when not cached.
        Offline this does nothing; :meth:`member` then says the member is not known."""
        if self.client is None or str(name).isdigit():
            return
        bare = name.strip().lstrip("@")
        with self.cache.read() as conn:
            known = conn.execute(
                text("SELECT 1 FROM users WHERE username = :n COLLATE NOCASE"), {"n": bare}
            ).first()
        if known is None:
            self.moderation._fetch_user(bare)

    def member(self, name_or_id: str | int) -> tuple[int, str]:
        """(id, username) of a cached member by username (``@`` optional) or id."""
        with self.cache.read() as conn:
            if isinstance(name_or_id, int) or str(name_or_id).isdigit():
                r = conn.execute(
                    text("SELECT id, username, gone_since FROM users WHERE id = :i"), {"i": int(name_or_id)}
                ).first()
            else:
                r = conn.execute(
                    text("SELECT id, username, gone_since FROM users WHERE username = :n COLLATE NOCASE"),
                    {"n": str(name_or_id).strip().lstrip("@")},
                ).first()
        if r is None or r[2]:
            raise ActionRefused(
                f"No member {name_or_id} is known on this community (check the spelling, or sync)."
            )
        return int(r[0]), str(r[1])

    def _require(self) -> None:
        if not self.capabilities.user_notes:
            raise ActionRefused("This community's platform has no staff notes on members.")
        if self.moderation.permissions().staff is False:
            raise ActionRefused(f"Your account (@{self.me}) cannot use staff notes: only staff can.")
        if self.site_state() == "off":
            raise ActionRefused(
                "User Notes are turned off on this community (the site setting user_notes_enabled)."
            )

    def add(self, user_id: int, raw: str, *, post_id: int | None = None) -> Queued:
        """Queue a note on the member (optionally about one of their posts)."""
        self._require()
        body = (raw or "").strip()
        if not body:
            raise ActionRefused("The note is empty.")
        if len(body) > MAX_NOTE_CHARS:
            raise ActionRefused(
                f"The note is {len(body)} characters long; the community takes {MAX_NOTE_CHARS}."
            )
        uid, username = self.member(int(user_id))
        payload: dict[str, Any] = {"user_id": uid, "username": username, "raw": body}
        if post_id is not None:
            payload["post_id"] = int(post_id)
        return self._enqueue("add_user_note", f"user-note:{uid}:{uuid.uuid4()}", payload)

    def delete(self, user_id: int, note_id: str) -> Queued:
        self._require()
        uid, username = self.member(int(user_id))
        payload = {"user_id": uid, "username": username, "note_id": str(note_id)}
        return self._enqueue("delete_user_note", f"user-note:{uid}:{note_id}", payload)

    def _enqueue(self, kind: str, target_key: str, payload: dict[str, Any]) -> Queued:
        with self.cache.write() as conn:
            ins = store.insert(
                conn, kind=kind, target_key=target_key, payload=payload, precondition=None, created_by=self.me
            )
        changes = store.changes_for(ins.row_id, kind, payload) | Changes(
            user_ids=frozenset({payload["user_id"]})
        )
        return Queued(ins.op_uuid, ins.row_id, store.describe(kind, payload), changes, ins.cancelled)
