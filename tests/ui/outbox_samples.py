"""Sample-filled Outbox and Reminders models for the refcount guard (``test_model_refcount.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel

from modconsole.services.outbox_view import OutboxEntry
from modconsole.services.reminders import Candidate, CandidateReply

REPLY = CandidateReply(7, 2, "wen_meyer", "2026-11-18T10:00:00.000Z", "Try clearing the SSO cookie.", True)
CANDIDATE = Candidate(
    topic_id=3,
    title="SSO login loops",
    slug="sso-login-loops",
    category="Support",
    asker_id=11,
    asker="dana",
    first_reply_at="2026-11-18T10:00:00.000Z",
    days_waiting=4,
    replies=(REPLY,),
    nudged_at="2026-11-20T09:00:00.000Z",
    next_nudge_at="2026-11-27T09:00:00.000Z",
)
ENTRY = OutboxEntry(
    op_uuid="0f6c1f0e-aaaa-bbbb-cccc-000000000001",
    kind="accept_answer",
    action="Accept @wen_meyer's reply in “SSO login loops”",
    created_by="mo",
    created_at="2026-11-22T10:00:00.000Z",
    updated_at="2026-11-22T10:00:01.000Z",
    state="conflict",
    resolution="changed_remotely",
    attempts=1,
    message="Reply #3 was accepted meanwhile",
    choices=("retry", "apply_anyway", "discard"),
)
JOURNAL: dict[str, Any] = {
    "op_uuid": ENTRY.op_uuid,
    "created_at": ENTRY.created_at,
    "created_by": "mo",
    "action": ENTRY.action,
    "note": "",
    "state": "done",
    "resolution": "applied",
    "last_error": "",
    "server_response": '{"success":"OK"}',
    "request_log": "send POST /solution/accept.json -> 200 (applied)",
    "decisions": "",
}


def _outbox() -> QAbstractTableModel:
    from ui.outbox.models import OutboxModel

    m = OutboxModel()
    m.set_rows([ENTRY])
    return m


def _journal() -> QAbstractTableModel:
    from ui.outbox.models import JournalModel

    m = JournalModel()
    m.set_rows([JOURNAL])
    return m


def _candidates() -> QAbstractTableModel:
    from ui.reminders.page import CandidatesModel

    m = CandidatesModel()
    m.set_rows([CANDIDATE])
    return m


def _replies() -> QAbstractTableModel:
    from ui.reminders.page import RepliesModel

    m = RepliesModel()
    m.set_rows([REPLY])
    return m


OUTBOX_MODEL_FACTORIES: list[tuple[str, Callable[[], QAbstractTableModel]]] = [
    ("outbox-actions", _outbox),
    ("outbox-journal", _journal),
    ("reminder-candidates", _candidates),
    ("reminder-replies", _replies),
]
