"""Op builders: the one API views use to run background work (after Anki's ``operations``).

A view builds an op, chains what it needs and runs it::

    QueryOp(self, op=lambda token: services.triage.unanswered(session_factory, token),
            success=self._show_rows).run_in_background()

    (
        MutationOp(self, op=lambda token, progress: moderation.grant_badge(..., token))
        .success(lambda user_badge: ...)
        .failure(self._on_grant_failed)        # default: messages.present_failure
        .with_progress(self._progress_bar.on_progress)
        .cancellable()
        .run_in_background(initiator=self)
    )

- :class:`QueryOp` runs on the ``io`` executor; ``op(token) -> value`` (or, built with
  :meth:`QueryOp.reporting`, ``op(token, progress) -> value``). It must not write the cache.
- :class:`MutationOp` runs on the ``writer`` executor; ``op(token, progress)`` returns a
  :class:`~modconsole.changes.Changes` or ``(Changes, value)``. ``success`` gets ``value``
  (or the ``Changes`` when no value was returned). Afterwards
  ``AppSignals.changes_applied(changes, initiator)`` is emitted if anything changed — even if
  the parent widget is gone, because the cache did change.

The op function runs on a worker thread: it must not touch widgets and must return
immutable values (frozen dataclasses, tuples, ``Changes``). All callbacks run on the GUI
thread, and are skipped if ``parent`` was deleted meanwhile (failures then still go to
:func:`ui.messages.present_failure`, so bugs are never lost).

:class:`ChangeWatcher` is the view side: refresh when one's kinds change, skip one's own
changes, and defer while hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, Self, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Slot
from PySide6.QtWidgets import QWidget

from modconsole.changes import KINDS, Changes
from modconsole.tasks import CancelToken, Progress, ProgressCallback
from ui.messages import present_failure
from ui.signals import AppSignals, app_signals, current_app_signals
from ui.tasks import Lane, TaskHandle, TaskManagerBase, task_manager

__all__ = ["ChangeWatcher", "MutationOp", "QueryOp", "first_load", "pages_load_when_shown"]

T = TypeVar("T")
R = TypeVar("R")


def _alive(obj: QObject | None) -> bool:
    return obj is None or shiboken6.isValid(obj)


class _Op(Generic[R, T]):
    """Shared chaining. ``R`` is what the work function returns, ``T`` what ``success`` gets."""

    _lane: Lane

    def __init__(self, parent: QObject | None, fn: Callable[[CancelToken, ProgressCallback], R]) -> None:
        self._parent = parent
        self._fn = fn
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._progress: ProgressCallback | None = None
        self._cancellable = False
        self._key: str | None = None
        self._live: frozenset[str] = frozenset()
        self._initiator: object | None = None

    def success(self, callback: Callable[[T], None]) -> Self:
        """Call ``callback(value)`` on the GUI thread when the op succeeds."""
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Self:
        """Handle failures yourself (default: :func:`ui.messages.present_failure`)."""
        self._failure = callback
        return self

    def with_progress(self, callback: ProgressCallback) -> Self:
        """Get coalesced :class:`Progress` reports on the GUI thread."""
        self._progress = callback
        return self

    def cancellable(self, enabled: bool = True) -> Self:
        """Let ``handle.cancel()`` stop the op while it runs (not only while it is queued)."""
        self._cancellable = enabled
        return self

    def coalesce(self, key: str) -> Self:
        """Don't queue this op while another op with ``key`` is queued or running."""
        self._key = key
        return self

    def run_in_background(
        self, *, initiator: object | None = None, tasks: TaskManagerBase | None = None
    ) -> TaskHandle:
        """Submit to the installed task manager (or ``tasks``). Call on the GUI thread.

        ``initiator`` is passed on with the op's changes so a view can skip changes it made
        (and already shows) itself.
        """
        manager = tasks if tasks is not None else task_manager()
        self._initiator = initiator
        on_progress = self._on_progress if (self._progress is not None or self._live) else None
        return manager.submit(
            self._fn,
            lane=self._lane,
            on_success=lambda result: self._on_success(result, initiator),
            on_failure=self._on_failure,
            on_progress=on_progress,
            key=self._key,
            cancellable=self._cancellable,
        )

    # ------------------------------------------------------------ GUI-thread delivery

    def _on_success(self, result: R, initiator: object | None) -> None:
        raise NotImplementedError

    def _call_success(self, value: T) -> None:
        if self._success is not None and _alive(self._parent):
            self._success(value)

    def _on_failure(self, exc: BaseException) -> None:
        if self._failure is not None and _alive(self._parent):
            self._failure(exc)
        else:
            present_failure(exc, parent=self._parent if _alive(self._parent) else None)

    def _on_progress(self, progress: Progress) -> None:
        if self._progress is not None and _alive(self._parent):
            self._progress(progress)


class QueryOp(_Op[T, T]):
    """A read-only op on the ``io`` executor: ``QueryOp(parent, op=fn(token), success=cb)``."""

    _lane = Lane.IO

    def __init__(
        self,
        parent: QObject | None,
        *,
        op: Callable[[CancelToken], T],
        success: Callable[[T], None] | None = None,
    ) -> None:
        def call(token: CancelToken, _progress: ProgressCallback) -> T:
            return op(token)

        super().__init__(parent, call)
        self._success = success

    @classmethod
    def reporting(
        cls,
        parent: QObject | None,
        *,
        op: Callable[[CancelToken, ProgressCallback], T],
        success: Callable[[T], None] | None = None,
    ) -> QueryOp[T]:
        """A query whose function also takes a progress callback: ``op(token, progress)``."""
        query = cls.__new__(cls)
        _Op.__init__(query, parent, op)
        query._success = success
        return query

    def _on_success(self, result: T, initiator: object | None) -> None:
        self._call_success(result)


