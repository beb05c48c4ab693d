"""The Reminders page: questions whose asker has not accepted an answer yet, with a kind nudge."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["reminders_page"]


def reminders_page(session: Any) -> QWidget:
    """``factory(session)`` for the main window's page registry."""
    from ui.reminders.page import ReminderBackend, RemindersPage

    backend = ReminderBackend.from_session(session)
    if backend is None:
        label = QLabel(
            QCoreApplication.translate(
                "reminders", "Reminders: the local outbox could not be opened, so nudges cannot be queued."
            )
        )
        label.setWordWrap(True)
        return label
    return RemindersPage(backend)
