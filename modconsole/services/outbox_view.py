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
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from modconsole.connectors.registry import stored_messages
from modconsole.i18n import QT_TRANSLATE_NOOP, Msg
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
# Every text below is marked for the UI's translation catalogue (modconsole.i18n).
STATE_LABELS = {
    "conflict": QT_TRANSLATE_NOOP("core", "Conflict"),
    "failed": QT_TRANSLATE_NOOP("core", "Failed"),
    "in_flight": QT_TRANSLATE_NOOP("core", "Sending"),
    "pending": QT_TRANSLATE_NOOP("core", "Waiting"),
    "done": QT_TRANSLATE_NOOP("core", "Done"),
    "cancelled": QT_TRANSLATE_NOOP("core", "Cancelled"),
}
RESOLUTION_LABELS = {
    "applied": QT_TRANSLATE_NOOP("core", "applied"),
    "already_applied": QT_TRANSLATE_NOOP("core", "was already so"),
    "target_gone": QT_TRANSLATE_NOOP("core", "the topic or post is gone"),
    "changed_remotely": QT_TRANSLATE_NOOP("core", "changed on the server meanwhile"),
    "needs_confirmation": QT_TRANSLATE_NOOP("core", "needs your confirmation"),
    "rejected": QT_TRANSLATE_NOOP("core", "refused by the server"),
    "forbidden": QT_TRANSLATE_NOOP("core", "not allowed for this account"),
    "invalid": QT_TRANSLATE_NOOP("core", "invalid"),
    "by_moderator": QT_TRANSLATE_NOOP("core", "discarded"),
    "superseded": QT_TRANSLATE_NOOP("core", "replaced by a later action"),
    "coalesced": QT_TRANSLATE_NOOP("core", "cancelled out by a later action"),
}
CANCELLED_MESSAGES = {  # a cancelled action's message: why, as a sentence of its own
    "by_moderator": QT_TRANSLATE_NOOP("core", "Discarded"),
    "superseded": QT_TRANSLATE_NOOP("core", "Replaced by a later action"),
    "coalesced": QT_TRANSLATE_NOOP("core", "Cancelled out by a later action"),
    "target_gone": QT_TRANSLATE_NOOP("core", "The topic or post is gone"),
    "rejected": QT_TRANSLATE_NOOP("core", "Refused by the server"),
    "forbidden": QT_TRANSLATE_NOOP("core", "Not allowed for this account"),
    "invalid": QT_TRANSLATE_NOOP("core", "Invalid"),
    "applied": QT_TRANSLATE_NOOP("core", "Applied"),
    "already_applied": QT_TRANSLATE_NOOP("core", "Was already so"),
    "changed_remotely": QT_TRANSLATE_NOOP("core", "Changed on the server meanwhile"),
    "needs_confirmation": QT_TRANSLATE_NOOP("core", "Needs your confirmation"),
}
CHOICE_LABELS = {
    "retry": QT_TRANSLATE_NOOP("core", "Retry"),
    "apply_anyway": QT_TRANSLATE_NOOP("core", "Apply anyway"),
    "discard": QT_TRANSLATE_NOOP("core", "Discard…"),
}
DECISION_LABELS = {
    "retry": QT_TRANSLATE_NOOP("core", "Retry"),
    "apply_anyway": QT_TRANSLATE_NOOP("core", "Apply anyway"),
    "discard": QT_TRANSLATE_NOOP("core", "Discard"),
}
GROUPS: dict[str, tuple[str, ...]] = {
    "needs_you": ("conflict", "failed"),
    "waiting": ("pending", "in_flight"),
    "done": ("done",),
    "cancelled": ("cancelled",),
}
"""Filter groups: name -> states (``all`` is every state)."""


def _q(value: Any) -> str:
    return (
        Msg(QT_TRANSLATE_NOOP("core", "“{title}”"), title=value)
        if value
        else QT_TRANSLATE_NOOP("core", "a topic")
    )


