"""The demo community's MessageBus (CONTRACT-ADDITIONS §A5): ``POST /message-bus/{client_id}/poll``.

The form fields are ``<channel>=<last message id>``; the answer is a JSON array of
``{global_id, message_id, channel, data}``. A channel asked with ``-1`` (or with an id the bus
never reached) gets no backlog but a ``/__status`` message carrying the channel's current last id,
as MessageBus's ``Client#backlog`` does, so the client learns where to go on from. Without
``?dlp=t`` the poll is a long poll: when there is nothing to say the answer is held until a message
arrives or the hold (25 s in Discourse, :attr:`MessageBus.hold_seconds`) runs out, then ``[]``.

Channels served (the ones the contract names):

* ``/new`` and ``/latest`` (topic tracking): a new topic, a topic with new activity;
* ``/reviewable_counts/{user_id}`` (and the older ``/reviewable_counts``): ``{reviewable_count,
  unseen_reviewable_count}`` when the pending count changes — staff only, and only one's own id;
* ``/staff/topic-assignment`` (Assign): whatever the assign routes :meth:`MessageBus.publish`
  there — staff only.

Messages are not published from every route: the bus *observes* the store (new topic ids, newer
``bumped_at``, the pending reviewable count) after each write the server commits and before each
poll is answered, so routes, live mode and tests that write the store directly all reach it. The
poll is an ordinary authenticated request: it passes the key's rate limits like any other (one
unit of a user key's 20/min and 2,880/day per poll; the contract's budget trap).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from modconsole.demo.core import Ctx, error

if TYPE_CHECKING:
    from modconsole.demo.server import DemoServer

__all__ = ["DEFAULT_HOLD_SECONDS", "MessageBus", "register"]

DEFAULT_HOLD_SECONDS = 25.0
"""MessageBus's long-poll hold in Discourse (MB-INIT)."""
BACKLOG = 1000
"""Messages kept per channel (older ones fall off, as Redis backlogs do)."""
REVIEW = "/reviewable_counts"
ASSIGN = "/staff/topic-assignment"
STAFF_ONLY = (REVIEW, ASSIGN)
SCOPES = frozenset({"message_bus", "notifications", "write", "global"})
"""A user API key needs one of these scopes for the poll to see the user (UAKS)."""


@dataclass(frozen=True)
class _Message:
    global_id: int
    message_id: int
    channel: str
    data: Any


