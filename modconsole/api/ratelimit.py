"""HTTP politeness: the one module that decides *when* a request may go out and *whether* a
failed one is tried again.

After Picard's ``webservice/ratecontrol.py`` (a per-host minimum delay with exponential slow-down),
reshaped for Discourse, whose limits are hard sliding windows rather than congestion signals:

* **Pacing.** :class:`HostPacer` keeps a log of the send times of the last minute and day and
  lets a request out only while fewer than ``Budget.per_minute`` requests were sent in the last
  ``60 s + margin`` (and ``per_day`` in the last day), optionally no closer together than
  ``Budget.min_interval``. That is exactly the shape of Discourse's own limiter (a sliding window
  in Redis), so a client that obeys its budget never earns a 429.
* **Server pauses.** A 429 (``Retry-After`` / ``extras.wait_seconds``) or 503 read-only makes the
  *whole* pacer pause until the server's time is up: every thread that shares it waits.
* **Retries.** :class:`RetryPolicy` decides, per failure, whether to try again and after how
  long: capped exponential back-off with full jitter for idempotent requests (GET/HEAD) on 5xx,
  503 and transport errors; 429 (never processed by the server) is retried for every method
  after the server's wait; 4xx refusals are never retried; and a non-idempotent write whose
  outcome is *ambiguous* is never re-sent blindly — the caller (the outbox) verifies first.

Everything takes an injectable ``clock`` (monotonic seconds) and ``sleeper`` so tests run on a
fake clock, and every wait is cancellable through a ``threading.Event`` (``is_set()``) or the
app's ``modconsole.tasks.CancelToken`` (``cancelled``). All state sits behind one lock.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Protocol

from modconsole.errors import (
    ApiError,
    Cancelled,
    NetworkError,
    RateLimited,
    ServerUnavailable,
    UnexpectedPayload,
)

MINUTE = 60.0
DAY = 86_400.0

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

MAX_WAIT = DAY
"""The longest the console ever agrees to wait before trying something again: a day, the longest
window Discourse's own limits use (the per-day allowance). A server that asks for more (a
``Retry-After`` of 31 years, an HTTP-date in 2099) or a clock that jumped back is capped here."""


def clamp_wait(seconds: float) -> float:
    """The one bound on every wait: ``seconds`` within ``[0, MAX_WAIT]`` (infinity → ``MAX_WAIT``,
    NaN → 0). Every retry time the console stores or waits out passes through this function."""
    if math.isnan(seconds):
        return 0.0
    return min(max(0.0, float(seconds)), MAX_WAIT)


class EventLike(Protocol):
    """``threading.Event`` and friends."""

    def is_set(self) -> bool: ...


class TokenLike(Protocol):
    """``modconsole.tasks.CancelToken``: a ``cancelled`` property."""

    @property
    def cancelled(self) -> bool: ...


CancelLike = EventLike | TokenLike
"""What every wait accepts: a ``threading.Event`` or the app's ``CancelToken``."""


def is_cancelled(cancel: CancelLike | None) -> bool:
    if cancel is None:
        return False
    is_set = getattr(cancel, "is_set", None)
    if callable(is_set):
        return bool(is_set())
    flag = getattr(cancel, "cancelled", False)
    return bool(flag() if callable(flag) else flag)


Clock = Callable[[], float]
Sleeper = Callable[[float, "CancelLike | None"], None]


def interruptible_sleep(seconds: float, cancel: CancelLike | None = None) -> None:
    """Sleep ``seconds`` of real time, waking early (and raising :class:`Cancelled`) on cancel."""
    if seconds <= 0:
        if is_cancelled(cancel):
            raise Cancelled("Cancelled while waiting for the community's rate limit.")
        return
    if cancel is None:
        time.sleep(seconds)
        return
    wait = getattr(cancel, "wait", None)
    deadline = time.monotonic() + seconds
    while True:
        if is_cancelled(cancel):
            raise Cancelled("Cancelled while waiting for the community's rate limit.")
        left = deadline - time.monotonic()
        if left <= 0:
            return
        if callable(wait):
            wait(min(left, 0.5))
        else:
            time.sleep(min(left, 0.05))


# ---------------------------------------------------------------- budgets


