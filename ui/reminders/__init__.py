"""The Reminders page: questions whose asker has not accepted an answer yet, with a kind nudge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from ui.services import Session

__all__ = ["reminders_page"]


def reminders_page(session: Session) -> QWidget:
    """``factory(session)`` for the main window's page registry."""
    from ui.reminders.page import ReminderBackend, RemindersPage

    return RemindersPage(ReminderBackend.from_session(session))
