"""Recognition pages: Badges, Members and Superusers (and the award and bulk-award dialogs).

``PAGE_FACTORIES`` maps the main window's page names to ``factory(session) -> QWidget``; a session
without an outbox gets a short explanation instead of the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from ui.recognition.backend import RecognitionBackend

__all__ = [
    "PAGE_FACTORIES",
    "RecognitionBackend",
    "badges_page",
    "bulk_award_dialog",
    "members_page",
    "superusers_page",
]


def _unavailable(name: str) -> QWidget:
    label = QLabel(
        QCoreApplication.translate(
            "recognition", "{page}: the local outbox could not be opened, so awards cannot be queued."
        ).format(page=QCoreApplication.translate("Pages", name))
    )
    label.setWordWrap(True)
    return label


def badges_page(session: Any) -> QWidget:
    from ui.recognition.badges import BadgesPage

    backend = RecognitionBackend.from_session(session)
    return BadgesPage(backend) if backend is not None else _unavailable("Badges")


def members_page(session: Any) -> QWidget:
    from ui.recognition.members import MembersPage

    backend = RecognitionBackend.from_session(session)
    return MembersPage(backend) if backend is not None else _unavailable("Members")


def superusers_page(session: Any) -> QWidget:
    from ui.recognition.superusers import SuperusersPage

    backend = RecognitionBackend.from_session(session)
    return SuperusersPage(backend) if backend is not None else _unavailable("Superusers")


def bulk_award_dialog(session: Any, user_ids: Sequence[int], parent: QWidget | None = None) -> QWidget | None:
    """The bulk award dialog for any selection of members (queue, leaderboard, chart bucket …); the
    caller shows it (``dlg.open()``). ``None`` when the session has no outbox."""
    from ui.recognition.bulk import BulkAwardDialog

    backend = RecognitionBackend.from_session(session)
    if backend is None:
        return None
    return BulkAwardDialog(backend, user_ids=user_ids, parent=parent)


PAGE_FACTORIES: dict[str, Callable[[Any], QWidget]] = {
    "Members": members_page,
    "Badges": badges_page,
    "Superusers": superusers_page,
}
