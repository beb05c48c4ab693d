"""The one API for user-facing messages (after qutebrowser's ``utils/message.py``).

``info(text)``, ``warning(text)`` and ``error(text)`` publish a :class:`Message` through the
global :class:`MessageBridge`. Until a display connects (the main window's status bar or
banner, via :meth:`MessageBridge.connect_receiver`), messages are buffered and then flushed
in order. A ``replace`` key lets a display show only the latest message with that key, so a
repeating condition ("offline, retrying") does not stack.

Failures of ops go through :func:`present_failure`, which decides how to show them:

- :class:`~modconsole.errors.Cancelled`: nothing (the user asked for it);
- :class:`~modconsole.errors.AuthError`: ``AppSignals.auth_required`` once (the app opens
  the login dialog);
- a retryable :class:`~modconsole.errors.ModConsoleError`: a warning with ``replace=``;
- any other ``ModConsoleError``: an error message with its ``user_message``;
- anything else is a bug: the bug hook (the app sets it to the error dialog with
  :func:`set_bug_hook`; the default logs the traceback).

Tests swap in ``tests.helpers.messagemock.MessageRecorder`` (the ``messages`` fixture).
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from PySide6.QtCore import QObject, Signal

from modconsole.errors import AuthError, Cancelled, ModConsoleError
from ui.signals import current_app_signals

__all__ = [
    "RETRYABLE_REPLACE_KEY",
    "BugHook",
    "ExcInfo",
    "Message",
    "MessageBridge",
    "MessageLevel",
    "error",
    "global_bridge",
    "info",
    "present_failure",
    "set_bug_hook",
    "set_global_bridge",
    "warning",
]

log = logging.getLogger("modconsole.ui.messages")

RETRYABLE_REPLACE_KEY = "retryable"
"""The default ``replace`` key of messages for retryable failures."""

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
BugHook = Callable[[QObject | None, ExcInfo], object]


class MessageLevel(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Message:
    level: MessageLevel
    text: str
    replace: str | None = None


class MessageBridge(QObject):
    """Carries messages to whatever displays them; buffers until a display connects.

    ``show_message(Message)`` is the signal displays listen to. The buffer keeps at most
    ``buffer_size`` messages (oldest dropped) and, for a ``replace`` key, only the latest.
    """

    show_message = Signal(object)

    def __init__(self, parent: QObject | None = None, *, buffer_size: int = 100) -> None:
        super().__init__(parent)
        self._lock = threading.RLock()
        self._connected = False
        self._buffer: list[Message] = []
        self._buffer_size = buffer_size

    @property
    def connected(self) -> bool:
        return self._connected

    def buffered(self) -> list[Message]:
        """Messages waiting for a display (a copy)."""
        with self._lock:
            return list(self._buffer)

    def publish(self, message: Message) -> None:
        with self._lock:
            if not self._connected:
                if message.replace is not None:
                    self._buffer = [m for m in self._buffer if m.replace != message.replace]
                self._buffer.append(message)
                del self._buffer[: -self._buffer_size]
                return
        self.show_message.emit(message)

    def connect_receiver(self, receiver: Callable[[Message], None]) -> None:
        """Connect a display (ideally an ``@Slot(object)`` method) and flush the buffer to it."""
        self.show_message.connect(receiver)
        with self._lock:
            pending, self._buffer = self._buffer, []
            self._connected = True
            for message in pending:
                self.show_message.emit(message)

    def disconnect_receiver(self, receiver: Callable[[Message], None]) -> None:
        self.show_message.disconnect(receiver)


_bridge: MessageBridge | None = None


def global_bridge() -> MessageBridge:
    """The app-wide bridge, created on first use."""
    global _bridge
    if _bridge is None:
        _bridge = MessageBridge()
    return _bridge


def set_global_bridge(bridge: MessageBridge | None) -> MessageBridge | None:
    """Replace the app-wide bridge (tests); returns the previous one."""
    global _bridge
    previous, _bridge = _bridge, bridge
    return previous


def _publish(level: MessageLevel, text: str, replace: str | None) -> None:
    log.info("message [%s]: %s", level, text)
    global_bridge().publish(Message(level, text, replace))


def info(text: str, *, replace: str | None = None) -> None:
    """A neutral status message. With ``replace``, it supersedes earlier ones with that key."""
    _publish(MessageLevel.INFO, text, replace)


def warning(text: str, *, replace: str | None = None) -> None:
    _publish(MessageLevel.WARNING, text, replace)


def error(text: str, *, replace: str | None = None) -> None:
    _publish(MessageLevel.ERROR, text, replace)


# ---------------------------------------------------------------- failures


def _log_bug(parent: QObject | None, exc_info: ExcInfo) -> None:
    log.error("unexpected error in an operation", exc_info=exc_info)


_bug_hook: BugHook = _log_bug


def set_bug_hook(hook: BugHook | None) -> BugHook:
    """Set what happens to bugs (the app: the error dialog). ``None`` restores logging.
    Returns the previous hook."""
    global _bug_hook
    previous = _bug_hook
    _bug_hook = hook if hook is not None else _log_bug
    return previous


def present_failure(
    exc: BaseException, *, parent: QObject | None = None, replace: str = RETRYABLE_REPLACE_KEY
) -> None:
    """Show a failure the way its class asks for (see the module docstring). GUI thread."""
    if isinstance(exc, Cancelled):
        log.debug("operation cancelled")
        return
    if isinstance(exc, AuthError):
        signals = current_app_signals()
        if signals is None:
            error(exc.user_message)
        else:
            signals.notify_auth_required()
        return
    if isinstance(exc, ModConsoleError):
        if exc.retryable:
            warning(exc.user_message, replace=replace)
        else:
            error(exc.user_message)
        return
    _bug_hook(parent, (type(exc), exc, exc.__traceback__))
