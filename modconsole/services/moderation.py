"""Moderation actions, offline first (Qt-free; the screens and the CLI share this code path).

Each action is **validated against the cache** (moderator-readable messages for bad input),
recorded in the outbox **in the same transaction** (``BEGIN IMMEDIATE``, ``synchronous=FULL``),
coalesced with earlier pending rows (SYNC.md §6.4), and shown as a pending **overlay**: the
mirror tables keep server truth until a push delivers the action and a pull re-reads it (I4).

    svc = ModerationService(cache, me="dana", site_url="https://forum.example.com", client=api)
    q = svc.award_badge("Superuser", "alice", reason="https://forum.example.com/t/x/12/3", note="great help")
    q.changes        # Changes(outbox=[…], users=[…], badges=[…]) -> refresh only those views
    push_outbox(svc, engine, token, progress)   # -> PushOutcome (modconsole.outbox.policy)
    svc.resolve(q.op_uuid, "discard", note="handled by phone")

Disk full while saving raises :class:`~modconsole.errors.DiskFull`: the action was **not** saved
and nothing else changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import Connection, text

from modconsole import settings
from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.connectors.base import ActionAdapter, Connector
from modconsole.connectors.registry import default_connector
from modconsole.connectors.types import Found
from modconsole.errors import ApiError, InvalidInput, PermissionDenied
from modconsole.outbox import permissions, store
from modconsole.outbox.dispatcher import Dispatcher, DispatchOptions
from modconsole.outbox.permissions import Permissions
from modconsole.outbox.store import OutboxRow

TRUST_LEVEL_NAMES = ("new user", "basic", "member", "regular", "leader")
CLOCK_TOLERANCE = 2.0  # seconds: server Date headers have whole-second resolution


class ActionRefused(InvalidInput):
    """The action cannot be queued as asked; ``user_message`` says why, in the moderator's words."""


MAX_ID = 2**63 - 1
"""The largest id the cache (a SQLite INTEGER) can hold; Discourse's are far smaller."""

MAX_NOTE_CHARS = 2000
"""The longest note kept with an action (in the outbox and the audit journal)."""


def checked_id(value: object, what: str) -> int:
    """``value`` as an id (1 … :data:`MAX_ID`), or :class:`ActionRefused` naming ``what``."""
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ActionRefused(f"The {what} id must be a whole number, not “{value}”.") from None
    if not 1 <= n <= MAX_ID:
        raise ActionRefused(f"No {what} has the id {n}: ids are whole numbers from 1 to {MAX_ID}.")
    return n


def checked_note(note: str | None) -> str | None:
    """The note as kept (stripped), or :class:`ActionRefused` when it is longer than the limit."""
    if not note or not note.strip():
        return None
    kept = note.strip()
    if len(kept) > MAX_NOTE_CHARS:
        raise ActionRefused(
            f"The note is {len(kept):,} characters long; the limit is {MAX_NOTE_CHARS:,}. Shorten it."
        )
    return kept


@dataclass(frozen=True)
class Queued:
    """The result of an enqueue: the saved row, what was cancelled by coalescing, and what changed."""

    op_uuid: str
    outbox_id: int
    description: str
    changes: Changes
    cancelled: tuple[str, ...] = ()

    @property
    def coalesced(self) -> bool:
        return self.op_uuid in self.cancelled


@dataclass(frozen=True)
class Overlay:
    """Pending local intents to draw over server truth (state 'pending' or 'in_flight')."""

    accepted: dict[int, int | None] = field(default_factory=dict)  # topic -> post id (None: unaccept)
    grants: frozenset[tuple[int, int]] = frozenset()  # (user_id, badge_id)
    revokes: frozenset[tuple[int, int]] = frozenset()
    group_adds: frozenset[tuple[int, int]] = frozenset()  # (group_id, user_id)
    group_removes: frozenset[tuple[int, int]] = frozenset()
    trust_levels: dict[int, int] = field(default_factory=dict)
    closed_topics: frozenset[int] = frozenset()
    liked_posts: frozenset[int] = frozenset()
    replies: dict[int, int] = field(default_factory=dict)  # topic -> number of pending replies
    new_topics: tuple[str, ...] = ()
    rows: tuple[OutboxRow, ...] = ()

    def is_pending(self, kind: str, **ids: int) -> bool:
        return any(r.kind == kind and all(r.payload.get(k) == v for k, v in ids.items()) for r in self.rows)