def _review_item(p: Mapping[str, Any], where: str) -> str:
    """A review item as the review kinds name it, from their payload (the type, the id, the topic)."""
    rid = p.get("reviewable_id")
    if p.get("type") == "ReviewableFlaggedPost":
        return Msg(QT_TRANSLATE_NOOP("core", "flag #{id} in {where}"), id=rid, where=where)
    if p.get("type") == "ReviewableQueuedPost":
        return Msg(QT_TRANSLATE_NOOP("core", "post #{id} awaiting approval in {where}"), id=rid, where=where)
    return Msg(QT_TRANSLATE_NOOP("core", "review item {id}"), id=rid)


def stored_message(text: str) -> str:
    """A conflict message as stored (English text): a :class:`Msg` again when one of the marked
    templates (``STORED_MESSAGES`` of a platform's action adapter) made it, so the UI can translate
    it; otherwise the text as it is."""
    for template in stored_messages():
        parts = re.split(r"\{(\w+)\}", template)
        pattern = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        m = re.fullmatch(pattern, text, flags=re.DOTALL)
        if m is not None:
            return Msg(template, **m.groupdict())
    return text


def describe_action(kind: str, p: Mapping[str, Any]) -> str:
    """The action and its target in words, e.g. ``Accept @dana's reply in “SSO login loops”``."""
    user = p.get("username") or (
        Msg(QT_TRANSLATE_NOOP("core", "user #{id}"), id=p["user_id"])
        if p.get("user_id") is not None
        else QT_TRANSLATE_NOOP("core", "a member")
    )
    title = p.get("topic_title")
    where = _q(title) if title else Msg(QT_TRANSLATE_NOOP("core", "topic {id}"), id=p.get("topic_id"))
    if kind == "accept_answer":
        author = p.get("author")
        if author:
            return Msg(
                QT_TRANSLATE_NOOP("core", "Accept @{author}'s reply in {where}"), author=author, where=where
            )
        return Msg(
            QT_TRANSLATE_NOOP("core", "Accept reply #{n} in {where}"), n=p.get("post_number"), where=where
        )
    if kind == "unaccept_answer":
        return Msg(
            QT_TRANSLATE_NOOP("core", "Unaccept reply #{n} in {where}"), n=p.get("post_number"), where=where
        )
    if kind == "create_post":
        nudge = p.get("nudge")
        if isinstance(nudge, dict):
            return Msg(
                QT_TRANSLATE_NOOP("core", "Remind @{asker} to accept an answer in {where}"),
                asker=nudge.get("asker"),
                where=where,
            )
        if p.get("whisper"):
            return Msg(QT_TRANSLATE_NOOP("core", "Whisper (staff-only note) in {where}"), where=where)
        return Msg(QT_TRANSLATE_NOOP("core", "Reply in {where}"), where=where)
    if kind == "close_topic":
        return Msg(QT_TRANSLATE_NOOP("core", "Close {where}"), where=where)
    if kind == "like_post":
        return Msg(
            QT_TRANSLATE_NOOP("core", "Like post {post} in topic {topic}"),
            post=p.get("post_id"),
            topic=p.get("topic_id"),
        )
    if kind == "create_topic":
        return Msg(QT_TRANSLATE_NOOP("core", "Start the topic {title}"), title=_q(p.get("title")))
    if kind == "grant_badge":
        return Msg(
            QT_TRANSLATE_NOOP("core", "Award “{badge}” to @{user}"), badge=p.get("badge_name"), user=user
        )
    if kind == "revoke_badge":
        return Msg(
            QT_TRANSLATE_NOOP("core", "Revoke “{badge}” from @{user}"), badge=p.get("badge_name"), user=user
        )
    if kind == "add_group_member":
        return Msg(
            QT_TRANSLATE_NOOP("core", "Add @{user} to the group “{group}”"),
            user=user,
            group=p.get("group_name"),
        )
    if kind == "remove_group_member":
        return Msg(
            QT_TRANSLATE_NOOP("core", "Remove @{user} from the group “{group}”"),
            user=user,
            group=p.get("group_name"),
        )
    if kind == "set_trust_level":
        return Msg(
            QT_TRANSLATE_NOOP("core", "Set @{user}'s trust level to {level}"), user=user, level=p.get("level")
        )
    if kind == "review_perform":
        return Msg(
            QT_TRANSLATE_NOOP("core", "Review: “{action}” on {item}"),
            action=p.get("label") or p.get("action_id"),
            item=_review_item(p, where),
        )
    if kind == "review_claim":
        return Msg(QT_TRANSLATE_NOOP("core", "Claim {item}"), item=_review_item(p, where))
    if kind == "review_unclaim":
        return Msg(QT_TRANSLATE_NOOP("core", "Release the claim on {item}"), item=_review_item(p, where))
    if kind == "assign_topic":
        who = f"@{p['username']}" if p.get("username") else f"@{p.get('group_name')}"
        return Msg(QT_TRANSLATE_NOOP("core", "Assign {where} to {who}"), where=where, who=who)
    if kind == "unassign_topic":
        return Msg(QT_TRANSLATE_NOOP("core", "Unassign {where}"), where=where)
    if kind == "add_user_note":
        who = f"@{p.get('username') or p.get('user_id')}"
        return Msg(QT_TRANSLATE_NOOP("core", "Add a staff note on {who}"), who=who)
    if kind == "delete_user_note":
        who = f"@{p.get('username') or p.get('user_id')}"
        return Msg(QT_TRANSLATE_NOOP("core", "Delete a staff note on {who}"), who=who)
    return store.describe(kind, p)


