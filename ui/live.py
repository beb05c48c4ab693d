"""Live counts in the window: the core's :class:`~modconsole.services.live.LiveCountsPoller` bound
to the window's place in front, its counts handed to the GUI thread as a signal.

The window tells :meth:`LiveCounts.set_front` when it becomes active or goes behind another
window; the poller runs (one thread, polls when due) only while it is in front, and
:meth:`LiveCounts.stop` on close leaves no thread behind.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from modconsole.services.live import LiveCounts as Counts
from modconsole.services.live import LiveCountsPoller

__all__ = ["LiveCounts"]


class LiveCounts(QObject):
    """Owns the poller; ``changed(Counts)`` is delivered on the GUI thread (a queued signal)."""

    changed = Signal(object)

    def __init__(self, make_poller: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.poller: LiveCountsPoller = make_poller(self.changed.emit)
        self._stopped = False

    @property
    def counts(self) -> Counts:
        return self.poller.counts

    def set_front(self, front: bool) -> None:
        if not self._stopped:
            self.poller.set_active(front)

    def mark_synced(self) -> None:
        self.poller.mark_synced()

    def stop(self) -> None:
        self._stopped = True
        self.poller.stop()
