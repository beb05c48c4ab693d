"""Solved reminders with a human in the loop (Qt-free).

A *reminder candidate* is a live, open topic in a category that uses accepted answers, with at
least one reply from someone other than the asker, and still no accepted answer ``after_days``
days (default 3) after the first such reply — but not more than ``max_days`` (default 60; 0 for
no limit: by then the asker has moved on and a nudge is noise). For each the moderator sees the
asker, the candidate replies (newest first; employees' and peers'), how long it has waited, and
whether the asker was already nudged this week. The moderator then chooses:

* **send a nudge**: a templated reply (placeholders ``{asker}``, ``{topic_title}``, ``{days}``,
  ``{replies}``, ``{moderator}``) queued in the outbox like any other action;
* **accept on their behalf**: the outbox's ``accept_answer``;
* **snooze** the topic for N days (kept in the cache's ``settings`` table, a local table that a pull
  never touches).

**At most one nudge per asker per week**, enforced here inside the enqueue's write transaction:
nudges queued or delivered from this console (outbox rows carrying ``payload["nudge"]``) *and*
nudges already on the server (posts carrying :data:`NUDGE_MARKER`, the line every nudge ends with)
both count, so two consoles converge once they have synced.

    svc = ReminderService(cache, moderation)
    for c in svc.candidates():
        print(c.title, c.asker, c.days_waiting, c.nudged_at)
    preview = svc.preview(topic_id)          # Nudge(text=…, allowed=…, refusal=…)
    svc.send_nudge(topic_id)                 # Queued (create_post in the outbox) or ReminderRefused
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole import settings as registry
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.html import to_text
from modconsole.outbox import store
from modconsole.services.moderation import ActionRefused, ModerationService, Queued, checked_note

__all__ = [
    "DEFAULT_TEMPLATE",
    "NUDGES_PER_WEEK_WINDOW",
    "NUDGE_MARKER",
    "PLACEHOLDERS",
    "Candidate",
    "CandidateReply",
    "Nudge",
    "ReminderRefused",
    "ReminderService",
    "ReminderSettings",
    "escape_markdown",
    "render_template",
]

NUDGES_PER_WEEK_WINDOW = timedelta(days=7)
NUDGE_MARKER = "— sent as a solved-answer reminder"
"""The last line of every nudge: how nudges already on the server are recognised (it survives cooking)."""
_MARKER_MATCH = "solved-answer reminder"

PLACEHOLDERS: dict[str, str] = {
    "asker": "the asker's username (without @)",
    "topic_title": "the topic's title",
    "days": "whole days since the first reply",
    "replies": "how many replies from others",
    "moderator": "your username",
}

DEFAULT_TEMPLATE = (
    "Hi @{asker}, thanks again for asking about “{topic_title}”. It has been {days} days since "
    "the first reply came in.\n\n"
    "If one of the replies solved it, could you mark it as the solution (the ✓ Solution button "
    "under that reply)? It helps the next person with the same question find the answer quickly.\n\n"
    "If it is not solved yet, just reply here and we will take another look. Thank you!"
)

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")


class ReminderRefused(ActionRefused):
    """A reminder action cannot be done as asked; ``user_message`` says why."""


@dataclass(frozen=True)
class ReminderSettings:
    after_days: int = 3
    template: str = DEFAULT_TEMPLATE
    employee_group: str = "employees"
    max_days: int = 60  # older questions are left alone (the asker has moved on); 0: no limit

    def to_dict(self) -> dict[str, Any]:
        return {
            "after_days": self.after_days,
            "template": self.template,
            "employee_group": self.employee_group,
            "max_days": self.max_days,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReminderSettings:
        """Settings from stored JSON; anything missing or out of range is the default."""
        base = cls()
        days = data.get("after_days")
        tpl = data.get("template")
        group = data.get("employee_group")
        most = data.get("max_days")
        return cls(
            max_days=most if isinstance(most, int) and 0 <= most <= 3650 else base.max_days,
            after_days=days if isinstance(days, int) and 0 <= days <= 365 else base.after_days,
            template=tpl if isinstance(tpl, str) and tpl.strip() else base.template,
            employee_group=group if isinstance(group, str) and group else base.employee_group,
        )


@dataclass(frozen=True)
class CandidateReply:
    post_id: int
    post_number: int
    username: str
    created_at: str
    excerpt: str
    employee: bool  # staff or a member of the employee group; otherwise a peer


@dataclass(frozen=True)
class Candidate:
    topic_id: int
    title: str
    slug: str
    category: str
    asker_id: int
    asker: str
    first_reply_at: str
    days_waiting: int
    replies: tuple[CandidateReply, ...]  # newest first
    nudged_at: str | None  # the asker's latest nudge in the last 7 days (any topic), else None
    next_nudge_at: str | None  # when another nudge to this asker is allowed (None: now)

    @property
    def can_nudge(self) -> bool:
        return self.nudged_at is None


@dataclass(frozen=True)
class Nudge:
    topic_id: int
    asker: str
    text: str  # exactly what will be posted (the template rendered, plus the marker line)
    allowed: bool
    refusal: str | None  # why not, in the moderator's words


# ---------------------------------------------------------------- template


def escape_markdown(value: str) -> str:
    """Neutralise Markdown/HTML in member-written text put into a nudge (a title like
    ``<img onerror=…>`` or ``[x](javascript:…)`` stays plain text); line breaks become spaces."""
    flat = " ".join(value.split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def render_template(template: str, values: Mapping[str, Any]) -> str:
    """Fill ``{name}`` placeholders (``{{``/``}}`` for literal braces). Unknown or malformed
    placeholders raise :class:`ReminderRefused` naming them; values are never re-interpreted."""

    def sub(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok == "{{":
            return "{"
        if tok == "}}":
            return "}"
        name = m.group(1)
        if name is None:
            raise ReminderRefused(
                "The reminder text has an unmatched brace: write {{ or }} for a literal brace."
            )
        if name not in values:
            known = ", ".join("{" + k + "}" for k in PLACEHOLDERS)
            raise ReminderRefused(f"Unknown placeholder {{{name}}} in the reminder text; use {known}.")
        return str(values[name])

    return _PLACEHOLDER.sub(sub, template)


# ---------------------------------------------------------------- helpers


def _rows(conn: Connection, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def _snoozes(conn: Connection) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for k, v in registry.get(conn, REMINDER_SNOOZES).items():
        if str(k).isdigit() and isinstance(v, dict) and isinstance(v.get("until"), str):
            out[int(k)] = v
    return out


def _put_snoozes(conn: Connection, data: Mapping[int, dict[str, Any]]) -> None:
    registry.put(conn, REMINDER_SNOOZES, {str(k): v for k, v in sorted(data.items())})


def _day(value: str | None) -> str:
    """``2026-11-22T…Z`` -> ``22 Nov 2026`` (UTC date, unambiguous in any locale)."""
    dt = store.parse_iso(value) if value else None
    return f"{dt.day} {dt.strftime('%b %Y')}" if dt is not None else (value or "")


def _iso(dt: datetime) -> str:
    return store.now_iso(dt)


def _parse(value: str | None) -> datetime | None:
    return store.parse_iso(value) if value else None


_CANDIDATES_SQL = """
SELECT t.id, COALESCE(t.title, '') AS title, COALESCE(t.slug, 'topic') AS slug,
       COALESCE(c.name, '') AS category,
       COALESCE(t.user_id, (SELECT p1.user_id FROM posts p1 WHERE p1.topic_id = t.id AND p1.post_number = 1))
         AS asker_id
