"""The one background push: every view that sends the outbox uses :func:`push_op`.

It runs :func:`modconsole.outbox.policy.push_outbox` (deliver, then re-read what was delivered)
as one ``MutationOp`` on the writer thread, coalesced under :data:`PUSH_KEY`. Its ``Changes`` —
the outbox rows and the re-read topics, posts, members, groups and grants — go out through
``AppSignals.changes_applied``, so the thread, the queue and its counts, the dashboard and the
status bar refresh; whether the community answered goes out through ``AppSignals.online_changed``.
``success`` gets the :class:`~modconsole.outbox.policy.PushOutcome`::

    push_op(self, session.push_outbox).success(lambda outcome: ...).run_in_background(initiator=self)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from modconsole.changes import Changes
from modconsole.outbox.policy import PushOutcome
from modconsole.tasks import CancelToken, ProgressCallback
from ui.ops import MutationOp
from ui.signals import current_app_signals

__all__ = ["PUSH_KEY", "PushFn", "push_op"]

PUSH_KEY = "outbox-push"

PushFn = Callable[[CancelToken, ProgressCallback], PushOutcome]
"""``Session.push_outbox``: the policy bound to the session's service and sync engine."""


class _PushOp(MutationOp):
    """Also announces whether the community answered — even if the view that asked is gone."""

    def _on_success(self, result: Changes | tuple[Changes, Any], initiator: object | None) -> None:
        outcome = result[1] if isinstance(result, tuple) else None
        if isinstance(outcome, PushOutcome) and outcome.online is not None:
            signals = current_app_signals()
            if signals is not None:
                signals.online_changed.emit(outcome.online)
        super()._on_success(result, initiator)


def push_op(parent: QObject | None, push: PushFn) -> MutationOp:
    """The push as a ``MutationOp``, not started yet: chain ``success`` (it gets the
    :class:`PushOutcome`) and ``failure``, then ``run_in_background``."""

    def op(token: CancelToken, progress: ProgressCallback) -> tuple[Changes, PushOutcome]:
        outcome = push(token, progress)
        return outcome.changes, outcome

    return _PushOp(parent, op=op).coalesce(PUSH_KEY)
