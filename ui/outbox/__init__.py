"""The Outbox page: every queued action with its state, details and choices, and the audit journal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["outbox_page"]


def outbox_page(session: Any) -> QWidget:
    """``factory(session)`` for the main window's page registry."""
    from ui.outbox.page import OutboxBackend, OutboxPage

    backend = OutboxBackend.from_session(session)
    if backend is None:
        label = QLabel(QCoreApplication.translate("outbox", "Outbox: the local outbox could not be opened."))
        label.setWordWrap(True)
        return label
    return OutboxPage(backend)