def build_overlay(rows: list[OutboxRow]) -> Overlay:
    accepted: dict[int, int | None] = {}
    grants, revokes, adds, removes = set(), set(), set(), set()
    tls: dict[int, int] = {}
    closed, liked = set(), set()
    replies: dict[int, int] = {}
    new_topics: list[str] = []
    for r in rows:
        p = r.payload
        if r.kind == "accept_answer":
            accepted[int(p["topic_id"])] = int(p["post_id"])
        elif r.kind == "unaccept_answer":
            accepted[int(p["topic_id"])] = None
        elif r.kind == "grant_badge":
            grants.add((int(p["user_id"]), int(p["badge_id"])))
            revokes.discard((int(p["user_id"]), int(p["badge_id"])))
        elif r.kind == "revoke_badge":
            revokes.add((int(p["user_id"]), int(p["badge_id"])))
            grants.discard((int(p["user_id"]), int(p["badge_id"])))
        elif r.kind == "add_group_member":
            adds.add((int(p["group_id"]), int(p["user_id"])))
            removes.discard((int(p["group_id"]), int(p["user_id"])))
        elif r.kind == "remove_group_member":
            removes.add((int(p["group_id"]), int(p["user_id"])))
            adds.discard((int(p["group_id"]), int(p["user_id"])))
        elif r.kind == "set_trust_level":
            tls[int(p["user_id"])] = int(p["level"])
        elif r.kind == "close_topic":
            closed.add(int(p["topic_id"]))
        elif r.kind == "like_post":
            liked.add(int(p["post_id"]))
        elif r.kind == "create_post":
            replies[int(p["topic_id"])] = replies.get(int(p["topic_id"]), 0) + 1
        elif r.kind == "create_topic":
            new_topics.append(str(p.get("title")))
    return Overlay(
        accepted=accepted,
        grants=frozenset(grants),
        revokes=frozenset(revokes),
        group_adds=frozenset(adds),
        group_removes=frozenset(removes),
        trust_levels=tls,
        closed_topics=frozenset(closed),
        liked_posts=frozenset(liked),
        replies=replies,
        new_topics=tuple(new_topics),
        rows=tuple(rows),
    )


def _one(conn: Connection, sql: str, **params: Any) -> dict[str, Any] | None:
    r = conn.execute(text(sql), params).first()
    return dict(r._mapping) if r is not None else None


def _now() -> str:
    return store.now_iso()


def _mirror_agrees(conn: Connection, r: OutboxRow) -> bool:
    """Whether the mirror (server truth as last pulled) already shows this delivered action."""
    p = r.payload
    k = r.kind
    if k == "grant_badge":
        sql = "SELECT 1 FROM user_badges WHERE user_id = :u AND badge_id = :b AND gone_since IS NULL"
        if p.get("multiple_grant") and p.get("reason_post_id") is not None:
            sql += " AND post_id = :p"
        return _one(conn, sql, u=p["user_id"], b=p["badge_id"], p=p.get("reason_post_id")) is not None
    if k == "revoke_badge":
        return (
            _one(
                conn,
                "SELECT 1 FROM user_badges WHERE id = :i AND gone_since IS NULL",
                i=p.get("user_badge_id") or -1,
            )
            is None
        )
    if k in ("accept_answer", "unaccept_answer"):
        has = (
            _one(conn, "SELECT 1 FROM solutions WHERE post_id = :p AND gone_since IS NULL", p=p["post_id"])
            is not None
        )
        return has == (k == "accept_answer")
    if k in ("add_group_member", "remove_group_member"):
        member = (
            _one(
                conn,
                "SELECT 1 FROM group_members WHERE group_id = :g AND user_id = :u AND gone_since IS NULL",
                g=p["group_id"],
                u=p["user_id"],
            )
            is not None
        )
        return member == (k == "add_group_member")
    if k == "set_trust_level":
        u = _one(conn, "SELECT trust_level FROM users WHERE id = :u", u=p["user_id"])
        return u is not None and u["trust_level"] == p["level"]
    if k == "close_topic":
        t = _one(conn, "SELECT closed FROM topics WHERE id = :t", t=p["topic_id"])
        return bool(t and t["closed"])
    if k in ("assign_topic", "unassign_topic"):  # the mirror of AssignService.sync
        a = _one(
            conn,
            "SELECT assigned_user, assigned_group FROM topic_assignments WHERE topic_id = :t",
            t=p["topic_id"],
        )
        if k == "unassign_topic":
            return a is None
        return a is not None and bool(
            str(a["assigned_user"] or "").lower() == str(p.get("username") or "").lower()
            and (
                p.get("username")
                or str(a["assigned_group"] or "").lower() == str(p.get("group_name") or "").lower()
            )
        )
    if k in ("create_post", "create_topic"):
        pid = (
            (r.result.get("evidence") or {}).get("post_id")
            if isinstance(r.result.get("evidence"), dict)
            else None
        )
        return pid is not None and _one(conn, "SELECT 1 FROM posts WHERE id = :i", i=pid) is not None
    return False


