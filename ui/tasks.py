"""The one way the GUI runs background work (after Anki's ``taskman.py``).

Two executors:

- ``writer`` (one thread): everything that writes the cache — sync runs, outbox pushes,
  moderation actions. One writer means SQLite never sees two writing threads, and a sync is
  ordered against user actions.
- ``io`` (a few threads): read-only network calls and heavy cache reads.

Work functions take ``(token, progress)`` and must not touch widgets; they return immutable
values. Results, failures and progress come back to the GUI thread through one bridge: a
``QObject`` living on the GUI thread whose ``Signal(object)`` is connected (queued) to an
``@Slot`` method — never a lambda as a cross-thread receiver (PYSIDE-3124).

Views do not call :class:`TaskManager` directly; they build ops (``ui/ops.py``). The app
creates one manager and installs it with :func:`set_task_manager`; UI tests use
:class:`InlineTaskManager`, which runs ops synchronously on the calling thread.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from modconsole import clock
from modconsole.changes import ChangesThrottle
from modconsole.errors import Cancelled
from modconsole.tasks import CancelToken, Progress, ProgressCallback, ignore_progress

__all__ = [
    "InlineTaskManager",
    "Lane",
    "ProgressCoalescer",
    "TaskHandle",
    "TaskManager",
    "TaskManagerBase",
    "at_lowest_priority",
    "current_task_manager",
    "set_task_manager",
    "task_manager",
]

log = logging.getLogger("modconsole.ui.tasks")

T = TypeVar("T")

WorkFn = Callable[[CancelToken, ProgressCallback], T]
"""A background function: gets a cancel token and a progress callback, returns a value."""
SuccessFn = Callable[[T], None]
FailureFn = Callable[[BaseException], None]


class Lane(enum.StrEnum):
    """Which executor runs a task."""

    WRITER = "writer"
    IO = "io"


class TaskHandle:
    """A submitted task: cancel it, or ask whether it is finished.

    ``cancel()`` always removes the task if it has not started yet (its failure callback then
    gets :class:`Cancelled`). For a running task it sets the token only if the task was
    submitted as ``cancellable``; the work stops at its next check and reports ``Cancelled``.
    """

    __slots__ = ("_cancellable", "_finished", "_future", "key", "lane", "token")

    def __init__(self, token: CancelToken, *, lane: Lane, key: str | None, cancellable: bool) -> None:
        self.token = token
        self.lane = lane
        self.key = key
        self._cancellable = cancellable
        self._future: Future[Any] | None = None
        self._finished = False

    @property
    def cancellable(self) -> bool:
        return self._cancellable

    @property
    def finished(self) -> bool:
        """Whether the result was delivered (or dropped at shutdown). GUI-thread state."""
        return self._finished

    def cancel(self) -> None:
        if self._cancellable:
            self.token.cancel()
        future = self._future
        if future is not None:
            future.cancel()

    def __repr__(self) -> str:
        return f"<TaskHandle lane={self.lane} key={self.key!r} finished={self._finished}>"


class ProgressCoalescer:
    """Forwards a :class:`Progress` only when it would look different.

    A report passes when its stage changes or its whole percent changes; with an unknown
    total, when the stage or the message changes; and every ``REQUESTS_STEP`` requests (a sync's
    requests left today and ETA move with them). Thread-safe.

    Changes a report carries (``Progress.changes``) are merged (:class:`ChangesThrottle`) and
    passed on at most once per ``live_interval`` seconds of the one clock (``now``, an input),
    with whichever report passes then; a report whose look is unchanged passes only for them.
    """

    REQUESTS_STEP = 10

    def __init__(
        self,
        forward: ProgressCallback,
        *,
        live_interval: float = 1.0,
        now: Callable[[], float] = clock.timestamp,
    ) -> None:
        self._forward = forward
        self._lock = threading.Lock()
        self._last: tuple[str, int | None, str, int] | None = None
        self._live = ChangesThrottle(live_interval)
        self._now = now

    def __call__(self, progress: Progress) -> None:
        percent = progress.percent
        key = (
            progress.stage,
            percent,
            progress.message if percent is None else "",
            progress.requests // self.REQUESTS_STEP,
        )
        with self._lock:
            live = self._live.offer(progress.changes, self._now()) if progress.changes else None
            if key == self._last and live is None:
                return
            self._last = key
        if live is not None or progress.changes is not None:
            progress = dataclasses.replace(progress, changes=live)
        self._forward(progress)


class _MainThreadBridge(QObject):
    """Runs closures posted from any thread on the thread this object lives on (the GUI)."""

    _posted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.accepting = True
        # Queued even when posted from the GUI thread: callbacks never run re-entrantly
        # inside the code that submitted or cancelled a task.
        self._posted.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def post(self, closure: Callable[[], None]) -> None:
        try:
            self._posted.emit(closure)
        except RuntimeError:  # the C++ side is gone: the app is shutting down
            log.debug("bridge gone; dropped a main-thread callback")

    @Slot(object)
    def _run(self, closure: Callable[[], None]) -> None:
        if self.accepting:
            closure()


class TaskManagerBase(QObject):
    """Bookkeeping shared by the real and the inline manager.

    Call :meth:`submit` from the GUI thread. ``active_changed(count)`` is emitted on the GUI
    thread when a task is submitted or its result delivered.
    """

    active_changed = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active: dict[int, TaskHandle] = {}
        self._keys: dict[str, TaskHandle] = {}
        self._closed = False
        self._running = 0
        self._running_lock = threading.Lock()

    # ------------------------------------------------------------ public API

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def running_count(self) -> int:
        """Tasks whose work function is executing right now (any thread)."""
        with self._running_lock:
            return self._running

    @property
    def active_count(self) -> int:
        """Tasks submitted and not yet delivered: queued, running, or awaiting delivery."""
        return len(self._active)

    def is_active(self, key: str) -> bool:
        """Whether a task submitted with ``key`` is queued, running or awaiting delivery."""
        return key in self._keys

    def submit(
        self,
        fn: WorkFn[T],
        *,
        lane: Lane,
        on_success: SuccessFn[T],
        on_failure: FailureFn,
        on_progress: ProgressCallback | None = None,
        key: str | None = None,
        cancellable: bool = True,
    ) -> TaskHandle:
        """Run ``fn(token, progress)`` on ``lane``; deliver its outcome on the GUI thread.

        Exactly one of ``on_success(value)`` / ``on_failure(exc)`` is called, unless the
        manager is shut down first. A task cancelled before or while running fails with
        :class:`Cancelled`. ``on_progress`` gets coalesced reports on the GUI thread.

        With ``key``, a task with the same key that is still active is *not* duplicated:
        its handle is returned and ``fn`` and the callbacks given here are dropped.
        """
        if key is not None and key in self._keys:
            log.debug("task %r already active; not queued again", key)
            return self._keys[key]
        handle = TaskHandle(CancelToken(), lane=lane, key=key, cancellable=cancellable)
        if self._closed:
            log.debug("task manager shut down; dropped task %r", key)
            handle.token.cancel()
            handle._finished = True
            return handle
        self._active[id(handle)] = handle
        if key is not None:
            self._keys[key] = handle
        self.active_changed.emit(len(self._active))
        self._start(handle, fn, on_success, on_failure, on_progress)
        return handle

    def run_on_main(self, closure: Callable[[], None]) -> None:
        """Run ``closure`` on the GUI thread (callable from any thread)."""
        raise NotImplementedError

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Cancel everything and wait up to ``timeout`` s. Returns whether all work ended."""
        raise NotImplementedError

    # ------------------------------------------------------------ for subclasses

    def _start(
        self,
        handle: TaskHandle,
        fn: WorkFn[T],
        on_success: SuccessFn[T],
        on_failure: FailureFn,
        on_progress: ProgressCallback | None,
    ) -> None:
        raise NotImplementedError

    def _call(self, handle: TaskHandle, fn: WorkFn[T], progress: ProgressCallback) -> T:
        """Run the work function (on whichever thread executes the task)."""
        with self._running_lock:
            self._running += 1
        try:
            handle.token.raise_if_cancelled()
            return fn(handle.token, progress)
        finally:
            with self._running_lock:
                self._running -= 1

    def _finish(self, handle: TaskHandle) -> None:
        """GUI thread: forget a delivered task (before its callbacks, so they may resubmit)."""
        handle._finished = True
        if self._active.pop(id(handle), None) is None:
            return
        if handle.key is not None and self._keys.get(handle.key) is handle:
            del self._keys[handle.key]
        self.active_changed.emit(len(self._active))

    def _forget_all(self) -> None:
        for handle in self._active.values():
            handle.token.cancel()
            handle._finished = True
        self._active.clear()
        self._keys.clear()


