"""A recorder for ``ui.messages`` (after qutebrowser's ``tests/helpers/messagemock.py``).

``MessageRecorder.install()`` gives ``ui.messages`` a fresh bridge connected to the recorder
and routes bugs from ``present_failure`` into :attr:`MessageRecorder.bugs`;
``uninstall()`` restores what was there. The ``messages`` fixture in ``tests/ui/conftest.py``
does both.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from ui import messages as _messages
from ui.messages import BugHook, ExcInfo, Message, MessageBridge, MessageLevel


class MessageRecorder(QObject):
    """Records every message shown and every bug presented."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.messages: list[Message] = []
        self.bugs: list[ExcInfo] = []
        self.bridge = MessageBridge(self)
        self._previous_bridge: MessageBridge | None = None
        self._previous_hook: BugHook | None = None
        self._installed = False

    # ------------------------------------------------------------ recording

    @Slot(object)
    def record(self, message: Message) -> None:
        self.messages.append(message)

    def record_bug(self, parent: QObject | None, exc_info: ExcInfo) -> None:
        self.bugs.append(exc_info)

    # ------------------------------------------------------------ assertions

    def getmsg(self, level: MessageLevel | str | None = None) -> Message:
        """The only message recorded; fails if there are none or several, or if its level
        differs from ``level``."""
        assert len(self.messages) == 1, f"expected exactly one message, got {self.messages!r}"
        message = self.messages[0]
        if level is not None:
            assert message.level == MessageLevel(level), f"expected {level}, got {message!r}"
        return message

    def texts(self, level: MessageLevel | str | None = None) -> list[str]:
        """Texts of all messages (of ``level``, if given), in order."""
        wanted = None if level is None else MessageLevel(level)
        return [m.text for m in self.messages if wanted is None or m.level == wanted]

    def clear(self) -> None:
        self.messages.clear()
        self.bugs.clear()

    # ------------------------------------------------------------ wiring

    def install(self) -> MessageRecorder:
        assert not self._installed
        self._previous_bridge = _messages.set_global_bridge(self.bridge)
        self._previous_hook = _messages.set_bug_hook(self.record_bug)
        self.bridge.connect_receiver(self.record)
        self._installed = True
        return self

    def uninstall(self) -> None:
        if not self._installed:
            return
        self.bridge.disconnect_receiver(self.record)
        _messages.set_global_bridge(self._previous_bridge)
        _messages.set_bug_hook(self._previous_hook)
        self._installed = False
