"""Cancellation and progress for long-running core work (Qt-free).

Every long core function takes a :class:`CancelToken` and, where useful, a
:data:`ProgressCallback` as plain arguments. The GUI runs such functions on worker threads
(``ui/tasks.py``); the CLI and tests call them directly.

A token is checked *between* steps (pages, batches): ``token.raise_if_cancelled()`` raises
:class:`modconsole.errors.Cancelled`, and ``token.wait(seconds)`` is an interruptible sleep
for pacers and backoff.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from modconsole.changes import Changes
from modconsole.errors import Cancelled

__all__ = ["CancelToken", "Progress", "ProgressCallback", "ignore_progress"]


class CancelToken:
    """A thread-safe, one-way cancellation flag.

    ``cancel()`` may be called from any thread, any number of times. Once cancelled, a token
    stays cancelled.
    """

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work holding this token to stop at its next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise :class:`Cancelled` if ``cancel()`` was called."""
        if self._event.is_set():
            raise Cancelled("The operation was cancelled.")

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``, returning early when cancelled.

        Returns ``True`` if the token is cancelled (the wait was cut short or the token was
        already cancelled), ``False`` if the full time elapsed.
        """
        if seconds <= 0:
            return self._event.is_set()
        return self._event.wait(seconds)

    def __repr__(self) -> str:
        return f"<CancelToken cancelled={self.cancelled}>"


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress report: immutable, so it may cross threads.

    ``stage`` names the phase ("topics", "posts", "outbox"); ``done`` of ``total`` units
    (``total`` is ``None`` when unknown); ``requests`` is the number of HTTP requests made so
    far (the currency of a sync); ``message`` is optional human text. ``changes``: what the work
    has written to the cache so far (flags; a long sync's pages land long before it ends), so
    views can follow it live (``MutationOp.live``).
    """

    stage: str
    done: int = 0
    total: int | None = None
    requests: int = 0
    message: str = ""
    changes: Changes | None = None

    @property
    def fraction(self) -> float | None:
        """``done / total`` clamped to [0, 1], or ``None`` when the total is unknown."""
        if self.total is None or self.total <= 0:
            return None
        return min(1.0, max(0.0, self.done / self.total))

    @property
    def percent(self) -> int | None:
        """Whole percent done (floor), or ``None`` when the total is unknown."""
        if self.total is None or self.total <= 0:
            return None
        return min(100, max(0, (self.done * 100) // self.total))


ProgressCallback = Callable[[Progress], None]
"""Called by core work with each new :class:`Progress`, on the worker's own thread."""


def ignore_progress(progress: Progress) -> None:
    """A :data:`ProgressCallback` that drops every report (for callers that don't care)."""
