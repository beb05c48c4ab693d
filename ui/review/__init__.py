"""The Review page: the community's review queue (flags, posts awaiting approval)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from ui.services import Session

__all__ = ["review_page"]


def review_page(session: Session) -> QWidget:
    """``factory(session)`` for the main window's page registry."""
    from ui.review.page import ReviewBackend, ReviewPage

    return ReviewPage(ReviewBackend.from_session(session))
