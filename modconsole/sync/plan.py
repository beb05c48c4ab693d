"""Plan a sync by the day, not only the minute (issue 13.4). Qt-free.

Discourse limits a user API key to ``max_user_api_reqs_per_minute`` (20) **and**
``max_user_api_reqs_per_day`` (2,880) requests (CONTRACT §2.2, §8). Both are *sliding windows* in
Redis (``RateLimiter``): "today" as Discourse counts it is **the last 24 hours**, not a calendar
day, so this module counts the same way (on the one clock, :func:`modconsole.clock.timestamp`).
An admin key has a minute limit only (shared by the site's admin keys).

* :class:`DayLedger` — the requests this key spent in the last 24 hours, by minute, persisted in
  the cache (one cache per site and account, i.e. per key) so a restarted app knows what is left.
  Each process *adds* its requests to the cache's ``day_ledger`` rows and reads the sums back, so
  the app and a ``modconsole sync`` in a terminal spending the same key's day both count.
* :data:`DAY_RESERVE` — requests a day the sync leaves for the console's own actions (a push of
  the outbox and the re-reads after it, opening a badge's holders): a setting, default 240.
* :class:`SyncPlan` — one run's planner. The engine calls :meth:`SyncPlan.before_request` before
  every request it sends (its one retry helper) and passes every progress report through
  :meth:`SyncPlan.progress`. Before a request the plan books what the client sent since the last
  look; when the sync's share of the day is spent it raises :class:`DayBudgetSpent` (a
  :class:`~modconsole.errors.Cancelled`: the engine keeps every committed page and its cursor, so
  the next run resumes where this one stopped, without repeating work). The engine turns it into a
  report that is not finished and says when the day's allowance frees again.
* :class:`SyncProgress` — the immutable value the plan emits: stage, the stage's counts, requests
  of this run, requests left today for the sync, the cost of the work left, ETA, the phase
  (open questions, recent months, history) and, once stopped, when it resumes.

The order of the work is the engine's (SYNC.md §6.9): the open-questions queue first; the
``/posts.json`` tail then walks newest first, so recent months arrive before history (the phase
says which: posts younger than :data:`RECENT_DAYS` are "recent").

Costs are estimated from counts the first requests reveal: ``/site.json``'s categories carry the
topic counts, the tail's first page its highest post id (the cursor keeps it), a list's
pages so far; what a stage cannot know before it runs (reconcile's re-reads, the users list)
is a small share of the whole, estimated from the same counts.
"""

from __future__ import annotations

import math
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from modconsole import clock, settings
from modconsole.connectors.sync_run import SyncProgress  # every platform's sync reports it
from modconsole.errors import Cancelled, InvalidInput
from modconsole.tasks import Progress, ProgressCallback

if TYPE_CHECKING:
    from modconsole.api.client import ApiClient
    from modconsole.cache.db import Cache

__all__ = [
    "DAY",
    "DAY_RESERVE",
    "DEFAULT_DAY_RESERVE",
    "RECENT_DAYS",
    "DayBudgetSpent",
    "DayLedger",
    "SyncPlan",
    "SyncProgress",
    "estimate_costs",
    "simulate_wall_time",
]

DAY = 86_400.0
"""Discourse's day window: a sliding 24 hours (``RateLimiter``), not a calendar day."""

DEFAULT_DAY_RESERVE = 240
"""Requests a day kept for the console's own actions: 10 % of the 2,400 a day the console allows a
user key by default (``Budget.user_key``) — about a hundred moderation actions with the re-read
each one costs after its push."""

RECENT_DAYS = 90
"""Posts younger than this are "recent months"; older ones are "history"."""

POSTS_PER_TOPIC = 10
"""Before the posts tail names its highest post id, posts are estimated at this many a topic."""

CLOSING = ("activity", "reconcile", "users", "badges", "groups", "reports")
"""The stages after the posts, in the engine's order."""

