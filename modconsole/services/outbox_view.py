"""The outbox as the moderator reads it (Qt-free): every action in words, grouped by state with
the ones that need a decision first, one action's details (payload, precondition, attempts,
the server's message, the choices), and the audit journal filtered by date.

    with cache.read() as conn:
        entries = load_entries(conn)            # conflicted and failed first
        detail = load_detail(conn, op_uuid)     # attempts, choices, payload in words
        rows = journal(conn, since="2026-11-01", until="2026-11-30")
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from modconsole.outbox import store
from modconsole.outbox.store import OutboxRow

__all__ = [
    "CHOICE_LABELS",
    "GROUPS",
    "RESOLUTION_LABELS",
    "STATE_LABELS",
    "STATE_ORDER",
    "Attempt",
    "OutboxDetail",
    "OutboxEntry",
    "describe_action",
    "group_counts",
    "journal",
    "load_detail",
    "load_entries",
]

STATE_ORDER = {"conflict": 0, "failed": 1, "in_flight": 2, "pending": 3, "done": 4, "cancelled": 5}
STATE_LABELS = {
    "conflict": "Conflict",
    "failed": "Failed",
    "in_flight": "Sending",
    "pending": "Waiting",
    "done": "Done",
    "cancelled": "Cancelled",
}
RESOLUTION_LABELS = {
    "applied": "applied",
    "already_applied": "was already so",
    "target_gone": "the topic or post is gone",
    "changed_remotely": "changed on the server meanwhile",
    "needs_confirmation": "needs your confirmation",
    "rejected": "refused by the server",
    "forbidden": "not allowed for this account",
    "invalid": "invalid",
    "by_moderator": "discarded",
    "superseded": "replaced by a later action",
    "coalesced": "cancelled out by a later action",
}
CHOICE_LABELS = {"retry": "Retry", "apply_anyway": "Apply anyway", "discard": "Discard…"}
GROUPS: dict[str, tuple[str, ...]] = {
    "needs_you": ("conflict", "failed"),
    "waiting": ("pending", "in_flight"),
    "done": ("done",),
    "cancelled": ("cancelled",),
}
"""Filter groups: name -> states (``all`` is every state)."""


def _q(value: Any) -> str:
    return f"“{value}”" if value else "a topic"


def describe_action(kind: str, p: Mapping[str, Any]) -> str:
    """The action and its target in words, e.g. ``Accept @dana's reply in “SSO login loops”``."""
    user = p.get("username") or (f"user #{p['user_id']}" if p.get("user_id") is not None else "a member")
    title = p.get("topic_title")
    where = _q(title) if title else f"topic {p.get('topic_id')}"
    if kind == "accept_answer":
        author = p.get("author")
        whose = f"@{author}'s reply" if author else f"reply #{p.get('post_number')}"
        return f"Accept {whose} in {where}"
    if kind == "unaccept_answer":
        return f"Unaccept reply #{p.get('post_number')} in {where}"
    if kind == "create_post":
        nudge = p.get("nudge")
        if isinstance(nudge, dict):
            return f"Remind @{nudge.get('asker')} to accept an answer in {where}"
        return f"Reply in {where}"
    if kind == "close_topic":
        return f"Close {where}"
    if kind == "like_post":
        return f"Like post {p.get('post_id')} in topic {p.get('topic_id')}"
    if kind == "create_topic":
        return f"Start the topic {_q(p.get('title'))}"
    if kind == "grant_badge":
        return f"Award “{p.get('badge_name')}” to @{user}"
    if kind == "revoke_badge":
        return f"Revoke “{p.get('badge_name')}” from @{user}"
    if kind == "add_group_member":
        return f"Add @{user} to the group “{p.get('group_name')}”"
    if kind == "remove_group_member":
        return f"Remove @{user} from the group “{p.get('group_name')}”"
    if kind == "set_trust_level":
        return f"Set @{user}'s trust level to {p.get('level')}"
    return store.describe(kind, p)