class _Missing(Exception):
    """A lookup inside an action's write transaction found nothing cached; ``fetch`` gets it."""

    def __init__(self, key: str, fetch: Callable[[], None]) -> None:
        super().__init__(key)
        self.key = key
        self.fetch = fetch


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _fetch_outside_txn(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run an action; when a lookup needs the server, the action's transaction has already rolled
    back (the exception left the ``with``): fetch with no transaction open, then run it again.
    Each thing is fetched at most once per call, so this ends."""

    @functools.wraps(method)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        self = args[0]
        assert isinstance(self, ModerationService)
        checked_note(kwargs.get("note"))  # type: ignore[arg-type]  # refused before any lookup
        outer = self._tried is None
        if outer:
            self._tried = set()
        try:
            while True:
                try:
                    return method(*args, **kwargs)
                except _Missing as missing:
                    assert self._tried is not None
                    self._tried.add(missing.key)
                    missing.fetch()
        finally:
            if outer:
                self._tried = None

    return run


class ModerationService:
    """Queue, overlay, push and resolve moderation actions for one site and one account."""

    def __init__(
        self,
        cache: Cache,
        *,
        me: str,
        site_url: str,
        client: ApiClient | None = None,
        options: DispatchOptions | None = None,
        fetch_missing: bool = True,
        actions: ActionAdapter | None = None,
        connector: Connector | None = None,
    ) -> None:
        self.cache = cache
        self.connector: Connector = connector or default_connector()
        """The site's platform (the workspace's; ``None``: the default platform's): the lookups of
        cache misses, the links, and the optional features the other services reach through it."""
        self.actions = actions if actions is not None or connector is None else connector.actions
        """The platform's outbox action adapter (the connector's; ``None``: the default platform's)."""
        self.me = me
        self.site_url = site_url.rstrip("/")
        self.client = client
        self.options = options or DispatchOptions()
        self.fetch_missing = fetch_missing
        self._tried: set[str] | None = None  # keys fetched during the current action (see _need)
        self._absent: set[str] = set()  # keys the server answered "not found" for

    # ------------------------------------------------------------ permissions

    def permissions(self) -> Permissions:
        with self.cache.read() as conn:
            return permissions.load(conn)

    def probe_permissions(self, *, force: bool = False) -> Permissions:
        """Ask the server once what this key may do; remembered in the cache. Offline: what we knew."""
        cur = self.permissions()
        # a cache probed before whispers were asked about is asked once more
        if self.client is None or (cur.checked_at and not force and cur.whisperer is not None):
            return cur
        sample = None
        with self.cache.read() as conn:
            g = _one(conn, "SELECT name FROM groups WHERE automatic = 0 ORDER BY id LIMIT 1")
            sample = g["name"] if g else None
        try:
            found = permissions.probe(self.client, self.me, sample_group=sample, actions=self.actions)
        except ApiError:
            return cur
        found = replace(found, group_overrides=cur.group_overrides)
        with self.cache.write() as conn:
            permissions.save(conn, found)
        return found

    def _require_staff(self, what: str) -> Permissions:
        perms = self.permissions()
        if perms.staff is False:
            raise ActionRefused(
                f"Your account (@{self.me}, a {perms.role}) cannot {what}: only moderators and admins can."
            )
        return perms

    # ------------------------------------------------------------ cache lookups (fetch on a miss when online)

    # Lookups run inside the action's write transaction and only read. On a miss they raise
    # _Missing with a fetch; @_fetch_outside_txn rolls the transaction back, runs the fetch with no
    # transaction open (network first, then its own short write) and runs the action again. So no
    # HTTP request ever holds the cache's write lock (SYNC.md §6.10 rule 2).

    def _need(self, key: str, fetch: Callable[[], None]) -> None:
        if self.client is None or not self.fetch_missing or self._tried is None or key in self._tried:
            return
        raise _Missing(key, fetch)

    def _user(self, conn: Connection, username: str) -> dict[str, Any]:
        name = (username or "").strip().lstrip("@")
        if not name:
            raise ActionRefused("Enter the member's username.")
        u = _one(conn, "SELECT * FROM users WHERE username = :u COLLATE NOCASE", u=name)
        if u is None:
            self._need(f"user:{name.lower()}", lambda: self._fetch_user(name))
            raise ActionRefused(
                f"No member @{name} is known on this community (check the spelling, or sync first)."
            )
        if u.get("gone_since"):
            raise ActionRefused(f"@{u['username']} was deleted from the community.")
        return u

    def _lookup(self, fetch: Callable[[ApiClient, Cache], Found]) -> Found:
        """Fetch a cache miss through the platform's lookups (they read, then write briefly)."""
        assert self.client is not None
        return fetch(self.client, self.cache)

    def _fetch_user(self, name: str) -> None:
        self._lookup(lambda c, cache: self.connector.lookups.user(c, cache, name))

    def _badge(self, conn: Connection, badge: str | int) -> dict[str, Any]:
        key = str(badge).strip()
        if not key:
            raise ActionRefused("Choose a badge.")
        if key.isdigit():
            b = _one(conn, "SELECT * FROM badges WHERE id = :i", i=checked_id(key, "badge"))
        else:
            b = _one(conn, "SELECT * FROM badges WHERE name = :n COLLATE NOCASE", n=key)
        if b is None:
            self._need("badges", self._fetch_badges)
            raise ActionRefused(f"No badge “{key}” exists on this community, or it is disabled.")
        return b

    def _fetch_badges(self) -> None:
        self._lookup(self.connector.lookups.badges)

    def _post(self, conn: Connection, post_id: int) -> dict[str, Any]:
        post_id = checked_id(post_id, "post")
        p = _one(conn, "SELECT * FROM posts WHERE id = :i", i=int(post_id))
        if p is None:
            self._need(f"post:{int(post_id)}", lambda: self._fetch_post(int(post_id)))
            raise ActionRefused(f"Post {post_id} is not known here (it may be deleted, or sync first).")
        if p.get("deleted_at") or p.get("gone_since"):
            raise ActionRefused(f"Post {post_id} was deleted.")
        return p

    def _fetch_post(self, post_id: int) -> None:
        """The post and its topic; a post the community says does not exist is remembered."""
        if self._lookup(lambda c, cache: self.connector.lookups.post(c, cache, post_id)) == "absent":
            self._absent.add(f"post:{int(post_id)}")

    def _fetch_topic(self, topic_id: int) -> None:
        """The topic (its first posts, accepted answers, and its category when not cached); a
        topic the community says does not exist is remembered for the reason check."""
        if self._lookup(lambda c, cache: self.connector.lookups.topic(c, cache, topic_id)) == "absent":
            self._absent.add(f"topic:{int(topic_id)}")

    def _topic(self, conn: Connection, topic_id: int) -> dict[str, Any]:
        topic_id = checked_id(topic_id, "topic")
        t = _one(conn, "SELECT * FROM topics WHERE id = :i", i=int(topic_id))
        if t is None:
            self._need(f"topic:{int(topic_id)}", lambda: self._fetch_topic(int(topic_id)))
            raise ActionRefused(f"Topic {topic_id} is not known here (it may be deleted, or sync first).")
        if t.get("deleted_at") or t.get("gone_since"):
            raise ActionRefused(f"Topic {topic_id} “{t.get('title')}” was deleted.")
        return t

    def _group(self, conn: Connection, group: str | int) -> dict[str, Any]:
        key = str(group).strip()
        g = (
            _one(conn, "SELECT * FROM groups WHERE id = :i", i=checked_id(key, "group"))
            if key.isdigit()
            else _one(conn, "SELECT * FROM groups WHERE name = :n COLLATE NOCASE", n=key)
        )
        if g is None:
            if not key.isdigit():
                self._need(f"group:{key.lower()}", lambda: self._fetch_group(key))
            raise ActionRefused(f"No group “{key}” is known on this community.")
        return g

    def _fetch_group(self, name: str) -> None:
        self._lookup(lambda c, cache: self.connector.lookups.group(c, cache, name))

    @staticmethod
    def _last_pull_local(conn: Connection) -> str | None:
        """When the last pull finished, in local time (the engine stamps server time; the
        ``server_clock`` offset it measured converts it back)."""
        last = settings.get(conn, settings.LAST_SYNC_RUN).get("at")
        at = store.parse_iso(last) if isinstance(last, str) else None
        if at is None:
            return None
        clock = _one(conn, "SELECT offset_seconds FROM server_clock WHERE id = 1")
        offset = float(clock["offset_seconds"] or 0.0) if clock else 0.0
        # the offset comes from whole-second Date headers: stay on the safe side of it
        return store.now_iso(at - timedelta(seconds=offset + CLOCK_TOLERANCE))

    def unsettled(self) -> list[OutboxRow]:
        """Delivered actions the mirror does not show yet (and no pull has re-read since): what
        the push policy re-reads (``modconsole.outbox.policy``)."""
        with self.cache.read() as conn:
            return [r for r in self._active(conn) if r.state == "done"]

    def _active(self, conn: Connection) -> list[OutboxRow]:
        """The rows the overlay shows: still to be delivered, plus delivered ones the mirror does not
        reflect yet (a pull has not re-read them), so a confirmed action does not flicker back.
        A delivered row leaves the overlay once the mirror agrees with it, or once a pull finished
        well after it (a later remote change then wins, as it should)."""
        synced_at = self._last_pull_local(conn)
        out: list[OutboxRow] = []
        for r in store.rows(conn, ("pending", "in_flight", "done")):
            if r.state == "done":
                if r.resolution not in ("applied", "already_applied"):
                    continue
                if synced_at is not None and r.updated_at < synced_at:
                    continue
                if _mirror_agrees(conn, r):
                    continue
            out.append(r)
        return out

    # ------------------------------------------------------------ enqueue plumbing

    def _enqueue(
        self,
        conn: Connection,
        kind: str,
        target_key: str,
        payload: dict[str, Any],
        precondition: dict[str, Any] | None,
        note: str | None,
    ) -> Queued:
        refusal = self.actions.refusal(kind) if self.actions is not None else None
        if refusal:  # the platform has no such write: refused before anything is saved
            raise ActionRefused(refusal)
        kept = checked_note(note)
        if kept:
            payload["note"] = kept
        ins = store.insert(
            conn,
            kind=kind,
            target_key=target_key,
            payload=payload,
            precondition=precondition,
            created_by=self.me,
        )
        changes = store.changes_for(ins.row_id, kind, payload)
        for op in ins.cancelled:
            other = store.get(conn, op)
            if other is not None:
                changes = changes | store.changes_for(other.id, other.kind, other.payload)
        return Queued(ins.op_uuid, ins.row_id, store.describe(kind, payload), changes, ins.cancelled)

    @staticmethod
    def _suspended(u: Mapping[str, Any]) -> bool:
        till = u.get("suspended_till")
        return bool(till and str(till) > _now())

    def _check_member(self, u: Mapping[str, Any], what: str) -> None:
        if self._suspended(u):
            raise ActionRefused(
                f"@{u['username']} is suspended until {str(u['suspended_till'])[:10]}; "
                f"lift the suspension before you {what}."
            )
        if u.get("silenced"):
            raise ActionRefused(f"@{u['username']} is silenced; lift it before you {what}.")
        if u.get("active") is not None and not u.get("active") and not u.get("staged"):
            raise ActionRefused(f"@{u['username']} has not activated their account yet.")

    # ------------------------------------------------------------ solved

    def _accepted_post(self, conn: Connection, topic_id: int) -> tuple[int | None, int | None]:
        """(post id, post number) the moderator currently sees as accepted: the overlay, else the mirror."""
        for r in reversed(self._active(conn)):
            if r.payload.get("topic_id") == topic_id and r.kind in ("accept_answer", "unaccept_answer"):
                if r.kind == "accept_answer":
                    return int(r.payload["post_id"]), int(r.payload["post_number"])
                return None, None
        s = _one(
            conn,
            "SELECT post_id, post_number FROM solutions WHERE topic_id = :t AND gone_since IS NULL "
            "ORDER BY post_id DESC LIMIT 1",
            t=topic_id,
        )
        if s is None:
            t = _one(conn, "SELECT accepted_post_id FROM topics WHERE id = :t", t=topic_id)
            pid = t.get("accepted_post_id") if t else None
            if pid is None:
                return None, None
            p = _one(conn, "SELECT post_number FROM posts WHERE id = :i", i=pid)
            return int(pid), (int(p["post_number"]) if p else None)
        return int(s["post_id"]), (int(s["post_number"]) if s["post_number"] is not None else None)

    def _among_accepted(self, conn: Connection, topic_id: int, post_id: int) -> bool:
        """Whether the mirror holds ``post_id`` among the topic's accepted answers while no queued
        accept/unaccept of the topic says otherwise (a platform may accept several: Vanilla)."""
        if any(
            r.payload.get("topic_id") == topic_id and r.kind in ("accept_answer", "unaccept_answer")
            for r in self._active(conn)
        ):
            return False
        return (
            _one(
                conn,
                "SELECT 1 FROM solutions WHERE topic_id = :t AND post_id = :p AND gone_since IS NULL",
                t=topic_id,
                p=post_id,
            )
            is not None
        )

    def _mirror_accepted_number(self, conn: Connection, topic_id: int) -> int | None:
        s = _one(
            conn,
            "SELECT post_number FROM solutions WHERE topic_id = :t AND gone_since IS NULL "
            "ORDER BY post_id DESC LIMIT 1",
            t=topic_id,
        )
        if s is not None:
            return int(s["post_number"]) if s["post_number"] is not None else None
        t = _one(conn, "SELECT accepted_post_id FROM topics WHERE id = :t", t=topic_id)
        if t and t.get("accepted_post_id"):
            p = _one(conn, "SELECT post_number FROM posts WHERE id = :i", i=t["accepted_post_id"])
            return int(p["post_number"]) if p else None
        return None

    @_fetch_outside_txn
    def accept_answer(self, post_id: int, *, note: str | None = None) -> Queued:
        self._require_staff("accept answers for others")
        with self.cache.write() as conn:
            p = self._post(conn, post_id)
            t = self._topic(conn, int(p["topic_id"]))
            if int(p["post_number"]) == 1:
                raise ActionRefused("That post is the question itself; accept one of the replies instead.")
            if int(p.get("post_type") or 1) != 1:
                raise ActionRefused(
                    "Only a regular reply can be the accepted answer (not a whisper or a notice)."
                )
            cat = _one(
                conn, "SELECT name, accepts_answers FROM categories WHERE id = :c", c=t.get("category_id")
            )
            if cat is not None and not cat["accepts_answers"]:
                raise ActionRefused(f"The category “{cat['name']}” does not use accepted answers.")
            cur_id, _cur_num = self._accepted_post(conn, int(t["id"]))
            if cur_id == int(p["id"]) or self._among_accepted(conn, int(t["id"]), int(p["id"])):
                raise ActionRefused(f"Post #{p['post_number']} is already the accepted answer of this topic.")
            payload = {
                "post_id": int(p["id"]),
                "topic_id": int(t["id"]),
                "post_number": int(p["post_number"]),
                "topic_title": t.get("title"),
                "author": p.get("username"),
            }
            pre = {"accepted_post_number": self._mirror_accepted_number(conn, int(t["id"]))}
            return self._enqueue(conn, "accept_answer", f"topic:{t['id']}", payload, pre, note)

    @_fetch_outside_txn
    def unaccept_answer(self, post_id: int, *, note: str | None = None) -> Queued:
        self._require_staff("unaccept answers")
        with self.cache.write() as conn:
            p = self._post(conn, post_id)
            t = self._topic(conn, int(p["topic_id"]))
            cur_id, _ = self._accepted_post(conn, int(t["id"]))
            if cur_id != int(p["id"]) and not self._among_accepted(conn, int(t["id"]), int(p["id"])):
                raise ActionRefused(
                    f"Post #{p['post_number']} is not the accepted answer of “{t.get('title')}”."
                )
            payload = {
                "post_id": int(p["id"]),
                "topic_id": int(t["id"]),
                "post_number": int(p["post_number"]),
                "topic_title": t.get("title"),
            }
            pre = {"accepted_post_number": int(p["post_number"])}  # the answer it means to unaccept
            return self._enqueue(conn, "unaccept_answer", f"topic:{t['id']}", payload, pre, note)

    # ------------------------------------------------------------ badges

    def _reason(self, conn: Connection, reason: str) -> tuple[str, int | None]:
        """Check a badge reason link: a topic or post of this site. Returns (url, post id if known)."""
        r = reason.strip()
        parts = urlsplit(r)
        site = urlsplit(self.site_url)
        if (parts.scheme or parts.netloc) and (
            parts.scheme not in ("http", "https") or parts.netloc.lower() != site.netloc.lower()
        ):
            raise ActionRefused(
                f"The reason must be a link to a post on {site.netloc}, not {parts.netloc or r}."
            )
        path = parts.path
        if site.path and path.startswith(site.path):
            path = path[len(site.path) :]
        ref = self.connector.links.parse(path)
        if ref is None or (ref.topic_id is None and ref.post_id is None):
            example = self.connector.links.example(self.site_url)
            raise ActionRefused(f"The reason must be a link to a topic or post, like {example}.")
        if ref.topic_id is None:  # a post named by its own id (the platform's post links)
            post, topic = self._reason_post(conn, checked_id(ref.post_id, "post"), site.netloc)
        else:
            tid = checked_id(ref.topic_id, "topic")
            num = int(ref.post_number or 1)
            if num > MAX_ID:
                raise ActionRefused(f"The reason links to post number {num}, which no topic has.")
            post = _one(
                conn,
                "SELECT id, deleted_at FROM posts WHERE topic_id = :t AND post_number = :n",
                t=tid,
                n=num,
            )
            topic = _one(conn, "SELECT id, deleted_at FROM topics WHERE id = :t", t=tid)
            if topic is None:  # not cached: ask the server once (when online) whether it exists
                self._need(f"topic:{tid}", lambda: self._fetch_topic(tid))
                if f"topic:{tid}" in self._absent:
                    raise ActionRefused(
                        f"The reason links to topic {tid}, which does not exist on {site.netloc}."
                    )
        if (topic is not None and topic.get("deleted_at")) or (post is not None and post.get("deleted_at")):
            raise ActionRefused("The reason links to a deleted post.")
        url = r if parts.netloc else f"{self.site_url}{parts.path}"
        return url, (int(post["id"]) if post else None)

    def _reason_post(
        self, conn: Connection, post_id: int, netloc: str
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """A reason link that names its post by id: the post and its topic, fetched once (when
        online) on a miss."""
        post = _one(conn, "SELECT id, topic_id, deleted_at FROM posts WHERE id = :i", i=post_id)
        if post is None:
            self._need(f"post:{post_id}", lambda: self._fetch_post(post_id))
            if f"post:{post_id}" in self._absent:
                raise ActionRefused(f"The reason links to post {post_id}, which does not exist on {netloc}.")
            return None, None
        topic = _one(conn, "SELECT id, deleted_at FROM topics WHERE id = :t", t=post["topic_id"])
        return post, topic

    @_fetch_outside_txn
    def award_badge(
        self, badge: str | int, username: str, *, reason: str | None = None, note: str | None = None
    ) -> Queued:
        perms = self._require_staff("award badges")
        if perms.badges_enabled is False:
            raise ActionRefused("Badges are turned off on this community.")
        with self.cache.write() as conn:
            b = self._badge(conn, badge)
            if not b["enabled"]:
                raise ActionRefused(f"The badge “{b['name']}” is disabled on this community.")
            if b.get("system") or b.get("manually_grantable") is False:
                raise ActionRefused(
                    f"The badge “{b['name']}” is awarded automatically; it cannot be granted by hand."
                )
            u = self._user(conn, username)
            self._check_member(u, "award a badge")
            reason_url, reason_post = self._reason(conn, reason) if reason else (None, None)
            multiple = bool(b["multiple_grant"])
            key = (int(u["id"]), int(b["id"]))
            ov = build_overlay(self._active(conn))
            if not multiple:
                holds = _one(
                    conn,
                    "SELECT id FROM user_badges WHERE user_id = :u AND badge_id = :b AND gone_since IS NULL",
                    u=u["id"],
                    b=b["id"],
                )
                if (holds and key not in ov.revokes) or key in ov.grants:
                    raise ActionRefused(
                        f"@{u['username']} already holds “{b['name']}” (it can be awarded only once)."
                    )
            elif not reason_url:
                raise ActionRefused(
                    f"“{b['name']}” can be awarded several times: add a reason link to the post it is for."
                )
            payload = {
                "badge_id": int(b["id"]),
                "badge_name": b["name"],
                "multiple_grant": multiple,
                "user_id": int(u["id"]),
                "username": u["username"],
                "username_at_enqueue": u["username"],
                "reason": reason_url,
                "reason_post_id": reason_post,
            }
            pre = {"suspended": self._suspended(u)}
            return self._enqueue(conn, "grant_badge", f"badge:{b['id']}/user:{u['id']}", payload, pre, note)

    @_fetch_outside_txn
    def revoke_badge(self, badge: str | int, username: str, *, note: str | None = None) -> Queued:
        perms = self._require_staff("revoke badges")
        if perms.badges_enabled is False:
            raise ActionRefused("Badges are turned off on this community.")
        with self.cache.write() as conn:
            b = self._badge(conn, badge)
            u = self._user(conn, username)
            key = (int(u["id"]), int(b["id"]))
            ov = build_overlay(self._active(conn))
            grant = _one(
                conn,
                "SELECT id, granted_at FROM user_badges WHERE user_id = :u AND badge_id = :b "
                "AND gone_since IS NULL ORDER BY id DESC LIMIT 1",
                u=u["id"],
                b=b["id"],
            )
            if (grant is None or key in ov.revokes) and key not in ov.grants:
                raise ActionRefused(f"@{u['username']} does not hold “{b['name']}”.")
            payload = {
                "badge_id": int(b["id"]),
                "badge_name": b["name"],
                "multiple_grant": bool(b["multiple_grant"]),
                "user_id": int(u["id"]),
                "username": u["username"],
                "user_badge_id": int(grant["id"]) if grant is not None and key not in ov.grants else None,
            }
            pre = None
            if payload["user_badge_id"] is not None and grant is not None:
                # the grant's identity: a later grant of the same badge is a different award
                payload["granted_at"] = grant.get("granted_at")
                pre = {"user_badge_id": payload["user_badge_id"], "granted_at": grant.get("granted_at")}
            return self._enqueue(conn, "revoke_badge", f"badge:{b['id']}/user:{u['id']}", payload, pre, note)

    # ------------------------------------------------------------ groups and trust levels

    @_fetch_outside_txn
    def _group_change(self, kind: str, group: str | int, username: str, note: str | None) -> Queued:
        perms = self._require_staff("change group membership")
        with self.cache.write() as conn:
            g = self._group(conn, group)
            if g["automatic"]:
                raise ActionRefused(
                    f"“{g['name']}” is an automatic group: the community manages its members."
                )
            allowed = perms.can_manage_group(int(g["id"]), can_admin_group=g.get("can_admin_group"))
            if allowed is False:
                raise ActionRefused(
                    f"Your account cannot manage the group “{g['name']}” "
                    "(moderators may not manage groups on this site)."
                )
            u = self._user(conn, username)
            if kind == "add_group_member":
                self._check_member(u, "add them to a group")
            key = (int(g["id"]), int(u["id"]))
            ov = build_overlay(self._active(conn))
            member = (
                _one(
                    conn,
                    "SELECT 1 AS x FROM group_members WHERE group_id = :g AND user_id = :u "
                    "AND gone_since IS NULL",
                    g=g["id"],
                    u=u["id"],
                )
                is not None
            )
            member = (member or key in ov.group_adds) and key not in ov.group_removes
            if kind == "add_group_member" and member:
                raise ActionRefused(f"@{u['username']} is already a member of “{g['name']}”.")
            if kind == "remove_group_member" and not member:
                raise ActionRefused(f"@{u['username']} is not a member of “{g['name']}”.")
            payload = {
                "group_id": int(g["id"]),
                "group_name": g["name"],
                "user_id": int(u["id"]),
                "username": u["username"],
            }
            return self._enqueue(
                conn, kind, f"group:{g['id']}/user:{u['id']}", payload, {"member": member}, note
            )

    def add_group_member(self, group: str | int, username: str, *, note: str | None = None) -> Queued:
        return self._group_change("add_group_member", group, username, note)

    def remove_group_member(self, group: str | int, username: str, *, note: str | None = None) -> Queued:
        return self._group_change("remove_group_member", group, username, note)

    @_fetch_outside_txn
    def set_trust_level(self, username: str, level: int | str, *, note: str | None = None) -> Queued:
        self._require_staff("change trust levels")
        try:
            lvl = int(level)
        except (TypeError, ValueError):
            lvl = -1
        if not 0 <= lvl <= 4:
            raise ActionRefused(f"Trust level must be 0 (new user) to 4 (leader), not {level!r}.")
        with self.cache.write() as conn:
            u = self._user(conn, username)
            ov = build_overlay(self._active(conn))
            current = ov.trust_levels.get(int(u["id"]), u.get("trust_level"))
            if current == lvl:
                raise ActionRefused(
                    f"@{u['username']} is already at trust level {lvl} ({TRUST_LEVEL_NAMES[lvl]})."
                )
            payload = {"user_id": int(u["id"]), "username": u["username"], "level": lvl}
            return self._enqueue(
                conn,
                "set_trust_level",
                f"user:{u['id']}/tl",
                payload,
                {"trust_level": u.get("trust_level")},
                note,
            )

    # ------------------------------------------------------------ posting

    def create_topic(
        self, title: str, raw: str, *, category_id: int | None = None, note: str | None = None
    ) -> Queued:
        title, raw = (title or "").strip(), (raw or "").strip()
        if len(title) < 5:
            raise ActionRefused("The title is too short (at least 5 characters).")
        if len(raw) < 2:
            raise ActionRefused("The message is empty.")
        with self.cache.write() as conn:
            if (
                category_id is not None
                and _one(conn, "SELECT id FROM categories WHERE id = :c", c=category_id) is None
            ):
                raise ActionRefused(f"Category {category_id} is not known on this community.")
            payload = {"title": title, "raw": raw, "category_id": category_id}
            return self._enqueue(conn, "create_topic", f"newtopic:{title.lower()}", payload, None, note)

    @_fetch_outside_txn
    def reply(
        self,
        topic_id: int,
        raw: str,
        *,
        reply_to_post_number: int | None = None,
        note: str | None = None,
        whisper: bool = False,
    ) -> Queued:
        """Queue a reply (``whisper``: a staff-only note, ``post_type`` 4). Not idempotent on the
        server: the dispatcher sends it with a recognition token and reads back before any retry
        (:mod:`modconsole.connectors.discourse.actions`). Refused up front: an empty body, a whisper from an
        account the site does not let whisper, a closed or archived topic for a non-staff account
        (Guardian lets staff post there)."""
        raw = (raw or "").strip()
        if len(raw) < 2:
            raise ActionRefused("The reply is empty.")
        perms = self.permissions()
        if whisper and perms.whisperer is False:
            raise ActionRefused(
                f"Your account (@{self.me}) cannot post whispers on this community: only admins and "
                "members of its whisper groups can."
            )
        with self.cache.write() as conn:
            t = self._topic(conn, topic_id)
            if (t.get("closed") or t.get("archived")) and perms.staff is False:
                state = "closed" if t.get("closed") else "archived"
                raise ActionRefused(f"Topic {t['id']} “{t.get('title')}” is {state}: only staff can reply.")
            known = [
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM posts WHERE topic_id = :t AND username = :u COLLATE NOCASE"),
                    {"t": t["id"], "u": self.me},
                )
            ]
            payload = {
                "topic_id": int(t["id"]),
                "raw": raw,
                "reply_to_post_number": reply_to_post_number,
                "topic_title": t.get("title"),
                "known_post_ids": known,
            }
            if whisper:
                payload["whisper"] = True
            return self._enqueue(conn, "create_post", f"topic:{t['id']}", payload, None, note)

    @_fetch_outside_txn
    def like_post(self, post_id: int, *, note: str | None = None) -> Queued:
        with self.cache.write() as conn:
            p = self._post(conn, post_id)
            if str(p.get("username") or "").lower() == self.me.lower():
                raise ActionRefused("You cannot like your own post.")
            if build_overlay(self._active(conn)).is_pending("like_post", post_id=int(p["id"])):
                raise ActionRefused("This like is already queued.")
            payload = {
                "post_id": int(p["id"]),
                "topic_id": int(p["topic_id"]),
                "post_number": int(p["post_number"]),
            }
            return self._enqueue(conn, "like_post", f"post:{p['id']}/like", payload, None, note)

    @_fetch_outside_txn
    def close_topic(self, topic_id: int, *, note: str | None = None) -> Queued:
        self._require_staff("close topics")
        with self.cache.write() as conn:
            t = self._topic(conn, topic_id)
            if t.get("closed") or int(t["id"]) in build_overlay(self._active(conn)).closed_topics:
                raise ActionRefused(f"“{t.get('title')}” is already closed.")
            payload = {"topic_id": int(t["id"]), "topic_title": t.get("title")}
            return self._enqueue(conn, "close_topic", f"topic:{t['id']}", payload, None, note)

    # ------------------------------------------------------------ reading the queue

    def overlay(self) -> Overlay:
        """Pending intents (and delivered ones not yet re-read by a pull) to draw over the mirror."""
        with self.cache.read() as conn:
            return build_overlay(self._active(conn))

    def outbox(self, states: tuple[str, ...] | None = None) -> list[OutboxRow]:
        with self.cache.read() as conn:
            return store.rows(conn, states)

    def counts(self) -> dict[str, int]:
        with self.cache.read() as conn:
            return store.counts(conn)

    def get(self, op_uuid: str) -> OutboxRow | None:
        with self.cache.read() as conn:
            return store.get(conn, op_uuid)

    # ------------------------------------------------------------ push, resolve, audit

    def dispatcher(self) -> Dispatcher:
        """The delivery loop alone. Push through ``modconsole.outbox.policy.push_outbox``, which
        also re-reads what was delivered."""
        if self.client is None:
            raise ActionRefused("Not connected to the community: sign in to send queued actions.")
        my_id = self.permissions().user_id
        return Dispatcher(
            self.cache, self.client, me=self.me, my_user_id=my_id, options=self.options, actions=self.actions
        )

    def resolve(self, op_uuid: str, choice: str, note: str | None = None) -> Changes:
        """Record the moderator's choice for a conflict or failure: retry, apply_anyway or discard.

        ``retry`` on a waiting row (backing off after a 429, offline, read-only) makes it due now;
        the moderator's word also lifts this client's rate-limit pause, so the next push sends it
        (a server still limiting answers 429 again, and the row waits again)."""
        note = checked_note(note)
        with self.cache.write() as conn:
            row = store.resolve(conn, op_uuid, choice, note=note, decided_by=self.me)
        decided = (row.result.get("decisions") or [{}])[-1]
        if choice == "retry" and decided.get("from_state") == "pending" and self.client is not None:
            self.client.pacer.clear_pause()
        return store.changes_for(row.id, row.kind, row.payload)

    def export_audit_csv(self, path: str | Path, since: str | datetime | None = None) -> int:
        if isinstance(since, datetime):
            since = store.now_iso(since.astimezone(UTC))
        with self.cache.read() as conn:
            return store.write_audit_csv(conn, path, since)


def export_audit_csv(cache: Cache, path: str | Path, since: str | None = None) -> int:
    """The audit journal of every action as CSV (who, when, what, why, result, server response)."""
    with cache.read() as conn:
        return store.write_audit_csv(conn, path, since)


__all__ = [
    "TRUST_LEVEL_NAMES",
    "ActionRefused",
    "ModerationService",
    "Overlay",
    "PermissionDenied",
    "Queued",
    "build_overlay",
    "export_audit_csv",
]