PERSIST_EVERY = 20
"""The ledger is added to the cache after at most this many new requests (and at the end)."""

NEAR_END = 100
"""With at most this many requests of the day's share left, every request is added to the cache's
ledger at once: another process spending the same key then sees it before its next request."""


# ---------------------------------------------------------------- settings


def _reserve_decode(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("The day reserve must be a whole number of requests.")
    _reserve_check(value)
    return value


def _reserve_check(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise InvalidInput(f"The day reserve must be between 0 and 100000 requests, not {value!r}.")


def _int_same(value: int) -> Any:
    return value


def _reserve_default() -> int:
    return DEFAULT_DAY_RESERVE


DAY_RESERVE: settings.Key[int] = settings.key(
    "sync.day_reserve",
    "Requests a day the sync leaves for the console's own actions (pushes, re-reads, opening a "
    "badge) when the key has a day limit (a user API key: 2,880/day). Default 240.",
    _reserve_default,
    _reserve_decode,
    _int_same,
    _reserve_check,
)


# ---------------------------------------------------------------- the ledger


class DayLedger:
    """Requests sent in the last 24 hours, bucketed by minute (at most 1,441 buckets).

    Persisted in the cache's ``day_ledger`` table, shared by every process that spends this key's
    day (the app, a ``modconsole sync`` in a terminal): :meth:`save` *adds* the requests recorded
    since the last save (one upsert that increments each minute's row, in the cache's one write
    transaction) and reads the sum of all of them back, so :meth:`used` counts the other
    processes' requests too. It never writes the whole ledger over another process's counts."""

    def __init__(self, minutes: Mapping[int, int] | None = None) -> None:
        self._minutes: dict[int, int] = dict(minutes or {})
        self._pending: dict[int, int] = {}
        """Recorded here, not yet added to the cache's ledger."""

    @classmethod
    def read(cls, conn: Connection) -> DayLedger:
        return cls(_stored_minutes(conn))

    @classmethod
    def load(cls, cache: Cache) -> DayLedger:
        with cache.read() as conn:
            return cls.read(conn)

    def save(self, cache: Cache, now: float | None = None) -> None:
        """Add what was recorded since the last save to the cache's ledger and take its sums back
        (the other processes' requests included); minutes that left the day are dropped."""
        oldest = int(((clock.timestamp() if now is None else now) - DAY) // 60)
        pending = [{"m": m, "n": n} for m, n in sorted(self._pending.items()) if n > 0]
        with cache.write() as conn:
            if pending:
                conn.execute(
                    text(
                        "INSERT INTO day_ledger (minute, requests) VALUES (:m, :n) "
                        "ON CONFLICT (minute) DO UPDATE SET requests = requests + excluded.requests"
                    ),
                    pending,
                )
            conn.execute(text("DELETE FROM day_ledger WHERE minute < :o"), {"o": oldest})
            self._minutes = _stored_minutes(conn)
        self._pending.clear()

    def refresh(self, cache: Cache) -> None:
        """Take the cache's sums back (the other processes' requests), keeping what is unsaved here."""
        with cache.read() as conn:
            minutes = _stored_minutes(conn)
        for m, n in self._pending.items():
            minutes[m] = minutes.get(m, 0) + n
        self._minutes = minutes

    def record(self, n: int, at: float) -> None:
        if n > 0:
            minute = int(at // 60)
            self._minutes[minute] = self._minutes.get(minute, 0) + n
            self._pending[minute] = self._pending.get(minute, 0) + n

    def used(self, now: float) -> int:
        """Requests in the 24 hours before ``now`` (a whole minute counts until it all left the
        window: never fewer than the server counts)."""
        oldest = int((now - DAY) // 60)
        return sum(n for m, n in self._minutes.items() if m >= oldest)

    def frees_at(self, now: float, allowance: int, need: int = 1) -> float:
        """When at most ``allowance - need`` requests are left in the window (``now`` if already)."""
        over = self.used(now) - (allowance - need)
        if over <= 0:
            return now
        oldest = int((now - DAY) // 60)
        for m in sorted(k for k in self._minutes if k >= oldest):
            over -= self._minutes[m]
            if over <= 0:
                return max(now, (m + 1) * 60 + DAY)
        return now + DAY

    def __len__(self) -> int:
        return sum(self._minutes.values())


def _stored_minutes(conn: Connection) -> dict[int, int]:
    rows = conn.execute(text("SELECT minute, requests FROM day_ledger"))
    return {int(m): int(n) for m, n in rows}


# ---------------------------------------------------------------- the progress value


class DayBudgetSpent(Cancelled):
    """The sync's share of the key's day is spent; committed work is kept, the next run resumes."""

    def __init__(self, resumes_at: datetime, used: int, limit: int) -> None:
        self.resumes_at = resumes_at
        self.used = used
        self.limit = limit
        super().__init__(
            f"Today's requests for the sync are spent ({used} of {limit} in the last 24 hours); "
            f"it resumes at {resumes_at.strftime('%Y-%m-%d %H:%M')} UTC."
        )


def resume_line(resumes_at: datetime) -> str:
    """The one line a stopped sync shows."""
    return (
        "sync: the key's day budget is spent; it resumes at "
        f"{resumes_at.astimezone(UTC).strftime('%Y-%m-%d %H:%M')} UTC (run 'modconsole sync' then)"
    )


# ---------------------------------------------------------------- costs


@dataclass(frozen=True)
class Counts:
    """What the cache and its cursors tell about the site and the work done."""

    topics: int = 0
    posts: int = 0
    users: int = 0
    groups: int = 0
    reports: int = 0
    posts_target: int | None = None
    """The tail's highest post id (from its first page)."""
    posts_next: int | None = None
    """Where the tail goes on (``before``), ``None`` when no walk is open."""
    posts_floor: int = 0
    posts_done: bool = False
    listing_pages: int | None = None
    listing_done: bool = False
    queue_done: bool = False
    site_done: bool = False
    first_sync: bool = True
    bulk: bool = False


def estimate_costs(c: Counts) -> dict[str, int]:
    """Requests left per stage of a first sync (or its resumption). ``bulk``: the Data Explorer
    mirror reads topics, posts, grants and members 10,000 rows a run."""
    out: dict[str, int] = {}
    if not c.first_sync:
        return {"incremental": 3}
    if not c.site_done:
        out["site"] = 2
    if c.bulk:
        if not c.posts_done:
            out["bulk"] = (
                4
                + math.ceil(c.topics / 10_000)
                + math.ceil(c.posts / 10_000)
                + math.ceil(max(c.users, c.posts // 50) / 10_000)
                + 2
            )
    else:
        if not c.queue_done:
            out["queue"] = max(1, math.ceil(c.topics * 0.2 / 100))
        if not c.listing_done:
            pages = math.ceil(c.topics / 100) + 1
            out["topics"] = max(1, pages - (c.listing_pages or 0))
        if not c.posts_done:
            if c.posts_target is not None and c.posts_next is not None:
                out["posts"] = max(1, math.ceil(max(0, c.posts_next - c.posts_floor) / 50))
            else:
                out["posts"] = max(1, math.ceil(c.posts / 50))
    if not c.posts_done:
        out["activity"] = 2
        # REST: topics whose posts the tail never shows (unlisted, hidden posts); bulk reads them
        out["reconcile"] = math.ceil(c.topics * (0.0005 if c.bulk else 0.005))
    users = max(c.users, c.posts // 50)
    out["users"] = 2 if c.bulk else math.ceil(users / 100) + 1
    out["badges"] = 3
    out["groups"] = 1 + c.groups
    out["reports"] = c.reports
    return out


def _counts(conn: Connection, reports: int, bulk: bool) -> Counts:
    from modconsole.cache import repo

    def cursor(name: str) -> repo.CursorState | None:
        return repo.get_cursor(conn, name)

    def done(cur: repo.CursorState | None) -> bool:
        return cur is not None and cur.last_complete_pass_at is not None and cur.pass_id is None

    topics = int(conn.execute(text("SELECT sum(topic_count) FROM categories")).scalar() or 0)
    users = int(conn.execute(text("SELECT count(*) FROM users")).scalar() or 0)
    groups = int(conn.execute(text("SELECT count(*) FROM groups")).scalar() or 0)
    rescan = cursor("rescan")
    tail = cursor("posts:latest")
    listing = cursor("topics:listing")
    pages: int | None = None
    if listing is not None and listing.pass_page_token:
        a, _, b = listing.pass_page_token.partition(":")
        try:
            pages = int(b) if b else int(a)
        except ValueError:
            pages = None
    # the tail's first page names the highest post id (ids are dense enough: deleted posts leave
    # gaps a page steps over); before it, a topic's ten posts (the demo's and a support forum's mean)
    posts = tail.pass_target_id if tail is not None and tail.pass_target_id else topics * POSTS_PER_TOPIC
    next_before: int | None = None
    floor = 0
    if tail is not None and tail.pass_id is not None:
        next_before = int(tail.pass_page_token) if tail.pass_page_token else tail.pass_target_id
        floor = 0 if tail.pass_target_value == "full" else int(tail.hw_id or 0)
    return Counts(
        topics=topics,
        posts=posts,
        users=users,
        groups=groups,
        reports=reports,
        posts_target=tail.pass_target_id if tail is not None else None,
        posts_next=next_before,
        posts_floor=floor,
        posts_done=done(tail),
        listing_pages=pages,
        listing_done=done(listing),
        queue_done=done(cursor("topics:queue")),
        site_done=done(cursor("site")) or topics > 0,
        first_sync=rescan is None or rescan.last_full_rescan_at is None,
        bulk=bulk,
    )


# ---------------------------------------------------------------- the plan

_BOOKED: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
"""Per client: how many of its requests are in a day ledger already (each is booked once, whichever
engine or run of the process looks)."""


class SyncPlan:
    """One run's planner: the day ledger, the sync's share of the day, costs, ETA, progress.

    ``wall`` is the one clock (epoch seconds); ``monotonic`` measures this run's request rate."""

    def __init__(
        self,
        client: ApiClient,
        cache: Cache,
        *,
        reports: int = 0,
        bulk: bool = False,
        wall: Callable[[], float] = clock.timestamp,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._cache = cache
        self._wall = wall
        self._mono = monotonic
        self._reports = reports
        self._bulk_allowed = bulk
        self._bulk = False
        budget = client.pacer.budget
        self.per_minute = budget.per_minute
        with cache.read() as conn:
            self.reserve = settings.get(conn, DAY_RESERVE)
            self.ledger = DayLedger.read(conn)
        self.day_limit = None if budget.per_day is None else max(1, budget.per_day - self.reserve)
        sent = client.stats().requests_sent
        self._base = sent
        # requests the client sent before this run (the key check, pushes and re-reads between
        # runs) go into the day ledger now: they spent the key's day as well
        self._seen = min(_BOOKED.get(client, 0), sent)
        self._unsaved = 0
        self._started = monotonic()
        self._costs: dict[str, int] | None = None
        self._costs_at = -1
        self._costs_stage = ""
        self._phase = ""
        self._history_to: str | None = None
        self._resumes_at: datetime | None = None

    # -- bookkeeping

    def observe(self) -> int:
        """Book the requests the client sent since the last look; returns the new ones."""
        sent = self._client.stats().requests_sent
        new = sent - self._seen
        if new > 0:
            self._seen = sent
            _BOOKED[self._client] = sent
            self.ledger.record(new, self._wall())
            self._unsaved += new
            near_end = (
                self.day_limit is not None and self.day_limit - self.ledger.used(self._wall()) <= NEAR_END
            )
            if self._unsaved >= PERSIST_EVERY or near_end:
                self.save()
        return max(0, new)

    def save(self) -> None:
        self.ledger.save(self._cache, self._wall())
        self._unsaved = 0

    def left_today(self) -> int | None:
        if self.day_limit is None:
            return None
        return max(0, self.day_limit - self.ledger.used(self._wall()))

    def before_request(self) -> None:
        """Called before each request: raises :class:`DayBudgetSpent` when the sync's share of the
        key's day is spent (nothing is sent; the next run resumes at the cursors)."""
        saved = self.observe() > 0 and self._unsaved == 0
        if self.day_limit is None:
            return
        now = self._wall()
        used = self.ledger.used(now)
        if used >= self.day_limit - NEAR_END and not saved:
            # near the end of the day's share another process's requests matter: look at the sums
            self.ledger.refresh(self._cache)
            used = self.ledger.used(now)
        if used < self.day_limit:
            return
        self.save()  # what this run sent is in the cache; the sums there are the truth
        used = self.ledger.used(now)
        if used < self.day_limit:  # a minute left the day meanwhile
            return
        at = datetime.fromtimestamp(self.ledger.frees_at(now, self.day_limit), UTC)
        self._resumes_at = at
        raise DayBudgetSpent(at, used, self.day_limit)

    @property
    def seen(self) -> int:
        """The client's request count booked so far."""
        return self._seen

    @property
    def resumes_at(self) -> datetime | None:
        return self._resumes_at

    # -- costs and ETA

    def costs(self, stage: str = "") -> dict[str, int]:
        """Estimated requests left per stage (recomputed at each stage and every 10 requests)."""
        sent = self._seen - self._base
        if self._costs is None or sent - self._costs_at >= 10 or stage != self._costs_stage:
            self._costs_stage = stage
            with self._cache.read() as conn:
                self._costs = estimate_costs(_counts(conn, self._reports, self._bulk))
            self._costs_at = sent
        return dict(self._costs)

    def eta(self, cost: int) -> float | None:
        """Seconds to send ``cost`` more requests: this run's rate (or the minute budget, whichever
        is slower) within each day's share, waiting for the window to free between days."""
        sent = self._seen - self._base
        elapsed = max(1e-6, self._mono() - self._started)
        rates = []
        if self.per_minute is not None:
            rates.append(self.per_minute / 60.0)
        if sent >= 5:
            rates.append(sent / elapsed)
        if not rates:
            return None
        rate = min(rates)
        if cost <= 0:
            return 0.0
        if self.day_limit is None:
            return cost / rate
        left = self.left_today() or 0
        if cost <= left:
            return cost / rate
        now = self._wall()
        seconds = left / rate
        rest = cost - left
        first_free = self.ledger.frees_at(now, self.day_limit, need=min(rest, self.day_limit))
        seconds = max(seconds, first_free - now)
        days = math.ceil(rest / self.day_limit)
        return seconds + (days - 1) * DAY + (rest - (days - 1) * self.day_limit) / rate

    # -- progress

    def progress(self, p: Progress) -> SyncProgress:
        """``p`` with the plan's figures (phase, left today, cost left, ETA)."""
        self.observe()
        if p.stage == "bulk":
            self._bulk = self._bulk_allowed
        if p.stage == "queue":
            self._phase = "queue"
        elif p.stage in ("topics", "bulk"):
            self._phase = ""  # every topic's metadata (or the bulk mirror): no phase of its own
        elif p.stage == "posts":
            self._phase = self._posts_phase()
        elif p.stage in ("users", "badges", "groups", "reports"):
            self._phase = "rest"
        costs = self.costs(p.stage)
        if p.stage in CLOSING:  # the closing stages run in this order and keep no cursor of a pass
            for passed in CLOSING[: CLOSING.index(p.stage)]:
                costs.pop(passed, None)
            if p.total is not None and p.stage != "users":  # one request a unit
                costs[p.stage] = max(0, p.total - p.done)
        cost = sum(costs.values())
        return SyncProgress(
            stage=p.stage,
            done=p.done,
            total=p.total,
            requests=p.requests,
            message=p.message,
            changes=p.changes,  # what the run wrote so far: the dashboard follows it live
            phase=self._phase,
            day_limit=self.day_limit,
            left_today=self.left_today(),
            cost_left=cost,
            stage_costs=tuple(costs.items()),
            eta_seconds=self.eta(cost),
            resumes_at=self._resumes_at,
            history_to=self._history_to,
        )

    def stopped(self, stage: str, requests: int) -> SyncProgress:
        """The last report of a run stopped for the day."""
        costs = self.costs()
        cost = sum(costs.values())
        return SyncProgress(
            stage=stage,
            requests=requests,
            message="day budget spent",
            phase=self._phase,
            day_limit=self.day_limit,
            left_today=self.left_today(),
            cost_left=cost,
            stage_costs=tuple(costs.items()),
            eta_seconds=self.eta(cost),
            resumes_at=self._resumes_at,
            history_to=self._history_to,
        )

    def _posts_phase(self) -> str:
        """Recent months or history: how far back the tail (newest first) has come."""
        from modconsole.cache import repo

        with self._cache.read() as conn:
            tail = repo.get_cursor(conn, "posts:latest")
            if tail is None or tail.pass_id is None or not tail.pass_page_token:
                return "recent"  # the walk starts at the newest post
            oldest = conn.execute(
                text("SELECT created_at FROM posts WHERE id > :b ORDER BY id LIMIT 1"),
                {"b": int(tail.pass_page_token)},
            ).scalar()
        if not isinstance(oldest, str) or len(oldest) < 10:
            return "recent"
        self._history_to = oldest[:7]
        try:
            when = datetime.fromisoformat(oldest.replace("Z", "+00:00"))
        except ValueError:
            return "recent"
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        age = (clock.now() - when).total_seconds()
        return "recent" if age <= RECENT_DAYS * DAY else "history"


def wrap(plan: SyncPlan, forward: ProgressCallback) -> ProgressCallback:
    """A progress callback that enriches each report through ``plan`` before ``forward``."""

    def call(p: Progress) -> None:
        forward(plan.progress(p))

    return call


# ---------------------------------------------------------------- the figure


def simulate_wall_time(
    requests: int,
    *,
    per_minute: int | None,
    per_day: int | None = None,
    reserve: int = 0,
    spacing: float = 0.0,
    spaced: int = 0,
) -> float:
    """Seconds the rate limits alone impose on ``requests`` requests sent as fast as allowed, through
    the console's own pacer (:class:`~modconsole.api.ratelimit.HostPacer`) on a simulated clock.

    ``per_day - reserve`` is the sync's share of a day (the reserve stays unspent). ``spaced`` of the
    requests (Data Explorer runs) must also be ``spacing`` seconds apart (the site-wide run limit).
    Server and transfer time are not included: a figure of the limits, not of the machine."""
    from modconsole.api.ratelimit import Budget, HostPacer

    now = [0.0]

    def fake_clock() -> float:
        return now[0]

    def fake_sleep(seconds: float, _cancel: object = None) -> None:
        now[0] += max(seconds, 1e-3)

    share = None if per_day is None else max(1, per_day - reserve)
    pacer = HostPacer(
        Budget(per_minute=per_minute, per_day=share, margin=0.0), clock=fake_clock, sleeper=fake_sleep
    )
    last_spaced: float | None = None
    for i in range(requests):
        if i < spaced and last_spaced is not None and now[0] < last_spaced + spacing:
            now[0] = last_spaced + spacing
        pacer.acquire()
        if i < spaced:
            last_spaced = now[0]
    return now[0]
