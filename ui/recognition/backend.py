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
from modconsole.tasks import CancelToken, ProgressCallback, ignore_progress

if TYPE_CHECKING:
    from ui.services import Session

__all__ = ["RecognitionBackend"]

log = logging.getLogger("modconsole.ui.recognition")

PushFn = Callable[[CancelToken, ProgressCallback], PushOutcome]


@dataclass
class RecognitionBackend:
    rec: RecognitionService
    su: SuperuserService
    client: ApiClient | None = None
    push_fn: PushFn | None = None
    auto_push: bool = True

    @classmethod
    def from_session(cls, session: Session) -> RecognitionBackend:
        """Bind to the signed-in session (its workspace's outbox and the one push policy)."""
        service = session.workspace.moderation
        return cls(
            RecognitionService(session.cache, service),
            SuperuserService(session.cache, service),
            client=session.client,
            push_fn=session.push_outbox,
        )

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