def _payload_lines(kind: str, p: Mapping[str, Any]) -> tuple[str, ...]:
    lines: list[str] = []
    if p.get("topic_title") or p.get("topic_id") is not None:
        lines.append(f"Topic: {p.get('topic_title') or ''} (#{p.get('topic_id')})".replace(": (", ": ("))
    if p.get("post_number") is not None:
        who = f" by @{p['author']}" if p.get("author") else ""
        lines.append(f"Reply: #{p['post_number']}{who} (post {p.get('post_id')})")
    if p.get("username"):
        lines.append(f"Member: @{p['username']}")
    if p.get("badge_name"):
        lines.append(
            f"Badge: {p['badge_name']}"
            + (" (can be awarded several times)" if p.get("multiple_grant") else "")
        )
    if p.get("group_name"):
        lines.append(f"Group: {p['group_name']}")
    if p.get("level") is not None:
        lines.append(f"Trust level: {p['level']}")
    if p.get("reason"):
        lines.append(f"Reason: {p['reason']}")
    if p.get("title"):
        lines.append(f"Title: {p['title']}")
    if p.get("raw"):
        lines.append(f"Text: {p['raw']}")
    if p.get("force"):
        lines.append("Apply anyway: yes (chosen after a conflict)")
    return tuple(lines)


def _precondition_text(kind: str, pre: Mapping[str, Any]) -> str:
    if not pre:
        return "None recorded."
    if kind in ("accept_answer", "unaccept_answer"):
        n = pre.get("accepted_post_number")
        return (
            "When queued, no answer was accepted." if n is None else f"When queued, reply #{n} was accepted."
        )
    if kind == "revoke_badge" and pre.get("user_badge_id") is not None:
        when = str(pre.get("granted_at") or "")[:16].replace("T", " ")
        return f"When queued, they held it (award #{pre['user_badge_id']}" + (
            f", granted {when} UTC)." if when else ")."
        )
    if "member" in pre:
        return "When queued, they were " + ("" if pre["member"] else "not ") + "a member."
    if "trust_level" in pre:
        return f"When queued, their trust level was {pre['trust_level']}."
    if "suspended" in pre:
        return "When queued, they were " + ("" if pre["suspended"] else "not ") + "suspended."
    if "accepted" in pre:
        return "When queued, the topic had " + ("an" if pre["accepted"] else "no") + " accepted answer."
    return ", ".join(f"{k}: {v}" for k, v in sorted(pre.items()))


def _server_message(row: OutboxRow, attempts: list[dict[str, Any]] | None = None) -> str:
    if row.state == "cancelled":
        decided = [d for d in row.result.get("decisions") or [] if isinstance(d, dict)]
        if decided and decided[-1].get("choice") == "discard":
            note = decided[-1].get("note")
            return f"Discarded by @{decided[-1].get('by')}" + (f": {note}" if note else "")
        return RESOLUTION_LABELS.get(row.resolution or "", "Cancelled").capitalize()
    if row.last_error:
        return row.last_error
    if row.state == "done":
        return (
            "Applied" if row.resolution == "applied" else RESOLUTION_LABELS.get(row.resolution or "", "Done")
        )
    for a in reversed(attempts or []):
        if a.get("response_excerpt"):
            return str(a["response_excerpt"])[:300]
    return ""


@dataclass(frozen=True)
class OutboxEntry:
    """One row of the outbox table."""

    op_uuid: str
    kind: str
    action: str
    created_by: str
    created_at: str
    updated_at: str
    state: str
    resolution: str | None
    attempts: int
    message: str
    choices: tuple[str, ...]
    stale: bool = False

    @property
    def state_label(self) -> str:
        label = STATE_LABELS.get(self.state, self.state)
        if self.resolution and self.state in ("conflict", "failed", "cancelled"):
            label += f": {RESOLUTION_LABELS.get(self.resolution, self.resolution)}"
        if self.stale:
            label += " (over a week)"
        return label

    @property
    def needs_you(self) -> bool:
        return self.state in ("conflict", "failed")