FROM topics t JOIN categories c ON c.id = t.category_id
WHERE c.accepts_answers = 1 AND t.deleted_at IS NULL AND t.gone_since IS NULL
  AND t.closed = 0 AND t.archived = 0 AND COALESCE(t.archetype, 'regular') = 'regular'
  AND t.has_accepted_answer = 0 AND t.accepted_post_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id AND s.gone_since IS NULL)
"""

_REPLIES_SQL = """
SELECT p.id, p.post_number, p.topic_id, p.user_id, COALESCE(u.username, p.username, 'deleted') AS username,
       p.created_at, COALESCE(p.plain, '') AS plain, p.cooked,
       COALESCE(u.admin, 0) OR COALESCE(u.moderator, 0) OR EXISTS (
         SELECT 1 FROM group_members gm JOIN groups g ON g.id = gm.group_id
         WHERE gm.user_id = p.user_id AND gm.gone_since IS NULL AND lower(g.name) = lower(:group)
       ) AS employee
FROM posts p LEFT JOIN users u ON u.id = p.user_id
WHERE p.topic_id IN (SELECT value FROM json_each(:ids)) AND p.post_number > 1 AND p.post_type = 1
  AND p.deleted_at IS NULL AND p.gone_since IS NULL AND p.hidden = 0