class MessageBus:
    """In-memory channels with backlogs, fed by observing the demo store."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.hold_seconds = DEFAULT_HOLD_SECONDS
        self._cond = threading.Condition()
        self._channels: dict[str, list[_Message]] = {}
        self._last: dict[str, int] = {}
        self._global = 0
        self._closed = False
        self._max_topic, self._bumped, self._review = self._state(con)

    # -- publishing

    def publish(self, channel: str, data: Any) -> int:
        """Add a message to ``channel``; wakes long polls. Returns its message id."""
        with self._cond:
            return self._publish_locked(channel, data)

    def last_id(self, channel: str) -> int:
        with self._cond:
            return self._last.get(channel, 0)

    def reopen(self) -> None:
        with self._cond:
            self._closed = False

    def close(self) -> None:
        """End every held poll (the server stops)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @staticmethod
    def _state(con: sqlite3.Connection) -> tuple[int, str, int]:
        max_topic, bumped = con.execute(
            "SELECT COALESCE(MAX(id), 0), COALESCE(MAX(bumped_at), '') FROM topics"
        ).fetchone()
        try:
            review = int(con.execute("SELECT COUNT(*) FROM reviewables WHERE status = 0").fetchone()[0])
        except sqlite3.OperationalError:  # a store without the review tables
            review = 0
        return int(max_topic), str(bumped), review

    def observe(self, con: sqlite3.Connection) -> None:
        """Publish what changed in the store since the last look."""
        with self._cond:
            max_topic, bumped, review = self._max_topic, self._bumped, self._review
        cols = "SELECT id, category_id, created_at, bumped_at, highest_post_number, archetype FROM topics"
        rows = con.execute(  # two indexed reads (an OR would scan the table)
            f"{cols} WHERE id > ? AND deleted_at IS NULL UNION "
            f"{cols} WHERE bumped_at > ? AND deleted_at IS NULL ORDER BY 4, 1",
            (max_topic, bumped),
        ).fetchall()
        _, _, now_review = self._state(con)
        with self._cond:
            if (max_topic, bumped, review) != (self._max_topic, self._bumped, self._review):
                return  # another thread looked meanwhile and published
            for r in rows:
                tid = int(r[0])
                payload = {
                    "topic_id": tid,
                    "category_id": r[1],
                    "created_at": r[2],
                    "bumped_at": r[3],
                    "highest_post_number": r[4],
                    "archetype": r[5],
                }
                if tid > max_topic and r[5] == "regular":
                    self._publish_locked(
                        "/new", {"topic_id": tid, "message_type": "new_topic", "payload": payload}
                    )
                self._publish_locked(
                    "/latest", {"topic_id": tid, "message_type": "latest", "payload": payload}
                )
                self._max_topic = max(self._max_topic, tid)
                self._bumped = max(self._bumped, str(r[3]))
            if now_review != review:
                self._review = now_review
                self._publish_locked(REVIEW, {"reviewable_count": now_review, "unseen_reviewable_count": 0})

    def _publish_locked(self, channel: str, data: Any) -> int:
        self._global += 1
        mid = self._last.get(channel, 0) + 1
        self._last[channel] = mid
        backlog = self._channels.setdefault(channel, [])
        backlog.append(_Message(self._global, mid, channel, data))
        del backlog[:-BACKLOG]
        self._cond.notify_all()
        return mid

    # -- reading

    def backlog(self, wanted: Mapping[str, tuple[str, int]]) -> list[dict[str, Any]]:
        """Messages after each asked id. ``wanted``: channel as asked → (bus channel, last id)."""
        out: list[dict[str, Any]] = []
        status: dict[str, int] = {}
        with self._cond:
            for asked, (channel, last) in wanted.items():
                top = self._last.get(channel, 0)
                if last < 0 or last > top:
                    status[asked] = top
                    continue
                for m in self._channels.get(channel, []):
                    if m.message_id > last:
                        out.append(
                            {
                                "global_id": m.global_id,
                                "message_id": m.message_id,
                                "channel": asked,
                                "data": m.data,
                            }
                        )
        out.sort(key=lambda m: int(m["global_id"]))
        if status:
            out.append({"global_id": -1, "message_id": -1, "channel": "/__status", "data": status})
        return out

    def wait(self, seconds: float, seen_global: int) -> bool:
        """Hold until a message newer than ``seen_global`` is published (True) or ``seconds`` pass."""
        end = time.monotonic() + seconds
        with self._cond:
            while self._global <= seen_global and not self._closed:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return not self._closed

    @property
    def global_id(self) -> int:
        with self._cond:
            return self._global


def _channels(ctx: Ctx) -> dict[str, tuple[str, int]]:
    """The subscriptions in the form (``<channel>=<id>``), each mapped to the bus channel it reads;
    channels this caller may not read are left out, as MessageBus's filters do."""
    staff = ctx.staff and _sees_user(ctx)
    out: dict[str, tuple[str, int]] = {}
    for name, value in ctx.body.items():
        if not name.startswith("/") or name.startswith("/__"):
            continue
        raw = value[0] if isinstance(value, list) and value else value
        try:
            last = int(str(raw))
        except ValueError:
            raise error(400, f"The position of {name} is not a number.", "invalid_parameters") from None
        channel = name
        if name.startswith(REVIEW + "/"):
            if not staff or name != f"{REVIEW}/{ctx.uid}":
                continue
            channel = REVIEW
        elif name in STAFF_ONLY and not staff:
            continue
        out[name] = (channel, last)
    return out


def _sees_user(ctx: Ctx) -> bool:
    """A user API key without a scope that lets the bus look the user up polls as anonymous."""
    if ctx.key_kind != "user":
        return ctx.user is not None
    return bool(SCOPES & set(ctx.scopes.split(",")))


def poll_route(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, client_id: str) -> Any:
    if not client_id or len(client_id) > 64:
        raise error(400, "A client id is needed.", "invalid_parameters")
    bus = s.message_bus
    wanted = _channels(ctx)
    seen = bus.global_id
    bus.observe(con)
    messages = bus.backlog(wanted)
    long_poll = (ctx.param("dlp") or "").lower() not in ("t", "true", "1")
    if messages or not long_poll or not wanted:
        return messages
    if con.in_transaction:
        con.rollback()
    seen = max(seen, bus.global_id)
    end = time.monotonic() + bus.hold_seconds
    while True:
        left = end - time.monotonic()
        if left <= 0 or not bus.wait(left, seen):
            return []
        bus.observe(con)
        messages = bus.backlog(wanted)
        if messages:
            return messages
        seen = bus.global_id


def register(route: Any) -> None:
    """Add the MessageBus routes to the demo server's table."""
    route("POST", "/message-bus/{client_id}/poll")(poll_route)
    route("GET", "/message-bus/{client_id}/poll")(poll_route)
