"""The superuser programme (Qt-free): explainable candidate ranking, nominations, seconds, approval,
decline and renewal review.

**Score.** Over a window (default the last 12 months) each member who is not staff, not an employee
and not already a superuser gets eight components, all computed from the cache with indexed SQL
aggregates (one pass over the window's posts, one over solutions, one over topics):

==================  ===========================================================  ===============
component           raw value                                                     normalised
==================  ===========================================================  ===============
accepted            accepted answers on others' questions, written in window      log, vs. top
first_responses     topics where they gave the first response (asker excluded)    log, vs. top
replies             replies in other members' topics                              log, vs. top
helped              distinct members whose topics they replied in                 log, vs. top
likes               likes received on posts written in the window                 log, vs. top
months_active       calendar months touching the window with a post               ÷ window months
breadth             distinct categories posted in                                 ÷ top
recency             days since the last post                                      1 − days/horizon
==================  ===========================================================  ===============

``log, vs. top`` is ``ln(1 + raw) / ln(1 + max raw among candidates)``. The score is
``100 · Σ weight·normalised / Σ weight``; each :class:`Component` keeps raw, normalised, weight and
contribution, so the screen can say exactly why someone ranks where they do. Weights, the window,
the nomination category, the groups and the renewal period are settings in the cache's
``settings`` table (:class:`ProgramSettings`).

**Nominations** are topics in a staff-only category, created through the outbox (offline OK). The
body is the note plus a fenced ``modconsole-nomination`` JSON block (user id, username, score,
window, components) that every console parses after sync. A teammate *seconds* by liking the first
post; approval and decline are replies carrying a ``modconsole-decision`` block (decline also
closes the topic).
"""

from __future__ import annotations

import html as _html
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole import settings as registry
from modconsole.api.client import ApiClient
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.connectors.base import Connector, Links
from modconsole.emails import company_domain
from modconsole.errors import ApiError, InvalidInput
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.outbox import store
from modconsole.services.moderation import ActionRefused, Queued
from modconsole.services.recognition import ModerationActions, connector_of, member_status, post_url

NOMINATION_TAG = "modconsole-nomination"
DECISION_TAG = "modconsole-decision"

COMPONENTS: tuple[str, ...] = (
    "accepted",
    "first_responses",
    "replies",
    "helped",
    "likes",
    "months_active",
    "breadth",
    "recency",
)
COMPONENT_LABELS: dict[str, str] = {
    "accepted": QT_TRANSLATE_NOOP("core", "Accepted answers"),
    "first_responses": QT_TRANSLATE_NOOP("core", "First responses"),
    "replies": QT_TRANSLATE_NOOP("core", "Replies to others"),
    "helped": QT_TRANSLATE_NOOP("core", "Members helped"),
    "likes": QT_TRANSLATE_NOOP("core", "Likes received"),
    "months_active": QT_TRANSLATE_NOOP("core", "Months active"),
    "breadth": QT_TRANSLATE_NOOP("core", "Categories"),
    "recency": QT_TRANSLATE_NOOP("core", "Days since last post"),
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "accepted": 3.0,
    "first_responses": 2.0,
    "replies": 1.0,
    "helped": 2.0,
    "likes": 1.0,
    "months_active": 1.5,
    "breadth": 1.0,
    "recency": 1.0,
}
_LOG_SCALED = frozenset({"accepted", "first_responses", "replies", "helped", "likes"})


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class ProgramSettings:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    window_months: int = 12
    recency_horizon_days: int = 90
    nomination_category_id: int | None = None  # None: the first read-restricted (staff) category
    group: str = "superusers"
    badge: str = "Superuser"
    employee_group: str = "employees"
    vendor_domains: tuple[str, ...] = ()  # () : the e-mail domains of staff members
    renewal_months: int = 6
    leads: tuple[str, ...] = ()  # usernames who may approve; () : any moderator or admin
    required_seconds: int = 1
    """Seconds (likes on the nomination, so never the nominator's own) an approval needs; below
    that, approving takes an explicit override with a reason, kept in the audit journal."""

    def weight(self, name: str) -> float:
        return float(self.weights.get(name, DEFAULT_WEIGHTS[name]))

    def check(self) -> None:
        """Raise :class:`InvalidInput` when these settings must not be stored."""
        for k, w in self.weights.items():
            if k not in DEFAULT_WEIGHTS or w < 0:
                raise InvalidInput(f"Weight {k!r} must be one of {', '.join(COMPONENTS)} and not negative.")
        if self.required_seconds < 0:
            raise InvalidInput("The seconds a nomination needs cannot be negative.")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["weights"] = dict(self.weights)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ProgramSettings:
        """Settings from stored JSON; anything missing or of the wrong type is the default."""
        base = cls()
        weights = dict(DEFAULT_WEIGHTS)
        for k, v in (d.get("weights") or {}).items():
            if k in DEFAULT_WEIGHTS and isinstance(v, int | float) and v >= 0:
                weights[k] = float(v)

        def pick(name: str, typ: type | tuple[type, ...]) -> Any:
            v = d.get(name)
            return v if isinstance(v, typ) and not isinstance(v, bool) else getattr(base, name)

        return cls(
            weights=weights,
            window_months=max(1, int(pick("window_months", int))),
            recency_horizon_days=max(1, int(pick("recency_horizon_days", int))),
            nomination_category_id=d.get("nomination_category_id")
            if isinstance(d.get("nomination_category_id"), int)
            else None,
            group=str(pick("group", str)),
            badge=str(pick("badge", str)),
            employee_group=str(pick("employee_group", str)),
            vendor_domains=tuple(str(x).lower() for x in d.get("vendor_domains") or () if isinstance(x, str)),
            renewal_months=max(1, int(pick("renewal_months", int))),
            leads=tuple(str(x) for x in d.get("leads") or () if isinstance(x, str)),
            required_seconds=max(0, int(pick("required_seconds", int))),
        )


