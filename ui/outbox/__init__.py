"""The Outbox page: every queued action with its state, details and choices, and the audit journal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from ui.services import Session

__all__ = ["outbox_page"]


def outbox_page(session: Session) -> QWidget:
    """``factory(session)`` for the main window's page registry."""
    from ui.outbox.page import OutboxBackend, OutboxPage

    return OutboxPage(OutboxBackend.from_session(session))
