"""The one clock: every "now" in modconsole (the core, the demo community and the UI) comes from here.

Time is an input. In production the clock is the system's; tests (and a demo run pinned to a
date) set it so that the console and the demo community agree on "now" whatever the date on the
machine is. The clock keeps ticking at the wall clock's pace from the instant it was set to, so
intervals (leases, heartbeats, ordering of writes, back-off) behave as they do in real use.

``MODCONSOLE_NOW`` sets it for a whole process at import time: an ISO-8601 instant
(``2026-11-01T13:00:00Z``: "now" is that instant when the process starts), or ``INSTANT@EPOCH``
("now" was INSTANT when the system clock read EPOCH seconds), the form :func:`env_value` gives so
that processes a test starts (the demo server, a headless command) share the test's clock exactly.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta

ENV_VAR = "MODCONSOLE_NOW"

_lock = threading.Lock()
_offset = 0.0  # seconds added to the system clock


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.fromtimestamp(time.time() + _offset, UTC)


def timestamp() -> float:
    """The current instant as POSIX seconds (``now().timestamp()``)."""
    return time.time() + _offset


def set_now(instant: datetime | None) -> None:
    """Make "now" ``instant`` (aware; naive means UTC) from this moment on, ticking from there.

    ``None`` puts the system clock back."""
    global _offset
    with _lock:
        if instant is None:
            _offset = 0.0
            return
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        _offset = instant.timestamp() - time.time()


def advance(delta: timedelta | float) -> None:
    """Move "now" forward (or back, for a negative delta) by ``delta``."""
    global _offset
    seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
    with _lock:
        _offset += seconds


def is_set() -> bool:
    """True while the clock is not the system's."""
    return _offset != 0.0


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant (``Z`` or an offset; naive means UTC); ``ValueError`` when unreadable."""
    dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def env_value() -> str:
    """``MODCONSOLE_NOW`` for a child process that should share this clock ("" when it is the system's)."""
    if not is_set():
        return ""
    wall = time.time()
    instant = datetime.fromtimestamp(wall + _offset, UTC)
    return f"{instant.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}@{wall:.6f}"


def apply_env_value(text: str) -> None:
    """Set the clock from a ``MODCONSOLE_NOW`` value (see the module's docstring); ``ValueError`` if bad."""
    global _offset
    text = text.strip()
    if not text:
        set_now(None)
        return
    instant_text, sep, wall_text = text.partition("@")
    instant = parse_instant(instant_text)
    if not sep:
        set_now(instant)
        return
    with _lock:
        _offset = instant.timestamp() - float(wall_text)


def _from_environment() -> None:
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return
    try:
        apply_env_value(text)
    except ValueError:
        raise SystemExit(f"modconsole: {ENV_VAR}={text!r} is not an ISO-8601 instant") from None


_from_environment()

__all__ = [
    "ENV_VAR",
    "advance",
    "apply_env_value",
    "env_value",
    "is_set",
    "now",
    "parse_instant",
    "set_now",
    "timestamp",
]
