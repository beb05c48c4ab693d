"""The Review page: the community's review queue (flags, posts awaiting approval)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["review_page"]


def review_page(session: Any) -> QWidget:
    """``factory(session)`` for the main window's page registry."""
    from ui.review.page import ReviewBackend, ReviewPage

    backend = ReviewBackend.from_session(session)
    if backend is None:
        label = QLabel("Review: the review queue is not available for this session.")
        label.setWordWrap(True)
        return label
    return ReviewPage(backend)