ORDER BY p.created_at DESC, p.post_number DESC
"""


def _is_nudge_text(plain: str | None, cooked: str | None) -> bool:
    body = plain if plain else to_text(cooked)
    return _MARKER_MATCH in (body or "").lower()


class ReminderService:
    """Reminder candidates, nudges, accepting on the asker's behalf and snoozes for one cache."""

    def __init__(self, cache: Cache, moderation: ModerationService) -> None:
        self.cache = cache
        self.moderation = moderation

    # ------------------------------------------------------------ settings

    def settings(self) -> ReminderSettings:
        with self.cache.read() as conn:
            return registry.get(conn, REMINDERS)

    def save_settings(self, settings: ReminderSettings) -> Changes:
        if not 0 <= settings.after_days <= 365:
            raise ReminderRefused("Remind after 0 to 365 days.")
        if settings.max_days and settings.max_days < settings.after_days:
            raise ReminderRefused("Questions older than the reminder delay would never be shown.")
        render_template(settings.template, self._sample_values())  # refuse a broken template early
        with self.cache.write() as conn:
            registry.put(conn, REMINDERS, settings)
        return Changes.of("settings")

    def _sample_values(self) -> dict[str, Any]:
        return {
            "asker": "asker",
            "topic_title": "title",
            "days": 3,
            "replies": 1,
            "moderator": self.moderation.me,
        }

    # ------------------------------------------------------------ the weekly limit

    def _last_nudges(self, conn: Connection, now: datetime) -> dict[int, str]:
        """asker id -> time of their latest nudge within the last 7 days (queued, delivered or on
        the server)."""
        since = now - NUDGES_PER_WEEK_WINDOW
        out: dict[int, str] = {}

        def note(asker: Any, at: str | None) -> None:
            if isinstance(asker, int) and at and (asker not in out or at > out[asker]):
                out[asker] = at

        for r in store.rows(conn, since=_iso(since)):
            nudge = r.payload.get("nudge")
            if r.kind == "create_post" and isinstance(nudge, dict) and r.state != "cancelled":
                note(nudge.get("asker_id"), r.created_at)
        server = _rows(
            conn,
            "SELECT t.user_id AS asker, p.created_at, p.plain, p.cooked FROM posts p "
            "JOIN topics t ON t.id = p.topic_id "
            "WHERE p.created_at >= :since AND p.post_number > 1 AND p.deleted_at IS NULL "
            "AND p.gone_since IS NULL AND p.user_id IS NOT t.user_id "
            "AND (lower(p.plain) LIKE :m OR lower(p.cooked) LIKE :m)",
            since=_iso(since),
            m=f"%{_MARKER_MATCH}%",
        )
        for s in server:
            if _is_nudge_text(s["plain"], s["cooked"]):
                note(s["asker"], s["created_at"])
        return out

    # ------------------------------------------------------------ candidates

    def candidates(self, now: datetime | None = None, *, include_snoozed: bool = False) -> list[Candidate]:
        """Topics waiting for the asker to accept an answer, longest waiting first."""
        now = (now or clock.now()).astimezone(UTC)
        with self.cache.read() as conn:
            return self._candidates(conn, now, include_snoozed=include_snoozed)

    def _candidates(self, conn: Connection, now: datetime, *, include_snoozed: bool) -> list[Candidate]:
        cfg = registry.get(conn, REMINDERS)
        topics = {int(t["id"]): t for t in _rows(conn, _CANDIDATES_SQL) if t["asker_id"] is not None}
        if not topics:
            return []
        # an accept waiting, awaiting a decision, or delivered but not re-read by a pull yet
        pending_accepts = {
            int(r.payload["topic_id"])
            for r in store.rows(conn, store.OPEN_STATES)
            if r.kind in ("accept_answer", "unaccept_answer") and "topic_id" in r.payload
        } | {tid for tid, post in self.moderation.overlay().accepted.items() if post is not None}
        snoozed = {} if include_snoozed else _snoozes(conn)
        today = now.date().isoformat()
        replies: dict[int, list[CandidateReply]] = {}
        first: dict[int, str] = {}
        for p in _rows(conn, _REPLIES_SQL, ids=json.dumps(sorted(topics)), group=cfg.employee_group):
            t = topics[int(p["topic_id"])]
            if p["user_id"] is None or p["user_id"] == t["asker_id"] or not p["created_at"]:
                continue
            if _is_nudge_text(p["plain"], p["cooked"]):
                continue  # our own reminders are not answers
            plain = p["plain"] or to_text(p["cooked"])
            replies.setdefault(int(p["topic_id"]), []).append(
                CandidateReply(
                    post_id=int(p["id"]),
                    post_number=int(p["post_number"]),
                    username=str(p["username"]),
                    created_at=str(p["created_at"]),
                    excerpt=plain[:240] + ("…" if len(plain) > 240 else ""),
                    employee=bool(p["employee"]),
                )
            )
            tid = int(p["topic_id"])
            if tid not in first or str(p["created_at"]) < first[tid]:
                first[tid] = str(p["created_at"])
        names = {
            int(r["id"]): str(r["username"])
            for r in _rows(
                conn,
                "SELECT id, username FROM users WHERE id IN (SELECT value FROM json_each(:ids))",
                ids=json.dumps(sorted({int(t["asker_id"]) for t in topics.values()})),
            )
        }
        nudges = self._last_nudges(conn, now)
        out: list[Candidate] = []
        for tid, reps in replies.items():
            if tid in pending_accepts:
                continue
            snooze = snoozed.get(tid)
            if snooze is not None and today < str(snooze["until"]):
                continue
            started = _parse(first[tid])
            if started is None:
                continue
            waited = now - started
            if waited < timedelta(days=cfg.after_days):
                continue
            if cfg.max_days and waited > timedelta(days=cfg.max_days):
                continue
            t = topics[tid]
            asker_id = int(t["asker_id"])
            nudged = nudges.get(asker_id)
            nudged_dt = _parse(nudged)
            out.append(
                Candidate(
                    topic_id=tid,
                    title=str(t["title"]),
                    slug=str(t["slug"]),
                    category=str(t["category"]),
                    asker_id=asker_id,
                    asker=names.get(asker_id, f"user #{asker_id}"),
                    first_reply_at=first[tid],
                    days_waiting=int(waited.total_seconds() // 86400),
                    replies=tuple(reps),
                    nudged_at=nudged,
                    next_nudge_at=_iso(nudged_dt + NUDGES_PER_WEEK_WINDOW) if nudged_dt else None,
                )
            )
        out.sort(key=lambda c: (c.first_reply_at, c.topic_id))
        return out

    def candidate(self, topic_id: int, now: datetime | None = None) -> Candidate | None:
        return next(
            (c for c in self.candidates(now, include_snoozed=True) if c.topic_id == topic_id),
            None,
        )

    # ------------------------------------------------------------ nudges

    def _values(self, c: Candidate) -> dict[str, Any]:
        return {
            "asker": c.asker,
            "topic_title": escape_markdown(c.title),
            "days": c.days_waiting,
            "replies": len(c.replies),
            "moderator": self.moderation.me,
        }

    def render(self, c: Candidate, template: str | None = None) -> str:
        tpl = template if template is not None else self.settings().template
        body = render_template(tpl, self._values(c)).strip()
        return f"{body}\n\n{NUDGE_MARKER}"

    @staticmethod
    def _refusal(c: Candidate) -> str | None:
        if c.nudged_at is None:
            return None
        when = _day(c.nudged_at)
        nxt = _day(c.next_nudge_at)
        return (
            f"@{c.asker} was already reminded on {when}. At most one reminder per member per week: "
            f"the next one is possible from {nxt}."
        )

    def preview(self, topic_id: int, *, template: str | None = None, now: datetime | None = None) -> Nudge:
        c = self.candidate(topic_id, now)
        if c is None:
            raise ReminderRefused("This topic no longer waits for an accepted answer (or is not known here).")
        refusal = self._refusal(c)
        return Nudge(topic_id, c.asker, self.render(c, template), refusal is None, refusal)

    def send_nudge(self, topic_id: int, *, template: str | None = None, note: str | None = None) -> Queued:
        """Queue the rendered nudge as a reply to the topic. The weekly limit per asker is checked
        in the same write transaction as the insert, so two quick clicks cannot both pass."""
        note = checked_note(note)  # a note over the limit is refused, never cut
        now = clock.now()
        with self.cache.write() as conn:
            matches = [c for c in self._candidates(conn, now, include_snoozed=True) if c.topic_id == topic_id]
            if not matches:
                raise ReminderRefused(
                    "This topic no longer waits for an accepted answer (or is not known here)."
                )
            c = matches[0]
            refusal = self._refusal(c)
            if refusal is not None:
                raise ReminderRefused(refusal)
            raw = self.render(c, template)
            known = [
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM posts WHERE topic_id = :t AND username = :u COLLATE NOCASE"),
                    {"t": topic_id, "u": self.moderation.me},
                )
            ]
            payload: dict[str, Any] = {
                "topic_id": topic_id,
                "raw": raw,
                "reply_to_post_number": None,
                "topic_title": c.title,
                "known_post_ids": known,
                "nudge": {"asker_id": c.asker_id, "asker": c.asker, "days": c.days_waiting},
            }
            if note:
                payload["note"] = note
            ins = store.insert(
                conn,
                kind="create_post",
                target_key=f"topic:{topic_id}",
                payload=payload,
                precondition={"accepted": False},
                created_by=self.moderation.me,
            )
            changes = store.changes_for(ins.row_id, "create_post", payload)
            return Queued(ins.op_uuid, ins.row_id, describe_nudge(payload), changes, ins.cancelled)

    # ------------------------------------------------------------ accept, snooze

    def accept_for_asker(self, post_id: int, *, note: str | None = None) -> Queued:
        """Accept a reply on the asker's behalf (the outbox's ``accept_answer``)."""
        return self.moderation.accept_answer(
            post_id, note=note or "Accepted on the asker's behalf (reminder)"
        )

    def snooze(self, topic_id: int, days: int, *, now: datetime | None = None) -> Changes:
        if not 1 <= int(days) <= 365:
            raise ReminderRefused("Snooze for 1 to 365 days.")
        today = (now or clock.now()).astimezone(UTC).date()
        until = (today + timedelta(days=int(days))).isoformat()
        with self.cache.write() as conn:
            data = _snoozes(conn)
            data[int(topic_id)] = {"until": until, "by": self.moderation.me, "at": store.now_iso()}
            _put_snoozes(conn, data)
        return Changes(settings=True, topic_ids=frozenset({int(topic_id)}))

    def unsnooze(self, topic_id: int) -> Changes:
        with self.cache.write() as conn:
            data = _snoozes(conn)
            if data.pop(int(topic_id), None) is None:
                return Changes.none()
            _put_snoozes(conn, data)
        return Changes(settings=True, topic_ids=frozenset({int(topic_id)}))

    def snoozed(self) -> dict[int, date]:
        with self.cache.read() as conn:
            return {k: date.fromisoformat(str(v["until"])) for k, v in _snoozes(conn).items()}


def describe_nudge(payload: Mapping[str, Any]) -> str:
    raw = payload.get("nudge")
    nudge: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    return f"Remind @{nudge.get('asker')} to accept an answer in “{payload.get('topic_title')}”"


def _reminders_decode(value: Any) -> ReminderSettings:
    return ReminderSettings.from_dict(registry.json_object(value, "reminder settings"))


def _reminders_encode(value: ReminderSettings) -> Any:
    return value.to_dict()


def _snoozes_decode(value: Any) -> dict[str, Any]:
    return dict(registry.json_object(value, "setting"))


def _snoozes_encode(value: dict[str, Any]) -> Any:
    return value


REMINDERS: registry.Key[ReminderSettings] = registry.key(
    "reminders.settings",
    "Solved-answer reminders: after how many days, the message template, the employee group.",
    ReminderSettings,
    _reminders_decode,
    _reminders_encode,
)
REMINDER_SNOOZES: registry.Key[dict[str, Any]] = registry.key(
    "reminders.snoozed",
    "Topics snoozed from the reminders list: topic id → until when and by whom.",
    dict,
    _snoozes_decode,
    _snoozes_encode,
)
