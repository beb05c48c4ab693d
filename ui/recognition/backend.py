"""What the recognition pages need from the app: the two core services bound to the open cache and
the outbox, plus the session's push after a write (offline the actions simply stay queued)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from modconsole.api.client import ApiClient
from modconsole.changes import Changes
from modconsole.outbox.policy import PushOutcome
from modconsole.services.recognition import RecognitionService
from modconsole.services.superusers import SuperuserService
from modconsole.services.user_notes import UserNotesService
from modconsole.tasks import CancelToken, ProgressCallback, ignore_progress

if TYPE_CHECKING:
    from ui.services import Session

__all__ = ["RecognitionBackend"]

log = logging.getLogger("modconsole.ui.recognition")

PushFn = Callable[[CancelToken, ProgressCallback], PushOutcome]
HoldersFn = Callable[[int, CancelToken, ProgressCallback], Changes]


@dataclass
class RecognitionBackend:
    rec: RecognitionService
    su: SuperuserService
    client: ApiClient | None = None
    push_fn: PushFn | None = None
    auto_push: bool = True
    holders_fn: HoldersFn | None = None
    """Reads one badge's holders from the community (the session's ``fetch_badge_holders``)."""
    member_badges_fn: HoldersFn | None = None
    """Reads one member's badges from the community (the session's ``fetch_member_badges``)."""
    notes: UserNotesService | None = None
    """Staff notes on members (read when a member is opened; hidden where unavailable)."""

    @classmethod
    def from_session(cls, session: Session) -> RecognitionBackend:
        """Bind to the signed-in session (its workspace's outbox and the one push policy)."""
        service = session.workspace.moderation
        return cls(
            RecognitionService(session.cache, service),
            SuperuserService(session.cache, service),
            client=session.client,
            push_fn=session.push_outbox,
            holders_fn=session.fetch_badge_holders,
            member_badges_fn=session.fetch_member_badges,
            notes=session.workspace.notes,
        )

    @property
    def can_fetch_holders(self) -> bool:
        return self.holders_fn is not None

    def fetch_member_badges(
        self, user_id: int, token: CancelToken, progress: ProgressCallback = ignore_progress
    ) -> Changes:
        """A member's badges, read now (automatic badges' holders are not listed by a sync)."""
        if self.member_badges_fn is None:
            return Changes()
        return self.member_badges_fn(user_id, token, progress)

    def fetch_holders(
        self, badge_id: int, token: CancelToken, progress: ProgressCallback = ignore_progress
    ) -> Changes:
        """An automatic badge's holders, read now (a sync does not list them)."""
        if self.holders_fn is None:
            return Changes()
        return self.holders_fn(badge_id, token, progress)

    def push(self, token: CancelToken, progress: ProgressCallback = ignore_progress) -> PushOutcome:
        """The session's push (``ui.push``): deliver, then re-read what was delivered (the badges'
        grants, a seconded nomination's likes). Offline the rows stay queued: no error."""
        if self.push_fn is None or not self.auto_push:
            return PushOutcome()
        return self.push_fn(token, progress)

    def refresh_nominations(self) -> Changes:
        if self.client is None:
            return Changes()
        try:
            return self.su.refresh_nominations(self.client)
        except Exception as exc:
            log.info("nomination refresh skipped: %s", type(exc).__name__)
            return Changes()