@dataclass(frozen=True)
class Budget:
    """How many requests we allow ourselves. ``None`` means no limit on that window.

    ``margin`` widens the windows a little, so clock jitter and latency between us and the
    server never make the server count one request more in its own window than we did.
    """

    per_minute: int | None
    per_day: int | None = None
    min_interval: float = 0.0
    margin: float = 1.0

    def __post_init__(self) -> None:
        for name in ("per_minute", "per_day"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"Budget.{name} must be a positive integer or None, not {value!r}")
        if self.min_interval < 0 or self.margin < 0:
            raise ValueError("Budget.min_interval and Budget.margin must not be negative")

    # Discourse's own defaults (CONTRACT §2.1, §2.2, §8).
    @classmethod
    def admin_key_limit(cls) -> Budget:
        """The server limit for admin API keys: 60/min, shared by *all* admin keys of the site."""
        return cls(per_minute=60)

    @classmethod
    def user_key_limit(cls) -> Budget:
        """The server limit per user API key: 20/min and 2,880/day."""
        return cls(per_minute=20, per_day=2880)

    # What the console uses by default: below the server limit (SYNC §6.8).
    @classmethod
    def admin_key(cls) -> Budget:
        """Default pacing for an admin key: 50/min, leaving room for other admin-API users."""
        return cls(per_minute=50)

    @classmethod
    def user_key(cls) -> Budget:
        """Default pacing for a user API key: 15/min and 2,400/day."""
        return cls(per_minute=15, per_day=2400)

    # Vanilla's per-IP limits (vanilla CONTRACT §8, KB44): 300 GET and 120 writes a minute, and
    # more than 250 requests in 10 s may block the address until Support lifts it — never burst.
    @classmethod
    def vanilla_reads_limit(cls) -> Budget:
        return cls(per_minute=300)

    @classmethod
    def vanilla_writes_limit(cls) -> Budget:
        return cls(per_minute=120)

    @classmethod
    def vanilla_reads(cls) -> Budget:
        """Default pacing for Vanilla GETs: 250/min, at least 0.2 s apart (≤ 50 in any 10 s)."""
        return cls(per_minute=250, min_interval=0.2)

    @classmethod
    def vanilla_writes(cls) -> Budget:
        """Default pacing for Vanilla writes (POST/PUT/PATCH/DELETE): 100/min, 0.5 s apart."""
        return cls(per_minute=100, min_interval=0.5)

    @classmethod
    def unlimited(cls) -> Budget:
        return cls(per_minute=None, per_day=None, margin=0.0)

    def lowered(self, *, per_minute: int | None = None, per_day: int | None = None) -> Budget:
        """This budget capped further (a setting may only lower the preset, never raise it)."""

        def cap(current: int | None, new: int | None) -> int | None:
            if new is None:
                return current
            return new if current is None else min(current, new)

        return replace(self, per_minute=cap(self.per_minute, per_minute), per_day=cap(self.per_day, per_day))


@dataclass(frozen=True)
class PacerSnapshot:
    """What the status bar shows. Times are seconds; ``paused_for`` is how long the pause lasts."""

    budget: Budget
    used_last_minute: int
    used_last_day: int
    remaining_minute: int | None
    remaining_day: int | None
    paused_for: float
    pause_reason: str | None
    total_requests: int