def _payload_lines(kind: str, p: Mapping[str, Any]) -> tuple[str, ...]:
    lines: list[str] = []
    if p.get("topic_title") or p.get("topic_id") is not None:
        lines.append(
            Msg(
                QT_TRANSLATE_NOOP("core", "Topic: {title} (#{id})"),
                title=p.get("topic_title") or "",
                id=p.get("topic_id"),
            )
        )
    if p.get("post_number") is not None:
        if p.get("author"):
            lines.append(
                Msg(
                    QT_TRANSLATE_NOOP("core", "Reply: #{n} by @{author} (post {post})"),
                    n=p["post_number"],
                    author=p["author"],
                    post=p.get("post_id"),
                )
            )
        else:
            lines.append(
                Msg(
                    QT_TRANSLATE_NOOP("core", "Reply: #{n} (post {post})"),
                    n=p["post_number"],
                    post=p.get("post_id"),
                )
            )
    if p.get("username"):
        lines.append(Msg(QT_TRANSLATE_NOOP("core", "Member: @{user}"), user=p["username"]))
    if p.get("badge_name"):
        if p.get("multiple_grant"):
            lines.append(
                Msg(
                    QT_TRANSLATE_NOOP("core", "Badge: {badge} (can be awarded several times)"),
                    badge=p["badge_name"],
                )
            )
        else:
            lines.append(Msg(QT_TRANSLATE_NOOP("core", "Badge: {badge}"), badge=p["badge_name"]))
    if p.get("group_name"):
        lines.append(Msg(QT_TRANSLATE_NOOP("core", "Group: {group}"), group=p["group_name"]))
    if p.get("level") is not None:
        lines.append(Msg(QT_TRANSLATE_NOOP("core", "Trust level: {level}"), level=p["level"]))
    if p.get("reason"):
        lines.append(Msg(QT_TRANSLATE_NOOP("core", "Reason: {reason}"), reason=p["reason"]))
    if p.get("title"):
        lines.append(Msg(QT_TRANSLATE_NOOP("core", "Title: {title}"), title=p["title"]))
    if p.get("raw"):
        lines.append(Msg(QT_TRANSLATE_NOOP("core", "Text: {text}"), text=p["raw"]))
    if p.get("force"):
        lines.append(QT_TRANSLATE_NOOP("core", "Apply anyway: yes (chosen after a conflict)"))
    return tuple(lines)


