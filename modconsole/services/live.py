"""Live counts between syncs (Qt-free): new flags, new questions, topics with new activity and
assignment changes reach the console without a full sync (issue #14.5, CONTRACT-ADDITIONS §A5).

**MessageBus or polling, decided from the contract's figures.** One MessageBus poll reads every
channel we need at once — ``/reviewable_counts/{me}``, ``/new``, ``/latest`` and
``/staff/topic-assignment`` — where cheap REST polling needs one request per thing (``/review/
count.json``, ``/latest.json``, the assigned list: three or more per round). So the poller uses
MessageBus. But **not** long-polling: the server holds a poll 25 s, ≈ 2.4 polls/min ≈ 3,456/day,
more than a user key's whole day (2,880) by itself. It polls with ``?dlp=t`` (answered at once) on
an interval chosen so live counts spend at most :data:`LIVE_SHARE_OF_DAY` (10 %) of the key's day
budget: 288 a day, i.e. one poll every 300 s, 12 an hour. An admin key has no day limit (60/min
shared by all admin keys): one poll a minute, ≈ 2 % of it.

It runs **only while the window is in front** (:meth:`LiveCountsPoller.set_active`; the UI tells
it), at most one poll per interval however often the window comes and goes, through the one
:class:`~modconsole.api.client.ApiClient` (its pacer and retry policy). Time is an input: the poller
asks ``now`` (default :func:`modconsole.clock.timestamp`) whether a poll is due, so a test drives
an hour in a loop with :meth:`LiveCountsPoller.tick`.

    poller = LiveCountsPoller(client, user_id=me_id, plan=LivePlan.for_key("user"), on_counts=show)
    poller.set_active(True)   # the window came to the front: a thread polls when due
    poller.mark_synced()      # a full sync ran: "new since the last sync" starts again
    poller.set_active(False)  # the window went to the back: the thread ends (joined)
    poller.stop()             # on close
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from modconsole import clock
from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.connectors.base import LiveFeed
from modconsole.connectors.registry import default_connector
from modconsole.connectors.types import BusMessage
from modconsole.errors import ApiError, Cancelled, InvalidInput

__all__ = [
    "ADMIN_INTERVAL_S",
    "LIVE_SHARE_OF_DAY",
    "USER_KEY_PER_DAY",
    "LiveCounts",
    "LiveCountsPoller",
    "LivePlan",
]

log = logging.getLogger("modconsole.live")

USER_KEY_PER_DAY = 2880
"""The server's day limit per user API key (CONTRACT §8: ``max_user_api_reqs_per_day``)."""
LIVE_SHARE_OF_DAY = 0.10
"""The share of a user key's day budget live counts may spend (the rest is the sync's and the outbox's)."""
ADMIN_INTERVAL_S = 60.0
"""An admin key: one poll a minute (the 60/min is shared by every admin key of the site)."""
JOIN_S = 30.0
"""How long stopping waits for a poll in flight (a ``dlp=t`` poll answers at once)."""

WAKE_S = 5.0
"""The thread looks at the clock at least this often (nothing is sent unless a poll is due)."""


def default_feed() -> LiveFeed:
    """The default platform's live channel (a poller built without one: tests, tools)."""
    feed = default_connector().live
    if feed is None:  # pragma: no cover - the default platform declares live counts
        raise InvalidInput("The default community platform offers no live counts.")
    return feed


@dataclass(frozen=True)
class LivePlan:
    """How live counts are read: MessageBus in polling mode (``dlp=t``) every ``interval_s``."""

    interval_s: float
    mode: Literal["message_bus"] = "message_bus"
    long_poll: bool = False

    @property
    def requests_per_hour(self) -> float:
        return 3600.0 / self.interval_s

    @classmethod
    def for_key(
        cls, kind: str, *, per_day: int = USER_KEY_PER_DAY, share: float = LIVE_SHARE_OF_DAY
    ) -> LivePlan:
        """The plan for a key kind (``"user"`` or ``"admin"``), from the contract's limits."""
        if kind == "admin":
            return cls(ADMIN_INTERVAL_S)
        polls_per_day = max(1, int(per_day * share))
        return cls(86400.0 / polls_per_day)