class HostPacer:
    """Paces requests to one site under a :class:`Budget`. Thread-safe; share one per site."""

    def __init__(
        self,
        budget: Budget | None = None,
        *,
        clock: Clock = time.monotonic,
        sleeper: Sleeper = interruptible_sleep,
    ) -> None:
        self._budget = budget or Budget.unlimited()
        self._clock = clock
        self._sleeper = sleeper
        self._lock = threading.Lock()
        self._minute: deque[float] = deque()
        self._day: deque[float] = deque()
        self._last: float | None = None
        self._paused_until = float("-inf")
        self._pause_reason: str | None = None
        self._total = 0

    # -- configuration

    @property
    def budget(self) -> Budget:
        return self._budget

    def set_budget(self, budget: Budget) -> None:
        with self._lock:
            self._budget = budget

    # -- the gate

    def delay(self) -> float:
        """Seconds until the next request may go out (0 = now). Does not reserve anything."""
        with self._lock:
            return self._delay_locked(self._clock())

    def _delay_locked(self, now: float) -> float:
        b = self._budget
        self._expire(now)
        wait = max(0.0, self._paused_until - now)
        if b.per_minute is not None and len(self._minute) >= b.per_minute:
            oldest = self._minute[len(self._minute) - b.per_minute]
            wait = max(wait, oldest + MINUTE + b.margin - now)
        if b.per_day is not None and len(self._day) >= b.per_day:
            oldest = self._day[len(self._day) - b.per_day]
            wait = max(wait, oldest + DAY + b.margin - now)
        if b.min_interval and self._last is not None:
            wait = max(wait, self._last + b.min_interval - now)
        return wait

    def _expire(self, now: float) -> None:
        margin = self._budget.margin
        while self._minute and self._minute[0] <= now - MINUTE - margin:
            self._minute.popleft()
        while self._day and self._day[0] <= now - DAY - margin:
            self._day.popleft()

    def acquire(self, cancel: CancelLike | None = None, *, max_wait: float | None = None) -> float:
        """Block until a request may be sent, then count it as sent. Returns the seconds waited.

        Raises :class:`Cancelled` when ``cancel`` is set while waiting, and
        :class:`RateLimited` (without waiting) when the wait would exceed ``max_wait``.
        """
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                wait = self._delay_locked(now)
                if wait <= 0:
                    self._minute.append(now)
                    self._day.append(now)
                    self._last = now
                    self._total += 1
                    return waited
                reason = self._pause_reason if self._paused_until > now else None
            if max_wait is not None and waited + wait > max_wait:
                raise RateLimited(
                    _wait_message(wait, reason),
                    retry_after=wait,
                    code=reason,
                    detail="client-side budget",
                )
            if is_cancelled(cancel):
                raise Cancelled("Cancelled while waiting for the community's rate limit.")
            self._sleeper(wait, cancel)
            waited += wait

    # -- feedback from the server

    def pause_for(self, seconds: float, reason: str | None = None) -> None:
        """Hold every request for ``seconds`` (from a 429's Retry-After or a read-only 503)."""
        with self._lock:
            until = self._clock() + clamp_wait(seconds)
            if until > self._paused_until:
                self._paused_until = until
                self._pause_reason = reason

    def clear_pause(self) -> None:
        with self._lock:
            self._paused_until = float("-inf")
            self._pause_reason = None

    def snapshot(self) -> PacerSnapshot:
        with self._lock:
            now = self._clock()
            self._expire(now)
            b = self._budget
            in_minute = sum(1 for t in self._minute if t > now - MINUTE)
            in_day = len(self._day)
            paused = max(0.0, self._paused_until - now)
            return PacerSnapshot(
                budget=b,
                used_last_minute=in_minute,
                used_last_day=in_day,
                remaining_minute=None if b.per_minute is None else max(0, b.per_minute - in_minute),
                remaining_day=None if b.per_day is None else max(0, b.per_day - in_day),
                paused_for=paused,
                pause_reason=self._pause_reason if paused > 0 else None,
                total_requests=self._total,
            )


def human_span(seconds: float) -> str:
    """``"45 seconds"``, ``"3 minutes"``, ``"5.5 hours"``: for messages."""
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    if seconds >= 90:
        return f"{round(seconds / 60)} minutes"
    return f"{max(1, round(seconds))} seconds"


def _wait_message(seconds: float, reason: str | None) -> str:
    span = human_span(seconds)
    if reason and "day" in reason:
        return f"The daily request allowance for this key is used up; requests resume in about {span}."
    return f"The community asked us to slow down; requests resume in about {span}."


# ---------------------------------------------------------------- delivery and retries


class Delivery(Enum):
    """Whether a failed request may have changed anything on the server (SYNC §6.5)."""

    DELIVERED = "delivered"  # a definite answer came back (2xx, or a 4xx refusal)
    NOT_SENT = "not_sent"  # the server surely did not run the handler: connect error, 429, read-only
    AMBIGUOUS = "ambiguous"  # it may have: read timeout, dropped mid-response, 5xx, garbled 2xx


