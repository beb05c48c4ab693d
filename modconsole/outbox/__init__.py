"""The offline outbox: moderator actions saved locally first and delivered exactly once
(SYNC.md §6). :mod:`.store` holds the rows, :mod:`.actions` the request and verification read
of each kind, :mod:`.dispatcher` the push loop, :mod:`.permissions` what the key may do.
The moderator-facing API is :class:`modconsole.services.moderation.ModerationService`."""

from __future__ import annotations

from modconsole.outbox.dispatcher import Dispatcher, DispatchOptions, PushReport
from modconsole.outbox.store import OutboxRow

__all__ = ["DispatchOptions", "Dispatcher", "OutboxRow", "PushReport"]