def load_settings(cache: Cache) -> ProgramSettings:
    return registry.load(cache, SUPERUSERS)


def save_settings(cache: Cache, settings: ProgramSettings) -> Changes:
    registry.store(cache, SUPERUSERS, settings)
    return Changes(settings=True)


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Component:
    name: str
    raw: float
    normalised: float
    weight: float
    contribution: float  # points of the 0–100 score

    @property
    def label(self) -> str:
        return COMPONENT_LABELS[self.name]


@dataclass(frozen=True)
class Window:
    since: str
    until: str
    months: int


@dataclass(frozen=True)
class Candidate:
    user_id: int
    username: str
    name: str
    company: str
    trust_level: int | None
    score: float
    components: tuple[Component, ...]
    last_post_at: str
    nominated: bool = False  # an open or queued nomination exists

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)

    def snapshot(self, window: Window) -> dict[str, Any]:
        return {
            "v": 1,
            "user_id": self.user_id,
            "username": self.username,
            "score": round(self.score, 2),
            "window": {"since": window.since, "until": window.until, "months": window.months},
            "components": {
                c.name: {
                    "raw": c.raw,
                    "normalised": round(c.normalised, 4),
                    "weight": c.weight,
                    "contribution": round(c.contribution, 2),
                }
                for c in self.components
            },
        }


@dataclass(frozen=True)
class Ranking:
    window: Window
    candidates: tuple[Candidate, ...]
    considered: int  # members who posted in the calendar months of the window, before exclusions
    excluded: int  # of those: staff, employees, superusers, suspended/staged/… members
    maxima: Mapping[str, float]


@dataclass(frozen=True)
class Evidence:
    """The posts behind each component (post id lists, newest first, capped)."""

    user_id: int
    posts: Mapping[str, tuple[int, ...]]
    links: Mapping[int, str]  # post id -> site URL


@dataclass(frozen=True)
class Nomination:
    topic_id: int | None
    op_uuid: str | None  # set while the nomination topic waits in the outbox
    title: str
    user_id: int
    username: str
    score: float
    window: Mapping[str, Any]
    components: Mapping[str, Any]
    note: str
    nominated_by: str
    created_at: str
    first_post_id: int | None
    seconds: int
    seconded_by_me: bool
    state: str  # queued | open | approved | declined
    pending: str | None  # approval queued | decline queued | second queued
    url: str | None


@dataclass(frozen=True)
class RenewalRow:
    user_id: int
    username: str
    name: str
    last_post_at: str
    months_inactive: float | None
    since: str  # when they became a superuser (badge grant), if known


@dataclass(frozen=True)
class ApprovalResult:
    queued: tuple[Queued, ...]
    skipped: tuple[str, ...]
    changes: Changes


# ---------------------------------------------------------------- block parsing


def _block_json(
    marker: str, raw: str | None, cooked: str | None, plain: str | None = None
) -> dict[str, Any] | None:
    """The JSON object of the last fenced ``marker`` block in a post (raw, cooked or plain text)."""
    for source in (raw, cooked, plain):
        if not source or marker not in source:
            continue
        s = source
        if source is cooked:
            s = re.sub(r"<code[^>]*\blang-(modconsole-[\w-]+)[^>]*>", r" ```\1 ", source)
            s = _html.unescape(re.sub(r"<[^>]+>", " ", s))
        pos = len(s)
        while True:
            pos = s.rfind(marker, 0, pos)
            if pos < 0:
                break
            start = s.find("{", pos)
            if start >= 0:
                try:
                    obj, _end = json.JSONDecoder().raw_decode(s, start)
                except ValueError:
                    obj = None
                if isinstance(obj, dict):
                    return obj
        continue
    return None


def parse_nomination(
    raw: str | None = None, cooked: str | None = None, plain: str | None = None
) -> dict[str, Any] | None:
    obj = _block_json(NOMINATION_TAG, raw, cooked, plain)
    if obj is None or not isinstance(obj.get("user_id"), int) or not isinstance(obj.get("username"), str):
        return None
    return obj


def parse_decision(
    raw: str | None = None, cooked: str | None = None, plain: str | None = None
) -> dict[str, Any] | None:
    obj = _block_json(DECISION_TAG, raw, cooked, plain)
    if obj is None or obj.get("decision") not in ("approved", "declined"):
        return None
    return obj


def _note_of(raw: str | None, cooked: str | None) -> str:
    if raw:
        return raw.split("```" + NOMINATION_TAG)[0].strip()
    s = _html.unescape(re.sub(r"<br\s*/?>", "\n", cooked or ""))
    s = re.sub(r"</p>\s*<p>", "\n\n", s)
    s = re.sub(r"<[^>]+>", "", s)
    return s.split("```" + NOMINATION_TAG)[0].split("Score snapshot")[0].strip()


