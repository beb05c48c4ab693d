"""Recognition pages: Badges, Members and Superusers (and the award and bulk-award dialogs).

``PAGE_FACTORIES`` maps the main window's page names to ``factory(session) -> QWidget``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.recognition.backend import RecognitionBackend

if TYPE_CHECKING:
    from ui.services import Session

__all__ = [
    "PAGE_FACTORIES",
    "RecognitionBackend",
    "badges_page",
    "bulk_award_dialog",
    "members_page",
    "superusers_page",
]


def badges_page(session: Session) -> QWidget:
    from ui.recognition.badges import BadgesPage

    return BadgesPage(RecognitionBackend.from_session(session))


def members_page(session: Session) -> QWidget:
    from ui.recognition.members import MembersPage
    from ui.recognition.models import MEMBER_TL_COLUMN

    page = MembersPage(RecognitionBackend.from_session(session))
    # the trust-level column only where the platform has trust levels (Capabilities.trust_levels)
    page.table.setColumnHidden(MEMBER_TL_COLUMN, not session.capabilities.trust_levels)
    return page


def superusers_page(session: Session) -> QWidget:
    from ui.recognition.superusers import SuperusersPage

    page = SuperusersPage(RecognitionBackend.from_session(session))
    page.trust_levels = session.capabilities.trust_levels  # approving offers a trust level only then
    return page


def bulk_award_dialog(session: Session, user_ids: Sequence[int], parent: QWidget | None = None) -> QWidget:
    """The bulk award dialog for any selection of members (queue, leaderboard, chart bucket …); the
    caller shows it (``dlg.open()``)."""
    from ui.recognition.bulk import BulkAwardDialog

    return BulkAwardDialog(RecognitionBackend.from_session(session), user_ids=user_ids, parent=parent)


PAGE_FACTORIES: dict[str, Callable[[Session], QWidget]] = {
    "Members": members_page,
    "Badges": badges_page,
    "Superusers": superusers_page,
}