@dataclass(frozen=True)
class LiveCounts:
    """What changed on the community since the last sync, as far as the live channels told."""

    review: int | None = None
    """Pending review items, the server's own count (None: no change heard yet; the cache's count stands)."""
    new_topics: frozenset[int] = field(default_factory=frozenset)
    """Topics created since the last sync."""
    active_topics: frozenset[int] = field(default_factory=frozenset)
    """Topics with new activity (replies, edits) since the last sync, new ones included."""
    assignments: int = 0
    """Assignment changes since the last sync."""
    polls: int = 0
    """Polls sent so far (each is one request of the key's budget)."""
    polled_at: float | None = None
    error: str | None = None
    """The last poll's failure in words (None after a good poll)."""

    @property
    def new_count(self) -> int:
        return len(self.new_topics)


class LiveCountsPoller:
    """Polls the community's MessageBus for live counts while active; see the module docstring."""

    def __init__(
        self,
        client: ApiClient,
        *,
        user_id: int | None,
        plan: LivePlan,
        on_counts: Callable[[LiveCounts], None] | None = None,
        now: Callable[[], float] = clock.timestamp,
        client_id: str | None = None,
        staff: bool = True,
        feed: LiveFeed | None = None,
    ) -> None:
        self.client = client
        self.feed: LiveFeed = feed or default_feed()
        """The platform's live channel (``Capabilities.live_counts``; the default platform's)."""
        self.plan = plan
        self.on_counts = on_counts
        self._now = now
        self.client_id = client_id or uuid.uuid4().hex
        self._positions: dict[str, int] = {self.feed.new: -1, self.feed.latest: -1}
        self._review_channel: str | None = None
        if staff:
            self._positions[self.feed.assign] = -1
            if user_id is not None:
                self._review_channel = f"{self.feed.review}/{user_id}"
                self._positions[self._review_channel] = -1
        self._lock = threading.Lock()
        self._counts = LiveCounts()
        self._next_due: float | None = None
        self._account: Callable[[], tuple[int, bool] | None] | None = None
        self._active = False
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def for_account(
        cls,
        client: ApiClient,
        cache: Cache,
        username: str,
        *,
        on_counts: Callable[[LiveCounts], None] | None = None,
        feed: LiveFeed | None = None,
    ) -> LiveCountsPoller:
        """The poller for the signed-in account: the plan from the client's key kind; the account's
        id and staff flag read from the cache before a poll, once the first sync has brought them."""
        from sqlalchemy import text

        def account() -> tuple[int, bool] | None:
            with cache.read() as conn:
                row = conn.execute(
                    text("SELECT id, admin, moderator FROM users WHERE username = :u COLLATE NOCASE"),
                    {"u": username},
                ).first()
            return None if row is None else (int(row[0]), bool(row[1]) or bool(row[2]))

        creds = client.credentials
        poller = cls(
            client,
            user_id=None,
            plan=LivePlan.for_key(creds.kind if creds is not None else "user"),
            on_counts=on_counts,
            feed=feed,
        )
        poller._account = account
        return poller

    def _resolve_account(self) -> None:
        """Learn the account's id (for its review-count channel) and whether it is staff."""
        if self._account is None:
            return
        found = self._account()
        if found is None:
            return
        self._account = None
        user_id, staff = found
        if not staff:
            self._positions.pop(self.feed.assign, None)
            return
        self._review_channel = f"{self.feed.review}/{user_id}"
        self._positions.setdefault(self._review_channel, -1)

    # ------------------------------------------------------------ state

    @property
    def counts(self) -> LiveCounts:
        with self._lock:
            return self._counts

    @property
    def active(self) -> bool:
        return self._active

    @property
    def running(self) -> bool:
        t = self._thread
        return t is not None and t.is_alive()

    def due_in(self, now: float | None = None) -> float:
        """Seconds until the next poll is due (0: now)."""
        due = self._next_due
        if due is None:
            return 0.0
        t = self._now() if now is None else now
        return max(0.0, due - t)

    def mark_synced(self) -> LiveCounts:
        """A full sync ran: what it brought in is no longer "new since the last sync"."""
        with self._lock:
            self._counts = replace(
                self._counts, new_topics=frozenset(), active_topics=frozenset(), assignments=0
            )
            counts = self._counts
        self._emit(counts)
        return counts

    # ------------------------------------------------------------ one step (the test drives this)

    def tick(self, now: float | None = None, *, cancel: Any = None) -> bool:
        """Poll once if active and due at ``now``; True when a poll was sent.

        The first poll only learns where each channel stands (MessageBus answers ``-1`` with the
        positions, not the state); a staff account then asks the review count once
        (``GET /review/count.json``) and waits two intervals: every request is paid from the
        same budget, so an hour in front costs 12 requests whatever was asked."""
        t = self._now() if now is None else now
        if not self._active or self.due_in(t) > 0:
            return False
        self._next_due = t + self.plan.interval_s  # a failed poll waits too: never a burst
        try:
            self._resolve_account()
            messages = self.feed.poll(self.client, self.client_id, dict(self._positions), cancel=cancel)
            first_count: int | None = None
            if self._review_channel is not None and self.counts.review is None and self._positions_new():
                self._next_due = t + 2 * self.plan.interval_s
                first_count = self.feed.pending_review_count(self.client)
        except Cancelled:
            self._next_due = None
            return False
        except ApiError as exc:
            log.info("live counts poll failed: %s", exc.user_message)
            with self._lock:
                self._counts = replace(self._counts, polls=self._counts.polls + 1, error=exc.user_message)
                counts = self._counts
            self._emit(counts)
            return True
        counts = self.apply(messages, polled_at=t)
        if first_count is not None and counts.review is None:
            with self._lock:
                self._counts = counts = replace(self._counts, review=first_count)
        self._emit(counts)
        return True

    def _positions_new(self) -> bool:
        return self._review_channel is not None and self._positions.get(self._review_channel, -1) < 0

    def apply(self, messages: list[BusMessage], *, polled_at: float | None = None) -> LiveCounts:
        """Fold a poll's messages into the counts and the channel positions."""
        with self._lock:
            c = self._counts
            review, new, active, assign = c.review, set(c.new_topics), set(c.active_topics), c.assignments
            feed = self.feed
            for m in messages:
                if m.channel == feed.status_channel:
                    if isinstance(m.data, dict):
                        for channel, last in m.data.items():
                            if channel in self._positions and isinstance(last, int):
                                self._positions[channel] = last
                    continue
                if m.channel not in self._positions:
                    continue
                self._positions[m.channel] = max(self._positions[m.channel], m.message_id)
                data = m.data if isinstance(m.data, dict) else {}
                topic = data.get("topic_id")
                if m.channel == feed.new and isinstance(topic, int):
                    new.add(topic)
                    active.add(topic)
                elif m.channel == feed.latest and isinstance(topic, int):
                    active.add(topic)
                elif m.channel == feed.assign:
                    assign += 1
                elif m.channel.startswith(feed.review) and isinstance(data.get("reviewable_count"), int):
                    review = int(data["reviewable_count"])
            self._counts = LiveCounts(
                review=review,
                new_topics=frozenset(new),
                active_topics=frozenset(active),
                assignments=assign,
                polls=c.polls + 1,
                polled_at=polled_at if polled_at is not None else c.polled_at,
                error=None,
            )
            return self._counts

    def _emit(self, counts: LiveCounts) -> None:
        if self.on_counts is not None:
            try:
                self.on_counts(counts)
            except Exception:  # a listener's bug must not end the poller
                log.exception("live counts listener failed")

    # ------------------------------------------------------------ the thread

    def set_active(self, active: bool, *, thread: bool = True) -> None:
        """The window came to the front (a thread polls when due) or went behind (the thread ends).
        ``thread=False``: no thread; whoever drives :meth:`tick` (a test, a headless loop) polls."""
        if active == self._active:
            return
        self._active = active
        if not thread:
            return
        if active:
            self._start_thread()
        else:
            self._stop_thread()

    def stop(self) -> None:
        """Stop for good (the window closes): no thread is left running."""
        self._active = False
        self._stop_thread()

    def _start_thread(self) -> None:
        self._stop_thread()
        stop = threading.Event()
        self._stop = stop
        self._thread = threading.Thread(target=self._run, args=(stop,), name="live-counts", daemon=True)
        self._thread.start()

    def _stop_thread(self) -> None:
        self._stop.set()
        self._wake.set()
        t, self._thread = self._thread, None
        if t is not None and t is not threading.current_thread():
            t.join(JOIN_S)
        self._wake = threading.Event()

    def _run(self, stop: threading.Event) -> None:
        wake = self._wake
        while not stop.is_set():
            try:
                self.tick(cancel=stop)
            except Exception:  # a bug: log it, keep the window usable, try again next interval
                log.exception("live counts poll crashed")
            # look again at least every WAKE_S: a clock that jumps (suspend, a test clock) is noticed
            wake.wait(min(WAKE_S, max(0.5, self.due_in())))