def _precondition_text(kind: str, pre: Mapping[str, Any]) -> str:
    if not pre:
        return QT_TRANSLATE_NOOP("core", "None recorded.")
    if kind in ("accept_answer", "unaccept_answer"):
        n = pre.get("accepted_post_number")
        if n is None:
            return QT_TRANSLATE_NOOP("core", "When queued, no answer was accepted.")
        return Msg(QT_TRANSLATE_NOOP("core", "When queued, reply #{n} was accepted."), n=n)
    if kind == "revoke_badge" and pre.get("user_badge_id") is not None:
        when = str(pre.get("granted_at") or "")[:16].replace("T", " ")
        if when:
            return Msg(
                QT_TRANSLATE_NOOP("core", "When queued, they held it (award #{award}, granted {when} UTC)."),
                award=pre["user_badge_id"],
                when=when,
            )
        return Msg(
            QT_TRANSLATE_NOOP("core", "When queued, they held it (award #{award})."),
            award=pre["user_badge_id"],
        )
    if "member" in pre:
        if pre["member"]:
            return QT_TRANSLATE_NOOP("core", "When queued, they were a member.")
        return QT_TRANSLATE_NOOP("core", "When queued, they were not a member.")
    if "trust_level" in pre:
        return Msg(
            QT_TRANSLATE_NOOP("core", "When queued, their trust level was {level}."), level=pre["trust_level"]
        )
    if "suspended" in pre:
        if pre["suspended"]:
            return QT_TRANSLATE_NOOP("core", "When queued, they were suspended.")
        return QT_TRANSLATE_NOOP("core", "When queued, they were not suspended.")
    if "accepted" in pre:
        if pre["accepted"]:
            return QT_TRANSLATE_NOOP("core", "When queued, the topic had an accepted answer.")
        return QT_TRANSLATE_NOOP("core", "When queued, the topic had no accepted answer.")
    return ", ".join(f"{k}: {v}" for k, v in sorted(pre.items()))


def _server_message(row: OutboxRow, attempts: list[dict[str, Any]] | None = None) -> str:
    if row.state == "cancelled":
        decided = [d for d in row.result.get("decisions") or [] if isinstance(d, dict)]
        if decided and decided[-1].get("choice") == "discard":
            note = decided[-1].get("note")
            if note:
                return Msg(
                    QT_TRANSLATE_NOOP("core", "Discarded by @{who}: {note}"),
                    who=decided[-1].get("by"),
                    note=note,
                )
            return Msg(QT_TRANSLATE_NOOP("core", "Discarded by @{who}"), who=decided[-1].get("by"))
        return CANCELLED_MESSAGES.get(row.resolution or "", STATE_LABELS["cancelled"])
    if row.last_error:
        return stored_message(row.last_error)
    if row.state == "done":
        if row.resolution == "applied":
            return QT_TRANSLATE_NOOP("core", "Applied")
        return RESOLUTION_LABELS.get(row.resolution or "", STATE_LABELS["done"])
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
        label: str = STATE_LABELS.get(self.state, self.state)
        if self.resolution and self.state in ("conflict", "failed", "cancelled"):
            label = Msg(
                QT_TRANSLATE_NOOP("core", "{state}: {resolution}"),
                state=label,
                resolution=RESOLUTION_LABELS.get(self.resolution, self.resolution),
            )
        if self.stale:
            label = Msg(QT_TRANSLATE_NOOP("core", "{state} (over a week)"), state=label)
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


def _decision(d: Mapping[str, Any]) -> str:
    at = str(d.get("at"))[:16].replace("T", " ")
    choice = str(d.get("choice"))
    label = DECISION_LABELS.get(choice, choice)
    if d.get("note"):
        return Msg(
            QT_TRANSLATE_NOOP("core", "{at} @{who}: {choice} — {note}"),
            at=at,
            who=d.get("by"),
            choice=label,
            note=d.get("note"),
        )
    return Msg(QT_TRANSLATE_NOOP("core", "{at} @{who}: {choice}"), at=at, who=d.get("by"), choice=label)


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
    decisions = tuple(_decision(d) for d in row.result.get("decisions") or [] if isinstance(d, dict))
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
