"""The pacer and retry policy on a fake clock: no real time passes in these tests."""

from __future__ import annotations

import itertools
import threading

import pytest

from modconsole.api.ratelimit import (
    DAY,
    MINUTE,
    Budget,
    Delivery,
    HostPacer,
    RetryPolicy,
    delivery_of,
    interruptible_sleep,
)
from modconsole.errors import (
    AuthError,
    Cancelled,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    Rejected,
    ServerUnavailable,
    UnexpectedPayload,
)
from tests.helpers.waits import WAIT_S


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float, cancel: object = None) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def pacer(budget: Budget) -> tuple[HostPacer, FakeClock]:
    clock = FakeClock()
    return HostPacer(budget, clock=clock, sleeper=clock.sleep), clock


def max_in_window(times: list[float], window: float) -> int:
    best = 0
    j = 0
    for i, t in enumerate(times):
        while times[j] <= t - window:
            j += 1
        best = max(best, i - j + 1)
    return best


def test_minute_budget_is_never_exceeded_in_any_sliding_window() -> None:
    p, clock = pacer(Budget(per_minute=20, margin=1.0))
    sent = []
    for _ in range(75):
        p.acquire()
        sent.append(clock.now)
    assert max_in_window(sent, MINUTE + 1.0) == 20
    # the first 20 go out at once (a burst within budget), the 21st waits for the window
    assert sent[19] == sent[0]
    assert sent[20] == pytest.approx(sent[0] + MINUTE + 1.0)


def test_day_budget_applies_on_top_of_the_minute_budget() -> None:
    p, clock = pacer(Budget(per_minute=20, per_day=50, margin=0.0))
    sent = []
    for _ in range(60):
        p.acquire()
        sent.append(clock.now)
    assert max_in_window(sent, DAY) == 50
    assert sent[50] >= sent[0] + DAY


def test_min_interval_spreads_requests() -> None:
    p, clock = pacer(Budget(per_minute=None, min_interval=2.5, margin=0.0))
    sent = []
    for _ in range(5):
        p.acquire()
        sent.append(clock.now)
    assert [b - a for a, b in itertools.pairwise(sent)] == [2.5] * 4


def test_presets_and_lowering() -> None:
    assert Budget.admin_key_limit().per_minute == 60
    assert (Budget.user_key_limit().per_minute, Budget.user_key_limit().per_day) == (20, 2880)
    assert Budget.admin_key().per_minute < 60
    user = Budget.user_key()
    assert user.per_minute is not None and user.per_minute < 20
    assert user.per_day is not None and user.per_day < 2880
    lowered = user.lowered(per_minute=5, per_day=100000)
    assert (lowered.per_minute, lowered.per_day) == (5, user.per_day)
    with pytest.raises(ValueError):
        Budget(per_minute=0)


def test_pause_holds_every_request_until_it_ends() -> None:
    p, clock = pacer(Budget.unlimited())
    p.acquire()
    start = clock.now
    p.pause_for(42.0, "admin_api_key_rate_limit")
    snap = p.snapshot()
    assert snap.paused_for == pytest.approx(42.0)
    assert snap.pause_reason == "admin_api_key_rate_limit"
    p.acquire()
    assert clock.now == pytest.approx(start + 42.0)
    assert p.snapshot().paused_for == 0
    assert p.snapshot().pause_reason is None


def test_a_shorter_pause_never_shortens_a_longer_one() -> None:
    p, _clock = pacer(Budget.unlimited())
    p.pause_for(100.0, "long")
    p.pause_for(5.0, "short")
    assert p.snapshot().paused_for == pytest.approx(100.0)
    assert p.snapshot().pause_reason == "long"


def test_acquire_with_max_wait_raises_rate_limited_instead_of_blocking() -> None:
    p, clock = pacer(Budget.unlimited())
    p.pause_for(3600.0, "user_api_key_limiter_1_day")
    with pytest.raises(RateLimited) as info:
        p.acquire(max_wait=60.0)
    assert info.value.retry_after == pytest.approx(3600.0)
    assert "daily" in info.value.user_message
    assert clock.sleeps == []
    assert p.snapshot().total_requests == 0


def test_snapshot_counts_usage_and_remaining() -> None:
    p, clock = pacer(Budget(per_minute=15, per_day=2400))
    for _ in range(4):
        p.acquire()
    clock.now += 30
    p.acquire()
    snap = p.snapshot()
    assert (snap.used_last_minute, snap.remaining_minute) == (5, 10)
    assert (snap.used_last_day, snap.remaining_day) == (5, 2395)
    clock.now += 45  # the first four left the minute window, the fifth has not
    snap = p.snapshot()
    assert (snap.used_last_minute, snap.used_last_day, snap.total_requests) == (1, 5, 5)


def test_cancel_while_waiting_raises_cancelled() -> None:
    p = HostPacer(Budget.unlimited())  # real clock and the real interruptible sleeper
    p.pause_for(600.0)
    cancel = threading.Event()
    timer = threading.Timer(0.05, cancel.set)
    timer.start()
    try:
        with pytest.raises(Cancelled):
            p.acquire(cancel)
    finally:
        timer.cancel()
        timer.join(WAIT_S)


def test_the_apps_cancel_token_cancels_a_pacer_wait() -> None:
    from modconsole.tasks import CancelToken

    p = HostPacer(Budget.unlimited())
    p.pause_for(600.0)
    token = CancelToken()
    timer = threading.Timer(0.05, token.cancel)
    timer.start()
    try:
        with pytest.raises(Cancelled):
            p.acquire(token)
    finally:
        timer.cancel()
        timer.join(WAIT_S)
    assert p.snapshot().total_requests == 0