GUI_SWITCH_INTERVAL = 0.0005
"""Seconds a busy thread may keep the GIL while another waits for it (Python's default: 0.005).

Workers share the GIL with the GUI thread, and each time Qt calls into Python (a model's ``data``,
a paint, a slot) the GUI thread must take it back; with a worker computing, every such call
waited up to the switch interval, and a repaint makes hundreds of them: stalls of up to 0.9 s
while the dashboard recomputed on ``large``, ~0.2 s at 0.5 ms (the stall heartbeat of
bench_console.py, on a loaded 2-core machine)."""


WORKER_NICENESS = 5
"""How much lower than the GUI thread the workers run, in the OS scheduler's terms (``nice``).

The machine's cores are shared by the GUI thread and the workers: after a synced page the writer,
the queue's reload, the views' counts and the dashboard all run at once, and the cache's
integrity check takes a core for seconds after the window shows. At the same priority the GUI
thread waited its turn behind them (stalls over 50 ms on a 2-core machine); a little lower, the
workers get every cycle the GUI thread does not use. Linux only (there a thread's priority is
its own); elsewhere the workers run as before."""


def _lower_worker_priority() -> None:
    """The executors' thread initializer: this worker yields to the GUI thread (Linux)."""
    if sys.platform != "linux":
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)
    except OSError:  # not allowed here (a container's policy): run at the normal priority
        log.debug("could not lower a worker thread's priority", exc_info=True)