@dataclass(frozen=True)
class Attempt:
    kind: str  # send / verify / precheck
    started_at: str
    finished_at: str | None
    request: str
    status: str  # HTTP status or error class
    outcome: str
    response: str


@dataclass(frozen=True)
class OutboxDetail:
    entry: OutboxEntry
    payload_lines: tuple[str, ...]
    precondition: str
    note: str | None
    attempts: tuple[Attempt, ...]
    decisions: tuple[str, ...]
    evidence: str


def _entry(row: OutboxRow, attempts: list[dict[str, Any]] | None = None) -> OutboxEntry:
    return OutboxEntry(
        op_uuid=row.op_uuid,
        kind=row.kind,
        action=describe_action(row.kind, row.payload),
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        state=row.state,
        resolution=row.resolution,
        attempts=row.attempts,
        message=_server_message(row, attempts),
        choices=row.choices,
        stale=row.stale,
    )


def load_entries(conn: Connection, states: tuple[str, ...] | None = None) -> list[OutboxEntry]:
    """Every action (or those in ``states``): conflicts, failures, sending, waiting, done, cancelled."""
    out = [_entry(r) for r in store.rows(conn, states)]
    out.reverse()  # newest first within a state (rows come oldest first; the sort below is stable)
    out.sort(key=lambda e: STATE_ORDER.get(e.state, 9))
    return out


def group_counts(conn: Connection) -> dict[str, int]:
    c = store.counts(conn)
    out = {name: sum(c.get(s, 0) for s in states) for name, states in GROUPS.items()}
    out["all"] = sum(c.values())
    return out


def load_detail(conn: Connection, op_uuid: str) -> OutboxDetail | None:
    row = store.get(conn, op_uuid)
    if row is None:
        return None
    atts = store.attempts_of(conn, row.id)
    attempts = tuple(
        Attempt(
            kind=str(a["kind"]),
            started_at=str(a["started_at"]),
            finished_at=a.get("finished_at"),
            request=str(a["request_line"]),
            status=str(a["http_status"] or a["error_class"] or "no answer yet"),
            outcome=str(a["outcome"] or ""),
            response=str(a["response_excerpt"] or ""),
        )
        for a in atts
    )
    decisions = tuple(
        f"{str(d.get('at'))[:16].replace('T', ' ')} @{d.get('by')}: "
        f"{CHOICE_LABELS.get(str(d.get('choice')), str(d.get('choice'))).rstrip('…')}"
        + (f" — {d.get('note')}" if d.get("note") else "")
        for d in row.result.get("decisions") or []
        if isinstance(d, dict)
    )
    ev = row.result.get("evidence")
    return OutboxDetail(
        entry=_entry(row, atts),
        payload_lines=_payload_lines(row.kind, row.payload),
        precondition=_precondition_text(row.kind, row.precondition),
        note=row.note,
        attempts=attempts,
        decisions=decisions,
        evidence=json.dumps(ev, ensure_ascii=False)
        if ev is not None and not isinstance(ev, str)
        else (ev or ""),
    )


def journal(
    conn: Connection, since: date | str | None = None, until: date | str | None = None
) -> list[dict[str, Any]]:
    """The audit journal (``store.audit_entries``) of actions queued from ``since`` up to and
    including the day ``until`` (local bookkeeping times are UTC), newest first."""
    lo = since.isoformat() if isinstance(since, date) else since
    entries = store.audit_entries(conn, lo)
    if until is not None:
        end = (until if isinstance(until, date) else date.fromisoformat(str(until)[:10])) + timedelta(days=1)
        entries = [e for e in entries if str(e["created_at"]) < end.isoformat()]
    rows = {r.op_uuid: r for r in store.rows(conn, since=lo)}
    for e in entries:
        r = rows.get(str(e["op_uuid"]))
        if r is not None:
            e["action"] = describe_action(r.kind, r.payload)
    entries.reverse()
    return entries
