"""The app-wide signal hub.

The app creates one :class:`AppSignals` at start-up and installs it with
:func:`set_app_signals`; ops and views find it with :func:`app_signals`. All signals are
emitted on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

__all__ = ["AppSignals", "app_signals", "current_app_signals", "set_app_signals"]


class AppSignals(QObject):
    """One hub for app-wide events.

    - ``changes_applied(changes: Changes, initiator: object | None)``: a mutation or sync
      changed the cache; views refresh from it.
    - ``sync_state_changed(state: object)``: the sync engine's state for the status bar.
    - ``auth_required()``: the key stopped working; emitted once until
      :meth:`clear_auth_required` (use :meth:`notify_auth_required`, not ``emit``).
    - ``online_changed(online: bool)``.
    - ``outbox_changed(pending: int)``: the number of actions waiting in the outbox.
    """

    changes_applied = Signal(object, object)
    sync_state_changed = Signal(object)
    auth_required = Signal()
    online_changed = Signal(bool)
    outbox_changed = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._auth_pending = False

    @property
    def auth_pending(self) -> bool:
        """Whether ``auth_required`` was emitted and not yet cleared."""
        return self._auth_pending

    def notify_auth_required(self) -> bool:
        """Emit ``auth_required`` unless it is already pending. Returns whether it emitted."""
        if self._auth_pending:
            return False
        self._auth_pending = True
        self.auth_required.emit()
        return True

    def clear_auth_required(self) -> None:
        """Call after a successful login, so the next auth failure asks again."""
        self._auth_pending = False


_current: AppSignals | None = None


def set_app_signals(signals: AppSignals | None) -> None:
    """Install (or with ``None`` remove) the app-wide hub."""
    global _current
    _current = signals


def current_app_signals() -> AppSignals | None:
    """The installed hub, or ``None`` before the app created one."""
    return _current


def app_signals() -> AppSignals:
    """The installed hub; raises ``RuntimeError`` if the app has not created one."""
    if _current is None:
        raise RuntimeError("AppSignals not installed: the app must call set_app_signals() first")
    return _current