def _fmt(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def _parse(value: str | None) -> datetime | None:
    return store.parse_iso(value) if value else None


def window_for(months: int, now: datetime | None = None) -> Window:
    end = (now or clock.now()).astimezone(UTC)
    start = end - timedelta(days=round(months * 30.4375))
    return Window(_fmt(start), _fmt(end), int(months))


# ---------------------------------------------------------------- SQL

_EXCLUDED_SQL = """
SELECT u.id FROM users u
WHERE u.admin = 1 OR u.moderator = 1 OR u.gone_since IS NOT NULL OR u.staged = 1 OR u.silenced = 1
   OR u.active = 0 OR (u.suspended_till IS NOT NULL AND u.suspended_till > :until) OR u.id <= 0
   OR (u.email IS NOT NULL AND lower(substr(u.email, instr(u.email, '@') + 1)) IN
       (SELECT value FROM json_each(:vendor_domains)))
UNION SELECT gm.user_id FROM group_members gm JOIN groups g ON g.id = gm.group_id
WHERE gm.gone_since IS NULL AND lower(g.name) IN (lower(:employee_group), lower(:su_group))
UNION SELECT ub.user_id FROM user_badges ub JOIN badges b ON b.id = ub.badge_id
WHERE ub.gone_since IS NULL AND b.name = :su_badge COLLATE NOCASE
"""

_POSTS_AGG_SQL = """
SELECT p.user_id AS uid,
       sum(s.post_id IS NOT NULL AND t.user_id IS NOT p.user_id) AS accepted,
       sum(p.post_number > 1 AND t.user_id IS NOT p.user_id) AS replies,
       count(DISTINCT CASE WHEN p.post_number > 1 AND t.user_id IS NOT p.user_id
                           THEN t.user_id END) AS helped,
       sum(coalesce(p.like_count, 0)) AS likes,
       count(DISTINCT t.category_id) AS breadth,
       max(p.created_at) AS last_at
FROM posts p INDEXED BY ix_posts_window
JOIN topics t INDEXED BY ix_topics_people
  ON t.id = p.topic_id AND t.deleted_at IS NULL AND t.gone_since IS NULL
LEFT JOIN solutions s ON s.post_id = p.id AND s.gone_since IS NULL
WHERE p.created_at >= :since AND p.created_at < :until AND p.post_type = 1
  AND p.deleted_at IS NULL AND p.gone_since IS NULL AND p.user_id IS NOT NULL
  AND p.user_id NOT IN (SELECT value FROM json_each(:excluded))
GROUP BY p.user_id
"""
"""One pass over the window's counted posts, answered from the covering indexes of migration 0003."""

_MONTHS_SQL = """
SELECT user_id AS uid, count(*) AS n FROM user_month
WHERE month >= :m0 AND month <= :m1 AND posts > 0
GROUP BY user_id
"""
"""Months active from the ``user_month`` rollup the sync keeps (calendar months touching the window)."""

_FIRST_SQL = """
SELECT first_responder_id AS uid, count(*) AS n FROM topics INDEXED BY ix_topics_first_responder
WHERE first_response_at IS NOT NULL AND first_response_at >= :since AND first_response_at < :until
  AND first_responder_id IS NOT NULL AND deleted_at IS NULL AND gone_since IS NULL
GROUP BY first_responder_id
"""


def _rows(conn: Connection, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def _one(conn: Connection, sql: str, **params: Any) -> dict[str, Any] | None:
    r = conn.execute(text(sql), params).first()
    return dict(r._mapping) if r is not None else None


# ---------------------------------------------------------------- the service


NOTE_MIN = 10  # characters of a nomination note or an override's reason
DECLINE_MIN = 5


def nomination_note_problem(note: str) -> str | None:
    """Why ``note`` cannot carry a nomination (``None``: it can). The dialog asks the same before it
    closes, so the moderator fixes the note where it was typed."""
    if len(note.strip()) < NOTE_MIN:
        return f"Write a short note on why (at least {NOTE_MIN} characters): teammates second on it."
    return None


def override_reason_problem(reason: str) -> str | None:
    if len(reason.strip()) < NOTE_MIN:
        return f"Give the reason for overriding the required seconds (at least {NOTE_MIN} characters)."
    return None


def decline_reason_problem(reason: str) -> str | None:
    if len(reason.strip()) < DECLINE_MIN:
        return "Give the reason for declining (it is posted to the nomination)."
    return None


class SuperuserService:
    """Ranking, nominations and approvals for one cache; writes go through ``moderation``."""

    def __init__(
        self,
        cache: Cache,
        moderation: ModerationActions,
        *,
        site_url: str | None = None,
        connector: Connector | None = None,
    ) -> None:
        self.cache = cache
        self.moderation = moderation
        self.site_url = (site_url or moderation.site_url).rstrip("/")
        self.connector: Connector = connector or connector_of(moderation)
        """The site's platform: the moderation service's (the default platform's without one)."""
        self.links: Links = self.connector.links
        """Addresses of posts as the site's platform spells them."""

    def settings(self) -> ProgramSettings:
        return load_settings(self.cache)

    def save_settings(self, settings: ProgramSettings) -> Changes:
        return save_settings(self.cache, settings)

    # ------------------------------------------------------------ ranking

    def _exclusion_params(self, conn: Connection, s: ProgramSettings, until: str) -> dict[str, Any]:
        domains = list(s.vendor_domains)
        if not domains:
            # the staff's own e-mail domains, free mail left out (it names no vendor)
            staff = _rows(
                conn, "SELECT email FROM users WHERE (admin = 1 OR moderator = 1) AND email LIKE '%@%'"
            )
            domains = sorted({d for r in staff if (d := company_domain(r["email"])) is not None})
        return {
            "until": until,
            "vendor_domains": json.dumps(domains),
            "employee_group": s.employee_group,
            "su_group": s.group,
            "su_badge": s.badge,
        }

    def rank(
        self,
        *,
        months: int | None = None,
        now: datetime | None = None,
        limit: int | None = 100,
        settings: ProgramSettings | None = None,
    ) -> Ranking:
        s = settings or self.settings()
        win = window_for(months or s.window_months, now)
        params = {"since": win.since, "until": win.until}
        with self.cache.read() as conn:
            excluded = {
                int(r[0])
                for r in conn.execute(text(_EXCLUDED_SQL), self._exclusion_params(conn, s, win.until))
            }
            # staff and employees write a quarter of a B2B community's posts: leave them out early
            agg = conn.execute(
                text(_POSTS_AGG_SQL), {**params, "excluded": json.dumps(sorted(excluded))}
            ).all()
            first = {int(r["uid"]): int(r["n"]) for r in _rows(conn, _FIRST_SQL, **params)}
            active_months = {
                int(r[0]): int(r[1])
                for r in conn.execute(text(_MONTHS_SQL), {"m0": win.since[:7], "m1": win.until[:7]})
            }
            raw: dict[int, dict[str, Any]] = {}
            considered = len(active_months)  # members who posted in the months of the window
            left_out = len(active_months.keys() & excluded)
            for r in agg:
                uid = int(r.uid)
                if not (r.replies or r.accepted or first.get(uid)):
                    continue
                raw[uid] = {
                    "accepted": int(r.accepted or 0),
                    "first_responses": first.get(uid, 0),
                    "replies": int(r.replies or 0),
                    "helped": int(r.helped or 0),
                    "likes": int(r.likes or 0),
                    "months_active": active_months.get(uid, 0),
                    "breadth": int(r.breadth or 0),
                    "last_at": str(r.last_at or ""),
                }
        nominated = {n.user_id for n in self.list_nominations() if n.state in ("queued", "open")}
        until_dt = _parse(win.until) or clock.now()
        horizon = float(min(s.recency_horizon_days, max(1, round(win.months * 30.4375))))
        maxima = {
            k: float(max((v[k] for v in raw.values()), default=0)) for k in COMPONENTS if k != "recency"
        }
        maxima["recency"] = horizon
        weights = {k: s.weight(k) for k in COMPONENTS}
        total_w = sum(weights.values()) or 1.0
        log_max = {k: math.log1p(maxima[k]) for k in _LOG_SCALED}
        months_div = float(max(1, win.months))

        def explain(v: Mapping[str, Any]) -> list[tuple[str, float, float]]:
            """(component, raw, normalised) for one member."""
            last = _parse(v["last_at"])
            days = max(0.0, (until_dt - last).total_seconds() / 86400) if last else horizon
            out_: list[tuple[str, float, float]] = []
            for k in COMPONENTS:
                if k == "recency":
                    out_.append((k, round(days, 1), max(0.0, 1.0 - days / horizon)))
                    continue
                val = float(v[k])
                if k in _LOG_SCALED:
                    norm = math.log1p(val) / log_max[k] if log_max[k] > 0 else 0.0
                elif k == "months_active":
                    norm = min(1.0, val / months_div)
                else:
                    norm = val / maxima[k] if maxima[k] > 0 else 0.0
                out_.append((k, val, norm))
            return out_

        # Score everyone with plain arithmetic; build the explained rows only for those returned.
        scored = sorted(
            (-sum(weights[k] * norm for k, _v, norm in explain(v)) * 100.0 / total_w, uid)
            for uid, v in raw.items()
        )
        chosen = scored[:limit] if limit else scored
        with self.cache.read() as conn:
            people = {
                int(r["id"]): r
                for r in _rows(
                    conn,
                    "SELECT u.id, u.username, u.name, u.trust_level, c.name AS company FROM users u "
                    "LEFT JOIN companies c ON c.id = u.company_id "
                    "WHERE u.id IN (SELECT value FROM json_each(:ids))",
                    ids=json.dumps([uid for _s, uid in chosen]),
                )
            }
        out: list[Candidate] = []
        for _neg, uid in chosen:
            v = raw[uid]
            comps = tuple(
                Component(k, val, norm, weights[k], 100.0 * weights[k] * norm / total_w)
                for k, val, norm in explain(v)
            )
            p = people.get(uid, {})
            out.append(
                Candidate(
                    user_id=uid,
                    username=str(p.get("username") or f"user {uid}"),
                    name=str(p.get("name") or ""),
                    company=str(p.get("company") or ""),
                    trust_level=p.get("trust_level"),
                    score=sum(c.contribution for c in comps),
                    components=comps,
                    last_post_at=v["last_at"],
                    nominated=uid in nominated,
                )
            )
        return Ranking(
            window=win,
            candidates=tuple(out),
            considered=considered,
            excluded=left_out,
            maxima=maxima,
        )

    def candidate(self, user_id: int, *, months: int | None = None, now: datetime | None = None) -> Candidate:
        """One member's score and breakdown (even when they are outside the top list)."""
        r = self.rank(months=months, now=now, limit=None)
        for c in r.candidates:
            if c.user_id == int(user_id):
                return c
        raise ActionRefused(
            "This member is not a candidate in that window: no help to others, or staff, an employee "
            "or already a superuser."
        )

    def evidence(
        self, user_id: int, *, months: int | None = None, now: datetime | None = None, limit: int = 50
    ) -> Evidence:
        """The post ids behind each count component, newest first."""
        s = self.settings()
        win = window_for(months or s.window_months, now)
        p = {"u": int(user_id), "since": win.since, "until": win.until, "lim": int(limit)}
        live = (
            "p.post_type = 1 AND p.deleted_at IS NULL AND p.gone_since IS NULL AND t.deleted_at IS NULL "
            "AND t.gone_since IS NULL AND p.created_at >= :since AND p.created_at < :until"
        )
        posts: dict[str, tuple[int, ...]] = {}
        links: dict[int, str] = {}
        with self.cache.read() as conn:

            def ids(sql: str) -> tuple[int, ...]:
                out = []
                for r in _rows(conn, sql, **p):
                    out.append(int(r["id"]))
                    links[int(r["id"])] = post_url(
                        self.site_url,
                        r["slug"],
                        r["topic_id"],
                        r["post_number"],
                        links=self.links,
                        post_id=int(r["id"]),
                    )
                return tuple(out)

            sel = "SELECT p.id, p.topic_id, p.post_number, t.slug FROM posts p "
            sel += "JOIN topics t ON t.id = p.topic_id "
            posts["accepted"] = ids(
                sel + "JOIN solutions s ON s.post_id = p.id AND s.gone_since IS NULL "
                f"WHERE p.user_id = :u AND {live} AND t.user_id IS NOT p.user_id "
                "ORDER BY p.created_at DESC LIMIT :lim"
            )
            posts["first_responses"] = ids(
                sel + "WHERE p.user_id = :u AND t.first_responder_id = :u AND t.first_response_at >= :since "
                "AND t.first_response_at < :until AND p.created_at = t.first_response_at "
                "AND p.post_number > 1 "
                "AND t.deleted_at IS NULL AND t.gone_since IS NULL AND p.deleted_at IS NULL "
                "ORDER BY p.created_at DESC LIMIT :lim"
            )
            posts["replies"] = ids(
                sel + f"WHERE p.user_id = :u AND {live} AND p.post_number > 1 AND t.user_id IS NOT p.user_id "
                "ORDER BY p.created_at DESC LIMIT :lim"
            )
            posts["likes"] = ids(
                sel + f"WHERE p.user_id = :u AND {live} AND p.like_count > 0 "
                "ORDER BY p.like_count DESC, p.created_at DESC LIMIT :lim"
            )
        return Evidence(int(user_id), posts, links)

    # ------------------------------------------------------------ nominations

    def nomination_category(self, conn: Connection, s: ProgramSettings | None = None) -> dict[str, Any]:
        s = s or load_settings(self.cache)
        if s.nomination_category_id is not None:
            c = _one(conn, "SELECT id, name, slug FROM categories WHERE id = :c", c=s.nomination_category_id)
            if c is None:
                raise ActionRefused(
                    f"The nomination category ({s.nomination_category_id}) is not known here; "
                    "choose another in "
                    "the superuser settings."
                )
            return c
        c = _one(
            conn,
            "SELECT id, name, slug FROM categories WHERE read_restricted = 1 AND gone_since IS NULL "
            "ORDER BY (lower(name) LIKE '%moderat%' OR lower(name) LIKE '%staff%') DESC, id LIMIT 1",
        )
        if c is None:
            raise ActionRefused("No staff-only category is known: sync first, or choose one in the settings.")
        return c

    def nominate(
        self, user_id: int, note: str, *, months: int | None = None, now: datetime | None = None
    ) -> Queued:
        note = (note or "").strip()
        problem = nomination_note_problem(note)
        if problem:
            raise ActionRefused(problem)
        s = self.settings()
        cand = self.candidate(user_id, months=months, now=now)
        if cand.nominated:
            raise ActionRefused(f"@{cand.username} already has an open nomination: second it instead.")
        win = window_for(months or s.window_months, now)
        snap = cand.snapshot(win)
        snap["nominated_by"] = self.moderation.me
        snap["at"] = store.now_iso()
        top = sorted(cand.components, key=lambda c: -c.contribution)[:3]
        summary = ", ".join(f"{c.label.lower()} {c.raw:g}" for c in top)
        raw = (
            f"{note}\n\nScore snapshot: {cand.score:.1f}/100 over the last {win.months} months "
            f"({summary}).\n\n"
            f"```{NOMINATION_TAG}\n{json.dumps(snap, separators=(',', ':'), sort_keys=True)}\n```"
        )
        with self.cache.read() as conn:
            cat = self.nomination_category(conn, s)
        return self.moderation.create_topic(
            f"Superuser nomination: @{cand.username}", raw, category_id=int(cat["id"])
        )

    def list_nominations(self) -> list[Nomination]:
        s = load_settings(self.cache)
        ov = self.moderation.overlay()
        with self.cache.read() as conn:
            try:
                cat = self.nomination_category(conn, s)
            except ActionRefused:
                cat = None
            topics = (
                _rows(
                    conn,
                    "SELECT t.id, t.title, t.slug, t.closed, t.created_at, p.id AS post_id, p.username, "
                    "p.cooked, p.plain, coalesce(p.like_count, 0) AS likes FROM topics t "
                    "JOIN posts p ON p.topic_id = t.id AND p.post_number = 1 "
                    "WHERE t.category_id = :c AND t.deleted_at IS NULL AND t.gone_since IS NULL "
                    "AND p.deleted_at IS NULL AND p.cooked LIKE :m ORDER BY t.created_at DESC",
                    c=int(cat["id"]),
                    m=f"%{NOMINATION_TAG}%",
                )
                if cat is not None
                else []
            )
            decisions: dict[int, dict[str, Any]] = {}
            if topics:
                for r in _rows(
                    conn,
                    "SELECT topic_id, cooked, plain FROM posts "
                    "WHERE topic_id IN (SELECT value FROM json_each(:ids)) "
                    "AND post_number > 1 AND deleted_at IS NULL AND cooked LIKE :m ORDER BY post_number",
                    ids=json.dumps([t["id"] for t in topics]),
                    m=f"%{DECISION_TAG}%",
                ):
                    d = parse_decision(None, r["cooked"], r["plain"])
                    if d is not None:
                        decisions[int(r["topic_id"])] = d
            delivered = _rows(
                conn,
                "SELECT op_uuid, payload_json, result_json, created_by, created_at FROM outbox "
                "WHERE kind = 'create_topic' AND state = 'done' AND payload_json LIKE :m "
                "ORDER BY id DESC LIMIT 200",
                m=f"%{NOMINATION_TAG}%",
            )
            my_likes = {
                int(r_.payload["post_id"])
                for r_ in store.rows(conn, ("pending", "in_flight", "done", "conflict"))
                if r_.kind == "like_post"
            }
        active = store.ACTIVE_STATES
        # Likes still to send, and likes sent but not yet re-read by a pull.
        overlay_likes = {int(o.payload["post_id"]): o.state for o in ov.rows if o.kind == "like_post"}
        pending_replies: dict[int, str] = {}
        sent_decisions: dict[int, str] = {}
        for o in ov.rows:
            if o.kind == "create_post":
                dec = parse_decision(str(o.payload.get("raw")))
                if dec is None:
                    continue
                if o.state in active:
                    pending_replies[int(o.payload["topic_id"])] = (
                        "approval queued" if dec["decision"] == "approved" else "decline queued"
                    )
                else:
                    sent_decisions[int(o.payload["topic_id"])] = str(dec["decision"])
        out: list[Nomination] = []
        for t in topics:
            block = parse_nomination(None, t["cooked"], t["plain"])
            if block is None:
                continue
            tid = int(t["id"])
            d = decisions.get(tid)
            state = d["decision"] if d else sent_decisions.get(tid) or ("declined" if t["closed"] else "open")
            pid = int(t["post_id"])
            like_state = overlay_likes.get(pid)
            pend = pending_replies.get(tid) or ("second queued" if like_state in active else None)
            out.append(
                Nomination(
                    topic_id=tid,
                    op_uuid=None,
                    title=str(t["title"] or ""),
                    user_id=int(block["user_id"]),
                    username=str(block["username"]),
                    score=float(block.get("score") or 0.0),
                    window=block.get("window") or {},
                    components=block.get("components") or {},
                    note=_note_of(None, t["cooked"]),
                    nominated_by=str(t["username"] or block.get("nominated_by") or ""),
                    created_at=str(t["created_at"] or ""),
                    first_post_id=pid,
                    # a like still to send counts at once; a sent one shows when the mirror has it
                    seconds=int(t["likes"]) + (1 if like_state in active else 0),
                    seconded_by_me=pid in my_likes,
                    state=state,
                    pending=pend,
                    url=post_url(self.site_url, t["slug"], tid, 1, links=self.links),
                )
            )
        for o in ov.rows:
            if o.kind != "create_topic" or o.state not in active:
                continue
            block = parse_nomination(str(o.payload.get("raw")))
            if block is None:
                continue
            out.insert(
                0,
                Nomination(
                    topic_id=None,
                    op_uuid=o.op_uuid,
                    title=str(o.payload.get("title")),
                    user_id=int(block["user_id"]),
                    username=str(block["username"]),
                    score=float(block.get("score") or 0.0),
                    window=block.get("window") or {},
                    components=block.get("components") or {},
                    note=_note_of(str(o.payload.get("raw")), None),
                    nominated_by=o.created_by,
                    created_at=o.created_at,
                    first_post_id=None,
                    seconds=0,
                    seconded_by_me=False,
                    state="queued",
                    pending="nomination queued",
                    url=None,
                ),
            )
        # Created by us and delivered, but not pulled yet: show it from the outbox until a sync brings it.
        listed = {n.topic_id for n in out if n.topic_id is not None}
        for d in delivered:
            payload = json.loads(d["payload_json"] or "{}")
            ev = (json.loads(d["result_json"] or "{}") or {}).get("evidence") or {}
            new_tid = ev.get("topic_id") if isinstance(ev, dict) else None
            block = parse_nomination(str(payload.get("raw")))
            if block is None or not isinstance(new_tid, int) or new_tid in listed:
                continue
            listed.add(new_tid)
            out.insert(
                0,
                Nomination(
                    topic_id=new_tid,
                    op_uuid=str(d["op_uuid"]),
                    title=str(payload.get("title")),
                    user_id=int(block["user_id"]),
                    username=str(block["username"]),
                    score=float(block.get("score") or 0.0),
                    window=block.get("window") or {},
                    components=block.get("components") or {},
                    note=_note_of(str(payload.get("raw")), None),
                    nominated_by=str(d["created_by"]),
                    created_at=str(d["created_at"]),
                    first_post_id=ev.get("post_id") if isinstance(ev.get("post_id"), int) else None,
                    seconds=0,
                    seconded_by_me=False,
                    state="open",
                    pending="sent, not synced yet",
                    url=post_url(self.site_url, None, new_tid, 1, links=self.links),
                ),
            )
        return out

    def _nomination(self, topic_id: int) -> Nomination:
        for n in self.list_nominations():
            if n.topic_id == int(topic_id):
                return n
        raise ActionRefused(f"Topic {topic_id} is not a nomination known here (sync first?).")

    def second(self, topic_id: int) -> Queued:
        n = self._nomination(topic_id)
        if n.first_post_id is None:
            raise ActionRefused("This nomination has not reached the server yet: push and sync first.")
        if n.state != "open":
            raise ActionRefused(f"The nomination of @{n.username} is {n.state}.")
        if n.seconded_by_me:
            raise ActionRefused(f"You already seconded the nomination of @{n.username}.")
        if n.nominated_by.lower() == self.moderation.me.lower():
            raise ActionRefused("You nominated this member yourself; a teammate has to second it.")
        return self.moderation.like_post(
            n.first_post_id, note=f"second the superuser nomination of @{n.username}"
        )

    def _require_lead(self, what: str) -> None:
        leads = load_settings(self.cache).leads
        if leads and self.moderation.me.lower() not in {x.lower() for x in leads}:
            raise ActionRefused(
                f"Only the programme leads ({', '.join('@' + x for x in leads)}) can {what} nominations."
            )

    def approve(
        self,
        topic_id: int,
        *,
        trust_level: int | None = None,
        note: str | None = None,
        override: str | None = None,
    ) -> ApprovalResult:
        """Group membership, the Superuser badge (reason: the nomination), optionally a trust level, and
        an "Approved" reply — each its own outbox action.

        The nomination needs the programme's ``required_seconds`` (default one, from a teammate: the
        nominator cannot like their own nomination). With fewer, only an explicit ``override`` with a
        reason approves it; the reason goes into every action's note (the audit journal), the decision
        block and the reply, so nobody approves their own nomination unseen."""
        self._require_lead("approve")
        s = self.settings()
        n = self._nomination(topic_id)
        if n.state != "open" or n.pending in ("approval queued", "decline queued"):
            raise ActionRefused(f"The nomination of @{n.username} is {n.pending or n.state}.")
        short = n.seconds < s.required_seconds
        why_override = (override or "").strip()
        if short and not why_override:
            need = s.required_seconds
            plural = "s" if need != 1 else ""
            raise ActionRefused(
                f"The nomination of @{n.username} has {n.seconds} of the {need} second{plural} "
                f"it needs (from teammates other than @{n.nominated_by}). Wait for a teammate to second it, "
                "or approve with an override and its reason."
            )
        problem = override_reason_problem(why_override) if short else None
        if problem:
            raise ActionRefused(problem)
        queued: list[Queued] = []
        skipped: list[str] = []
        why = f"superuser nomination {n.url}"
        if short:
            why += (
                f"; OVERRIDE by @{self.moderation.me}: approved with {n.seconds} of {s.required_seconds} "
                f"required seconds — {why_override}"
            )
        for step in ("group", "badge", "trust"):
            try:
                if step == "group":
                    queued.append(self.moderation.add_group_member(s.group, n.username, note=why))
                elif step == "badge":
                    queued.append(self.moderation.award_badge(s.badge, n.username, reason=n.url, note=why))
                elif trust_level is not None:
                    queued.append(self.moderation.set_trust_level(n.username, trust_level, note=why))
            except ActionRefused as exc:
                msg = exc.user_message
                if "already" not in msg:
                    raise
                skipped.append(msg)
        decision: dict[str, Any] = {
            "v": 1,
            "decision": "approved",
            "user_id": n.user_id,
            "by": self.moderation.me,
        }
        if short:
            decision["override"] = {
                "seconds": n.seconds,
                "required": s.required_seconds,
                "reason": why_override,
            }
        body = (
            f"Approved ✅ @{n.username} joins the superusers."
            + (
                f"\n\nApproved without the required seconds ({n.seconds} of {s.required_seconds}): "
                f"{why_override}"
                if short
                else ""
            )
            + (f"\n\n{note.strip()}" if note and note.strip() else "")
            + f"\n\n```{DECISION_TAG}\n{json.dumps(decision, separators=(',', ':'))}\n```"
        )
        queued.append(self.moderation.reply(int(topic_id), body))
        changes = Changes()
        for q in queued:
            changes = changes | q.changes
        return ApprovalResult(tuple(queued), tuple(skipped), changes)

    def decline(self, topic_id: int, reason: str) -> ApprovalResult:
        self._require_lead("decline")
        why = (reason or "").strip()
        problem = decline_reason_problem(why)
        if problem:
            raise ActionRefused(problem)
        n = self._nomination(topic_id)
        if n.state != "open" or n.pending in ("approval queued", "decline queued"):
            raise ActionRefused(f"The nomination of @{n.username} is {n.pending or n.state}.")
        decision = {"v": 1, "decision": "declined", "user_id": n.user_id, "by": self.moderation.me}
        body = f"Declined: {why}\n\n```{DECISION_TAG}\n{json.dumps(decision, separators=(',', ':'))}\n```"
        q1 = self.moderation.reply(int(topic_id), body)
        q2 = self.moderation.close_topic(int(topic_id), note=f"declined: {why}")
        return ApprovalResult((q1, q2), (), q1.changes | q2.changes)

    # ------------------------------------------------------------ renewal

    def renewal(self, *, months: int | None = None, now: datetime | None = None) -> list[RenewalRow]:
        """Current superusers with no post in the last ``months`` (setting ``renewal_months``)."""
        s = self.settings()
        n_months = months or s.renewal_months
        end = (now or clock.now()).astimezone(UTC)
        cutoff = _fmt(end - timedelta(days=round(n_months * 30.4375)))
        with self.cache.read() as conn:
            rows = _rows(
                conn,
                "WITH su(uid) AS ("
                " SELECT gm.user_id FROM group_members gm JOIN groups g ON g.id = gm.group_id "
                " WHERE gm.gone_since IS NULL AND g.name = :g COLLATE NOCASE "
                " UNION SELECT ub.user_id FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
                " WHERE ub.gone_since IS NULL AND b.name = :b COLLATE NOCASE) "
                "SELECT u.id, u.username, u.name, "
                "(SELECT max(p.created_at) FROM posts p WHERE p.user_id = u.id AND p.post_type = 1 "
                "  AND p.deleted_at IS NULL) AS last_at, "
                "(SELECT min(ub.granted_at) FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
                "  WHERE ub.user_id = u.id AND b.name = :b COLLATE NOCASE AND ub.gone_since IS NULL) "
                "AS since "
                "FROM su JOIN users u ON u.id = su.uid ORDER BY last_at",
                g=s.group,
                b=s.badge,
            )
        out = []
        for r in rows:
            last = str(r["last_at"] or "")
            if last and last >= cutoff:
                continue
            lt = _parse(last)
            inactive = round((end - lt).days / 30.4375, 1) if lt else None
            out.append(
                RenewalRow(
                    int(r["id"]),
                    str(r["username"]),
                    str(r["name"] or ""),
                    last,
                    inactive,
                    str(r["since"] or ""),
                )
            )
        return out

    # ------------------------------------------------------------ pulling nominations (online)

    def refresh_nominations(self, client: ApiClient) -> Changes:
        """Re-read the nomination category and each open nomination (seconds = likes on the first
        post): 1 + one request per open nomination, through the sync engine's topic refresh (so
        derived fields and search stay consistent). Mirror rows are server truth only."""
        from modconsole.tasks import CancelToken

        with self.cache.read() as conn:
            cat = self.nomination_category(conn)
        closed: list[dict[str, Any]] = []
        open_ids: list[int] = []
        try:
            connector = self.connector
            for t in connector.lookups.category_topics(client, int(cat["id"]), cat["slug"]):
                if t.title.lower().startswith("superuser nomination") and not t.closed:
                    open_ids.append(t.id)
                else:
                    closed.append(t.row())
            report = connector.sync_engine(client, self.cache).refresh(CancelToken(), topic_ids=open_ids)
        except ApiError:
            return Changes()
        with self.cache.write() as conn:
            t_ids = repo.upsert_topics(conn, closed)
        return report.changes | Changes(topics=bool(t_ids), topic_ids=frozenset(t_ids))


def sort_components(c: Candidate) -> Sequence[Component]:
    return sorted(c.components, key=lambda x: -x.contribution)


def with_weights(s: ProgramSettings, **weights: float) -> ProgramSettings:
    w = dict(s.weights)
    w.update(weights)
    return replace(s, weights=w)


__all__ = [
    "COMPONENTS",
    "COMPONENT_LABELS",
    "DECISION_TAG",
    "DECLINE_MIN",
    "DEFAULT_WEIGHTS",
    "NOMINATION_TAG",
    "NOTE_MIN",
    "ApprovalResult",
    "Candidate",
    "Component",
    "Evidence",
    "Nomination",
    "ProgramSettings",
    "Ranking",
    "RenewalRow",
    "SuperuserService",
    "Window",
    "decline_reason_problem",
    "load_settings",
    "member_status",
    "nomination_note_problem",
    "override_reason_problem",
    "parse_decision",
    "parse_nomination",
    "save_settings",
    "sort_components",
    "window_for",
    "with_weights",
]


def _program_decode(value: Any) -> ProgramSettings:
    return ProgramSettings.from_dict(registry.json_object(value, "superuser programme"))


def _program_encode(value: ProgramSettings) -> Any:
    return value.to_dict()


def _program_check(value: ProgramSettings) -> None:
    value.check()


SUPERUSERS: registry.Key[ProgramSettings] = registry.key(
    "superusers.program",
    "The superuser programme: score weights, windows, group, badge, nomination category, leads.",
    ProgramSettings,
    _program_decode,
    _program_encode,
    _program_check,
)