def at_lowest_priority(fn: Callable[[], T]) -> T:
    """Run ``fn`` on a thread of its own at the lowest OS priority (``nice`` 19) and wait for it.

    For long CPU-bound work a moderator need not wait for, run from a worker (the cache's integrity
    check after the window shows: seconds of one core that the GUI thread and the other workers
    would otherwise share). A thread cannot take back a priority it gave away without privileges,
    so the work gets a thread of its own. Linux only; elsewhere ``fn`` runs on the calling thread."""
    if sys.platform != "linux":
        return fn()
    outcome: list[Any] = []

    def run() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        except OSError:
            log.debug("could not lower a thread's priority", exc_info=True)
        try:
            outcome.append((True, fn()))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="modconsole-idle", daemon=True)
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    result: T = value
    return result


class TaskManager(TaskManagerBase):
    """Real executors: one ``writer`` thread and ``io_workers`` ``io`` threads.

    Creating one lowers the interpreter's GIL switch interval to :data:`GUI_SWITCH_INTERVAL`; its
    threads run at a slightly lower priority than the GUI thread (:data:`WORKER_NICENESS`)."""

    def __init__(self, parent: QObject | None = None, *, io_workers: int = 3) -> None:
        super().__init__(parent)
        if sys.getswitchinterval() > GUI_SWITCH_INTERVAL:
            sys.setswitchinterval(GUI_SWITCH_INTERVAL)
        self._writer = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="modconsole-writer", initializer=_lower_worker_priority
        )
        self._io = ThreadPoolExecutor(
            max_workers=io_workers, thread_name_prefix="modconsole-io", initializer=_lower_worker_priority
        )
        self._bridge = _MainThreadBridge(self)
        self._futures: set[Future[Any]] = set()
        self._futures_lock = threading.Lock()

    def run_on_main(self, closure: Callable[[], None]) -> None:
        self._bridge.post(closure)

    def _start(
        self,
        handle: TaskHandle,
        fn: WorkFn[T],
        on_success: SuccessFn[T],
        on_failure: FailureFn,
        on_progress: ProgressCallback | None,
    ) -> None:
        progress: ProgressCallback = ignore_progress
        if on_progress is not None:
            progress = ProgressCoalescer(functools.partial(self._post_progress, on_progress))
        executor = self._writer if handle.lane is Lane.WRITER else self._io
        future: Future[T] = executor.submit(self._call, handle, fn, progress)
        handle._future = future
        with self._futures_lock:
            self._futures.add(future)
        future.add_done_callback(functools.partial(self._on_done, handle, on_success, on_failure))

    def _post_progress(self, on_progress: ProgressCallback, progress: Progress) -> None:
        self._bridge.post(functools.partial(on_progress, progress))

    def _on_done(
        self, handle: TaskHandle, on_success: SuccessFn[T], on_failure: FailureFn, future: Future[T]
    ) -> None:
        """Any thread: the future is done; hand delivery to the GUI thread."""
        with self._futures_lock:
            self._futures.discard(future)
        if self._closed:
            return
        self._bridge.post(functools.partial(self._deliver, handle, on_success, on_failure, future))

    def _deliver(
        self, handle: TaskHandle, on_success: SuccessFn[T], on_failure: FailureFn, future: Future[T]
    ) -> None:
        """GUI thread."""
        self._finish(handle)
        if future.cancelled():
            on_failure(Cancelled("The operation was cancelled."))
            return
        exc = future.exception()
        if exc is not None:
            on_failure(exc)
        else:
            on_success(future.result())

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Stop accepting work, cancel every token and queued task, and wait up to
        ``timeout`` seconds for running tasks (writer and io). Returns ``True`` if all ended.

        Results not yet delivered are dropped. A task that ignores its token keeps its thread
        until it returns; the caller should close shared resources only if this returned
        ``True``.
        """
        if not self._closed:
            self._closed = True
            self._bridge.accepting = False
            self._forget_all()
            self._io.shutdown(wait=False, cancel_futures=True)
            self._writer.shutdown(wait=False, cancel_futures=True)
            self.active_changed.emit(0)
        with self._futures_lock:
            pending = list(self._futures)
        _done, not_done = futures.wait(pending, timeout=timeout)
        if not_done:
            log.warning("%d background task(s) still running after %.1f s", len(not_done), timeout)
        return not not_done


class InlineTaskManager(TaskManagerBase):
    """Runs every task synchronously on the calling thread (for UI tests).

    Callbacks run before :meth:`submit` returns. ``history`` records ``(lane, key)`` of each
    task that ran, so tests can check that a mutation went to the writer.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history: list[tuple[Lane, str | None]] = []

    def run_on_main(self, closure: Callable[[], None]) -> None:
        closure()

    def _start(
        self,
        handle: TaskHandle,
        fn: WorkFn[T],
        on_success: SuccessFn[T],
        on_failure: FailureFn,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.history.append((handle.lane, handle.key))
        progress: ProgressCallback = ignore_progress
        if on_progress is not None:
            progress = ProgressCoalescer(on_progress)
        try:
            value = self._call(handle, fn, progress)
        except Exception as exc:
            self._finish(handle)
            on_failure(exc)
            return
        self._finish(handle)
        on_success(value)

    def shutdown(self, timeout: float = 5.0) -> bool:
        self._closed = True
        self._forget_all()
        return True


_current: TaskManagerBase | None = None


def set_task_manager(manager: TaskManagerBase | None) -> None:
    """Install (or with ``None`` remove) the app's task manager."""
    global _current
    _current = manager


def current_task_manager() -> TaskManagerBase | None:
    return _current


def task_manager() -> TaskManagerBase:
    """The installed manager; raises ``RuntimeError`` if the app has not created one."""
    if _current is None:
        raise RuntimeError("TaskManager not installed: the app must call set_task_manager() first")
    return _current