NOT_SENT_NETWORK_ERRORS = frozenset({"connect_error", "connect_timeout", "pool_timeout", "invalid_url"})
"""``NetworkError.error_type`` values for failures that happen before the request is written."""


def delivery_of(error: BaseException) -> Delivery:
    """Classify a failure raised by :class:`~modconsole.api.client.ApiClient`.

    * :class:`RateLimited`, 503 ``read_only``, and transport errors that happen before the
      request is written (connect/pool errors, DNS; see ``NOT_SENT_NETWORK_ERRORS``) →
      ``NOT_SENT``: safe to send again.
    * Other :class:`NetworkError` (read/write timeouts, dropped connection, the overall
      deadline), other 5xx, and an undecodable answer → ``AMBIGUOUS``: verify before re-sending.
    * Any other :class:`ApiError` is a definite refusal → ``DELIVERED``. Anything that is not
      an ``ApiError`` (cancelled before sending, a bug) → ``NOT_SENT``.
    """
    if isinstance(error, RateLimited):
        return Delivery.NOT_SENT
    if isinstance(error, ServerUnavailable):
        return Delivery.NOT_SENT if error.error_type == "read_only" else Delivery.AMBIGUOUS
    if isinstance(error, NetworkError):
        return Delivery.NOT_SENT if error.error_type in NOT_SENT_NETWORK_ERRORS else Delivery.AMBIGUOUS
    if isinstance(error, UnexpectedPayload):
        return Delivery.AMBIGUOUS
    if isinstance(error, ApiError):
        return Delivery.DELIVERED
    return Delivery.NOT_SENT


@dataclass(frozen=True)
class RetryPolicy:
    """When to try a request again, and how long to wait first.

    ``max_retries`` counts re-sends after the first attempt. Back-off for attempt *n* (0-based)
    is ``uniform(0, min(cap, base * 2**n))`` ("full jitter"). ``max_rate_limit_wait`` is the
    longest 429 wait the client sits out inside one call; a longer one is raised as
    :class:`RateLimited` so the caller can schedule it (e.g. the daily allowance is spent).
    """

    max_retries: int = 3
    base: float = 1.0
    cap: float = 30.0
    max_rate_limit_wait: float = 120.0

    def backoff(self, attempt: int, rng: Callable[[float, float], float] = random.uniform) -> float:
        return rng(0.0, min(self.cap, self.base * (2.0**attempt)))

    def retry_delay(
        self,
        method: str,
        error: ApiError,
        attempt: int,
        rng: Callable[[float, float], float] = random.uniform,
    ) -> float | None:
        """Seconds to wait before re-sending after ``error`` on attempt ``attempt`` (0-based),
        or ``None`` when the request must not be retried (the error goes to the caller)."""
        if attempt >= self.max_retries:
            return None
        if isinstance(error, NetworkError) and error.error_type == "deadline":
            return None  # a server that drips its answer drips again: one overall deadline, not four
        if isinstance(error, RateLimited):
            # Never reached the handler, so even writes are safe; the pacer itself holds the pause.
            return 0.0 if error.retry_after <= self.max_rate_limit_wait else None
        if method.upper() not in IDEMPOTENT_METHODS:
            # A write is re-sent only when it surely never arrived.
            if delivery_of(error) is Delivery.NOT_SENT and isinstance(error, NetworkError):
                return self.backoff(attempt, rng)
            return None
        if isinstance(error, ServerUnavailable | NetworkError):
            return self.backoff(attempt, rng)
        if isinstance(error, UnexpectedPayload) and error.status is not None and error.status >= 500:
            return self.backoff(attempt, rng)
        return None


__all__ = [
    "DAY",
    "IDEMPOTENT_METHODS",
    "MAX_WAIT",
    "MINUTE",
    "NOT_SENT_NETWORK_ERRORS",
    "Budget",
    "CancelLike",
    "Clock",
    "Delivery",
    "EventLike",
    "HostPacer",
    "PacerSnapshot",
    "RetryPolicy",
    "Sleeper",
    "TokenLike",
    "clamp_wait",
    "delivery_of",
    "human_span",
    "interruptible_sleep",
    "is_cancelled",
]