class MutationOp(_Op[Changes | tuple[Changes, Any], Any]):
    """A cache-writing op on the ``writer`` executor.

    ``MutationOp(parent, op=fn(token, progress) -> Changes | (Changes, value), success=cb)``.
    """

    _lane = Lane.WRITER

    def __init__(
        self,
        parent: QObject | None,
        *,
        op: Callable[[CancelToken, ProgressCallback], Changes | tuple[Changes, Any]],
        success: Callable[[Any], None] | None = None,
        signals: AppSignals | None = None,
    ) -> None:
        def call(token: CancelToken, progress: ProgressCallback) -> Changes | tuple[Changes, Any]:
            result = op(token, progress)
            # Checked on the worker so a wrong return type fails like any other bug.
            if isinstance(result, Changes):
                return result
            if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], Changes):
                return result
            raise TypeError(f"a MutationOp must return Changes or (Changes, value), not {type(result)!r}")

        super().__init__(parent, call)
        self._success = success
        self._signals = signals

    def live(self, kinds: Iterable[str]) -> Self:
        """Broadcast ``kinds`` of what the op has changed so far while it runs (``changes_applied``
        with the op's initiator), as its progress reports carry them (``Progress.changes``): at most
        once a second (:class:`ui.tasks.ProgressCoalescer`). The final changes follow as usual."""
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown change kinds: {sorted(unknown)}")
        self._live = frozenset(kinds)
        return self

    def _on_progress(self, progress: Progress) -> None:
        changes = progress.changes
        if changes and self._live:
            live = Changes.of(*sorted(k for k in self._live if changes.touches(k)))
            signals = self._signals if self._signals is not None else current_app_signals()
            if live and signals is not None:
                signals.changes_applied.emit(live, self._initiator)
        super()._on_progress(progress)

    def _on_success(self, result: Changes | tuple[Changes, Any], initiator: object | None) -> None:
        if isinstance(result, Changes):
            changes, value = result, result
        else:
            changes, value = result
        try:
            self._call_success(value)
        finally:
            signals = self._signals if self._signals is not None else current_app_signals()
            if changes.any() and signals is not None:
                signals.changes_applied.emit(changes, initiator)


class ChangeWatcher(QObject):
    """Refreshes a view when changes it shows are applied; defers while the view is hidden.

    ``ChangeWatcher(view, kinds=("topics", "posts"), refresh=view.reload)`` connects to
    ``AppSignals.changes_applied``. For each change set it:

    - ignores it when ``initiator`` is the view (the view updated itself);
    - ignores it when none of ``kinds`` is touched (``kinds=None``: any change counts);
    - calls ``refresh(changes)`` at once if the view is visible;
    - otherwise sets :attr:`refresh_needed`, merges the changes, and calls
      ``refresh(merged)`` once when the view is next shown.

    The watcher is a child of the view and dies with it.
    """

    def __init__(
        self,
        view: QWidget,
        *,
        kinds: Iterable[str] | None,
        refresh: Callable[[Changes], None],
        signals: AppSignals | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._kinds = frozenset(KINDS if kinds is None else kinds)
        unknown = self._kinds - set(KINDS)
        if unknown:
            raise ValueError(f"unknown change kinds: {sorted(unknown)}")
        self._refresh = refresh
        self._pending = Changes.none()
        self._refresh_needed = False
        view.installEventFilter(self)
        (signals if signals is not None else app_signals()).changes_applied.connect(self.on_changes)

    @property
    def refresh_needed(self) -> bool:
        """Whether relevant changes arrived while the view was hidden."""
        return self._refresh_needed

    @Slot(object, object)
    def on_changes(self, changes: Changes, initiator: object | None) -> None:
        if initiator is not None and (initiator is self._view or initiator is self):
            return
        if not changes.touches_any(self._kinds):
            return
        if self._view.isVisible():
            self._refresh(changes)
            return
        self._pending = self._pending | changes
        self._refresh_needed = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show and self._refresh_needed:
            pending, self._pending = self._pending, Changes.none()
            self._refresh_needed = False
            self._refresh(pending)
        return False


_window_building = 0  # > 0 while a window builds its pages (pages_load_when_shown)


@contextmanager
def pages_load_when_shown() -> Iterator[None]:
    """While a window builds its pages: each page's :func:`first_load` waits until the page is
    first shown. A window shows one page; the others reading the cache at once (ranking, reminders,
    badge holders over ``large``) held ~130–250 MB and the workers' CPU while it started."""
    global _window_building
    _window_building += 1
    try:
        yield
    finally:
        _window_building -= 1


def first_load(view: QWidget, load: Callable[[], None]) -> None:
    """A page's first load: now, or — for a page a window builds (:func:`pages_load_when_shown`)
    and does not show yet — when the page is first shown."""
    if _window_building == 0 or view.isVisible():
        load()
        return
    _OnFirstShow(view, load)


class _OnFirstShow(QObject):
    def __init__(self, view: QWidget, load: Callable[[], None]) -> None:
        super().__init__(view)
        self._view = view
        self._load = load
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show:
            self._view.removeEventFilter(self)
            self._load()
        return False