def test_interruptible_sleep_with_a_plain_is_set_object() -> None:
    class Token:
        calls = 0

        def is_set(self) -> bool:
            self.calls += 1
            return self.calls > 2

    with pytest.raises(Cancelled):
        interruptible_sleep(30.0, Token())


def test_pacer_is_thread_safe() -> None:
    p, clock = pacer(Budget(per_minute=10, margin=0.0))
    lock = threading.Lock()
    # a fake clock shared by threads: guard its sleep so time only moves forward consistently
    original = clock.sleep

    def locked_sleep(seconds: float, cancel: object = None) -> None:
        with lock:
            original(seconds, cancel)

    p = HostPacer(Budget(per_minute=10, margin=0.0), clock=clock, sleeper=locked_sleep)
    stamps: list[float] = []

    def worker() -> None:
        for _ in range(10):
            p.acquire()
            with lock:
                stamps.append(clock.now)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(stamps) == 40
    assert p.snapshot().total_requests == 40
    assert max_in_window(sorted(stamps), MINUTE) <= 10


# ---------------------------------------------------------------- retry policy


def fixed(a: float, b: float) -> float:
    return b  # the top of the jitter range, so the cap is visible


def test_backoff_is_capped_exponential_with_full_jitter() -> None:
    policy = RetryPolicy(max_retries=10, base=1.0, cap=30.0)
    assert [policy.backoff(n, fixed) for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert policy.backoff(3, lambda a, b: a) == 0.0


@pytest.mark.parametrize(
    ("error", "get_retry"),
    [
        (ServerUnavailable("x", status=502), True),
        (NetworkError("x", error_type="read_timeout"), True),
        (NetworkError("x", error_type="connect_error"), True),
        (UnexpectedPayload("x", status=502), True),
        (AuthError("x", status=403), False),
        (PermissionDenied("x", status=403), False),
        (NotFound("x", status=404), False),
        (NotFound("x", status=410), False),
        (Rejected("x", status=422), False),
        (UnexpectedPayload("x", status=200), False),
    ],
)
def test_get_retry_decisions(error: Exception, get_retry: bool) -> None:
    policy = RetryPolicy()
    delay = policy.retry_delay("GET", error, 0)  # type: ignore[arg-type]
    assert (delay is not None) is get_retry


def test_writes_are_not_retried_on_ambiguous_failures() -> None:
    policy = RetryPolicy()
    for method in ("POST", "PUT", "DELETE"):
        assert policy.retry_delay(method, ServerUnavailable("x", status=500), 0) is None
        assert policy.retry_delay(method, NetworkError("x", error_type="read_timeout"), 0) is None
        assert policy.retry_delay(method, NetworkError("x", error_type="dropped"), 0) is None
        assert policy.retry_delay(method, UnexpectedPayload("x", status=200), 0) is None
        # surely not sent: safe to re-send
        assert policy.retry_delay(method, NetworkError("x", error_type="connect_error"), 0) is not None
        assert policy.retry_delay(method, RateLimited("x", retry_after=3.0), 0) == 0.0


def test_retry_cap_and_long_rate_limits() -> None:
    policy = RetryPolicy(max_retries=2, max_rate_limit_wait=60.0)
    err = ServerUnavailable("x", status=503)
    assert policy.retry_delay("GET", err, 1) is not None
    assert policy.retry_delay("GET", err, 2) is None
    assert policy.retry_delay("GET", RateLimited("x", retry_after=61.0), 0) is None


@pytest.mark.parametrize(
    ("error", "delivery"),
    [
        (RateLimited("x", retry_after=1.0), Delivery.NOT_SENT),
        (ServerUnavailable("x", status=503, error_type="read_only"), Delivery.NOT_SENT),
        (ServerUnavailable("x", status=500), Delivery.AMBIGUOUS),
        (NetworkError("x", error_type="connect_error"), Delivery.NOT_SENT),
        (NetworkError("x", error_type="connect_timeout"), Delivery.NOT_SENT),
        (NetworkError("x", error_type="pool_timeout"), Delivery.NOT_SENT),
        (NetworkError("x", error_type="read_timeout"), Delivery.AMBIGUOUS),
        (NetworkError("x", error_type="dropped"), Delivery.AMBIGUOUS),
        (NetworkError("x", error_type="deadline"), Delivery.AMBIGUOUS),
        (UnexpectedPayload("x", status=200), Delivery.AMBIGUOUS),
        (Rejected("x", status=422), Delivery.DELIVERED),
        (NotFound("x", status=404), Delivery.DELIVERED),
        (Cancelled("x"), Delivery.NOT_SENT),
    ],
)
def test_delivery_classification(error: Exception, delivery: Delivery) -> None:
    assert delivery_of(error) is delivery


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("999999999", 86_400.0),
        ("inf", 86_400.0),
        ("Thu, 01 Jan 2099 00:00:00 GMT", 86_400.0),
        ("-5", 0.0),
        ("12.5", 12.5),
        ("nan", None),
        ("Fri, 31 Dec 9999 23:59:59 GMT", 86_400.0),
    ],
)
def test_every_retry_after_is_bounded_by_one_clamp(header: str, expected: float | None) -> None:
    from modconsole.api.client import parse_retry_after
    from modconsole.api.ratelimit import MAX_WAIT, clamp_wait

    assert MAX_WAIT == 86_400.0 and clamp_wait(float("inf")) == MAX_WAIT
    assert parse_retry_after(header, now=1_700_000_000.0) == expected


def test_a_pause_asked_for_decades_holds_the_pacer_a_day_at_most() -> None:
    from modconsole.api.ratelimit import MAX_WAIT

    t = [1000.0]
    pacer = HostPacer(Budget.unlimited(), clock=lambda: t[0])
    pacer.pause_for(999_999_999.0, "rate_limit")
    assert pacer.delay() == MAX_WAIT
