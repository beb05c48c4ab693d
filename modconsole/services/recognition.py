"""Recognition: the badge catalog, member look-up and profiles, and badge awards (single, bulk,
offline). Qt-free; the Badges and Members pages and the CLI share it.

Every write goes through the offline outbox (:class:`~modconsole.services.moderation.ModerationService`
or anything with the same enqueue calls, :class:`ModerationActions`): an award is validated
against the cache, saved with its outbox row, shown as a pending overlay and pushed exactly once.

    rec = RecognitionService(cache, moderation)
    rec.catalog()                                  # badges with type, grant count, manual/automatic
    rec.search_members("ali")                      # prefix over username, name and e-mail
    rec.reason_candidates(user_id)                 # links to the member's solutions and posts
    rec.award("Community Champion", "alice", reason=url, note="…")
    preview = rec.preview_bulk("Problem Solver", user_ids=[…], reason=url)   # nothing queued yet
    bulk = rec.enqueue_bulk(preview, note="Q3 thank-you")                    # grantable rows only
    push_outbox(moderation, engine, token)                                   # one POST per grant
    rec.bulk_report(bulk)                          # per member: granted / already held / conflict …
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, text

from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.connectors.base import Connector, Links
from modconsole.connectors.registry import default_connector
from modconsole.connectors.sync_run import ON_DEMAND_BADGES
from modconsole.errors import InvalidInput
from modconsole.i18n import QT_TRANSLATE_NOOP, Msg
from modconsole.outbox import store
from modconsole.outbox.store import OutboxRow
from modconsole.services.moderation import ActionRefused, Overlay, Queued

BADGE_TYPES = {  # data (the UI shows them translated)
    1: QT_TRANSLATE_NOOP("core", "gold"),
    2: QT_TRANSLATE_NOOP("core", "silver"),
    3: QT_TRANSLATE_NOOP("core", "bronze"),
}
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_USERNAME = re.compile(r"^@?[\w.\-]{1,60}$")


def connector_of(moderation: object) -> Connector:
    """The connector a moderation service speaks through (``ModerationService.connector``); the
    default platform's for a stand-in without one."""
    found = getattr(moderation, "connector", None)
    return found if found is not None else default_connector()


class ModerationActions(Protocol):
    """The outbox calls recognition needs (``ModerationService`` provides them)."""

    me: str
    site_url: str

    def award_badge(
        self, badge: str | int, username: str, *, reason: str | None = None, note: str | None = None
    ) -> Queued: ...

    def revoke_badge(self, badge: str | int, username: str, *, note: str | None = None) -> Queued: ...

    def add_group_member(self, group: str | int, username: str, *, note: str | None = None) -> Queued: ...

    def set_trust_level(self, username: str, level: int | str, *, note: str | None = None) -> Queued: ...

    def create_topic(
        self, title: str, raw: str, *, category_id: int | None = None, note: str | None = None
    ) -> Queued: ...

    def reply(
        self, topic_id: int, raw: str, *, reply_to_post_number: int | None = None, note: str | None = None
    ) -> Queued: ...

    def like_post(self, post_id: int, *, note: str | None = None) -> Queued: ...

    def close_topic(self, topic_id: int, *, note: str | None = None) -> Queued: ...

    def overlay(self) -> Overlay: ...


# ---------------------------------------------------------------- read models


@dataclass(frozen=True)
class BadgeInfo:
    id: int
    name: str
    type_name: str  # gold | silver | bronze
    description: str
    grant_count: int
    manual: bool  # can be granted by hand (no SQL query, not a system badge)
    enabled: bool
    multiple: bool
    allow_title: bool
    queued: int = 0  # grants and revokes waiting in the outbox
    holders_listed: bool = True
    """False for an automatic badge whose current holders the cache does not hold: a sync does not
    list them (the forum grants them by rule); :meth:`RecognitionService.grantees` is then empty or
    stale until they are fetched (``SyncEngine.fetch_badge_holders``, when the badge is opened)."""

    @property
    def grantable(self) -> bool:
        return self.manual and self.enabled


@dataclass(frozen=True)
class Grantee:
    user_id: int
    username: str
    name: str
    granted_at: str
    granted_by: str
    reason_url: str | None
    pending: str | None = None  # "award queued" | "revoke queued"
    reason_title: str = ""  # the linked topic's title, when cached


@dataclass(frozen=True)
class MemberHit:
    id: int
    username: str
    name: str
    email: str
    company: str
    trust_level: int | None

    @property
    def label(self) -> str:
        extra = ", ".join(x for x in (self.name, self.email) if x)
        return f"@{self.username}" + (f" ({extra})" if extra else "")


@dataclass(frozen=True)
class PostRef:
    post_id: int
    topic_id: int
    post_number: int
    title: str
    created_at: str
    url: str
    excerpt: str
    likes: int = 0
    solution: bool = False


@dataclass(frozen=True)
class HeldBadge:
    badge_id: int
    name: str
    type_name: str
    granted_at: str
    pending: str | None = None


@dataclass(frozen=True)
class MemberProfile:
    id: int
    username: str
    name: str
    email: str
    company: str
    trust_level: int | None
    title: str
    created_at: str
    last_posted_at: str
    last_seen_at: str
    staff: bool
    status: str  # "" | "suspended" | "silenced" | "staged" | "deleted" | "inactive"
    groups: tuple[str, ...]
    badges: tuple[HeldBadge, ...]
    recent_posts: tuple[PostRef, ...]
    solutions: tuple[PostRef, ...]
    post_count: int
    solution_count: int


@dataclass(frozen=True)
class ReasonCandidate:
    url: str
    label: str
    kind: Literal["solution", "post"]
    post_id: int


# ---------------------------------------------------------------- bulk award


Outcome = Literal["grant", "holds", "not_found", "not_allowed", "duplicate"]

OUTCOME_LABELS: dict[str, str] = {
    "grant": QT_TRANSLATE_NOOP("core", "will be granted"),
    "holds": QT_TRANSLATE_NOOP("core", "already holds it"),
    "not_found": QT_TRANSLATE_NOOP("core", "not found"),
    "not_allowed": QT_TRANSLATE_NOOP("core", "not allowed"),
    "duplicate": QT_TRANSLATE_NOOP("core", "listed twice"),
}


@dataclass(frozen=True)
class CsvProblem:
    line: int
    text: str
    message: str


@dataclass(frozen=True)
class CsvEntries:
    mode: Literal["username", "email"]
    entries: tuple[tuple[int, str], ...]  # (line number, value)
    problems: tuple[CsvProblem, ...]


@dataclass(frozen=True)
class PreviewRow:
    entry: str  # what was asked for: a username, an e-mail or "#<user id>"
    line: int | None  # CSV line, when from a CSV
    user_id: int | None
    username: str | None
    name: str
    outcome: Outcome
    detail: str

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass(frozen=True)
class BulkPreview:
    badge_id: int | None
    badge_name: str
    multiple: bool
    reason: str | None
    rows: tuple[PreviewRow, ...]
    problems: tuple[CsvProblem, ...] = ()
    blocking: str | None = None  # a reason nothing can be granted (badge disabled, automatic …)
    tier: str = ""  # gold | silver | bronze ("" when the badge is unknown)

    @property
    def badge_label(self) -> str:
        """``“Superuser” (gold badge)``: the tier named, so a gold award is never a surprise."""
        if not self.tier:
            return Msg(QT_TRANSLATE_NOOP("core", "“{badge}”"), badge=self.badge_name)
        return Msg(
            QT_TRANSLATE_NOOP("core", "“{badge}” ({tier} badge)"), badge=self.badge_name, tier=self.tier
        )

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def grantable(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows if r.outcome == "grant")

    def summary(self) -> str:
        parts: list[str] = [
            Msg(QT_TRANSLATE_NOOP("core", "{n} {outcome}"), n=self.count(k), outcome=OUTCOME_LABELS[k])
            for k in OUTCOME_LABELS
            if self.count(k)
        ]
        if self.problems:
            parts.append(Msg(QT_TRANSLATE_NOOP("core", "{n} malformed CSV line(s)"), n=len(self.problems)))
        if not parts:
            return QT_TRANSLATE_NOOP("core", "nobody selected")
        text = parts[0]
        for part in parts[1:]:
            text = Msg(QT_TRANSLATE_NOOP("core", "{first}, {second}"), first=text, second=part)
        return text


@dataclass(frozen=True)
class BulkQueued:
    badge_id: int
    badge_name: str
    queued: tuple[tuple[int, str, str], ...]  # (user id, username, op_uuid)
    refused: tuple[tuple[int, str, str], ...]  # (user id, username, message)
    skipped: tuple[PreviewRow, ...]
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class ReportRow:
    user_id: int | None
    username: str
    result: str  # granted | already held | queued | sending | conflict | failed | cancelled | not queued
    detail: str


# ---------------------------------------------------------------- helpers


def _rows(conn: Connection, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def _member_hits(rows: Iterable[Mapping[str, Any]]) -> list[MemberHit]:
    return [
        MemberHit(
            id=int(r["id"]),
            username=str(r["username"]),
            name=str(r["name"] or ""),
            email=str(r["email"] or ""),
            company=str(r["company"] or ""),
            trust_level=r["trust_level"],
        )
        for r in rows
    ]


def _one(conn: Connection, sql: str, **params: Any) -> dict[str, Any] | None:
    r = conn.execute(text(sql), params).first()
    return dict(r._mapping) if r is not None else None


def like_prefix(s: str) -> str:
    """``s`` escaped for ``LIKE … ESCAPE '\\'`` as a prefix pattern."""
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def post_url(
    site_url: str,
    slug: str | None,
    topic_id: int,
    post_number: int,
    *,
    links: Links | None = None,
    post_id: int | None = None,
) -> str:
    """A post's address as the site's platform spells it (``links``: the default platform's when
    not given); a platform that names posts by id uses ``post_id`` when known."""
    return (links or default_connector().links).permalink(
        site_url, topic_id, slug, post_number, post_id=post_id
    )


def member_status(u: dict[str, Any], now: str) -> str:
    if u.get("gone_since"):
        return "deleted"
    till = u.get("suspended_till")
    if till and str(till) > now:
        return "suspended"
    if u.get("silenced"):
        return "silenced"
    if u.get("staged"):
        return "staged"
    if u.get("active") is not None and not u.get("active"):
        return "inactive"
    return ""


def parse_csv(data: str) -> CsvEntries:
    """One username or e-mail per line (first column; a header line is skipped). The mode is that of
    the first valid entry, as Discourse's bulk award does; lines of the other kind are reported."""
    entries: list[tuple[int, str]] = []
    problems: list[CsvProblem] = []
    mode: Literal["username", "email"] | None = None
    reader = csv.reader(io.StringIO(data.lstrip("\ufeff")))
    for n, cells in enumerate(reader, start=1):
        raw = ",".join(cells).strip()
        value = (cells[0] if cells else "").strip()
        if not value:
            if raw:
                problems.append(CsvProblem(n, raw, "the first column is empty"))
            continue
        if n == 1 and value.lower() in ("username", "usernames", "email", "e-mail", "emails", "user"):
            continue
        kind: Literal["username", "email"] | None
        if "@" in value.lstrip("@"):
            kind = "email" if _EMAIL.match(value) else None
            why = "not a valid e-mail address"
        else:
            kind = "username" if _USERNAME.match(value) else None
            why = "not a valid username (letters, digits, '.', '_', '-')"
        if kind is None:
            problems.append(CsvProblem(n, raw, why))
            continue
        if mode is None:
            mode = kind
        if kind != mode:
            problems.append(
                CsvProblem(
                    n,
                    raw,
                    f"this is a{'n e-mail' if kind == 'email' else ' username'}, "
                    f"but the file lists {mode}s (decided by its first entry)",
                )
            )
            continue
        entries.append((n, value.lstrip("@") if kind == "username" else value))
    return CsvEntries(mode or "username", tuple(entries), tuple(problems))


# ---------------------------------------------------------------- the service


class RecognitionService:
    """Badge read models and awards for one cache; writes go through ``moderation``."""

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

    # ------------------------------------------------------------ catalog

    def catalog(self, *, include_disabled: bool = True) -> list[BadgeInfo]:
        ov = self.moderation.overlay()
        queued: dict[int, int] = {}
        for r in ov.rows:
            if r.kind in ("grant_badge", "revoke_badge") and r.state in store.ACTIVE_STATES:
                bid = int(r.payload["badge_id"])
                queued[bid] = queued.get(bid, 0) + 1
        with self.cache.read() as conn:
            rows = _rows(
                conn,
                "SELECT b.*, (SELECT count(*) FROM user_badges ub WHERE ub.badge_id = b.id "
                "AND ub.gone_since IS NULL) AS held FROM badges b WHERE b.gone_since IS NULL "
                "ORDER BY (coalesce(b.system, 0) = 1 OR b.manually_grantable = 0 OR b.enabled = 0), "
                "coalesce(b.badge_type_id, 9), b.name COLLATE NOCASE",
            )
            raw = conn.execute(
                text("SELECT hw_value FROM sync_cursors WHERE resource = :r"), {"r": ON_DEMAND_BADGES}
            ).scalar()
        # automatic badges: the grant count their cached holders were read at (None: never)
        on_demand = {int(k): v for k, v in json.loads(raw).items()} if raw else {}
        out = []
        for b in rows:
            manual = not b.get("system") and b.get("manually_grantable") is not False
            if not include_disabled and not b["enabled"]:
                continue
            out.append(
                BadgeInfo(
                    id=int(b["id"]),
                    name=str(b["name"]),
                    type_name=BADGE_TYPES.get(int(b.get("badge_type_id") or 3), "bronze"),
                    description=str(b.get("description") or ""),
                    grant_count=int(b["grant_count"] if b.get("grant_count") is not None else b["held"]),
                    manual=bool(manual),
                    enabled=bool(b["enabled"]),
                    multiple=bool(b["multiple_grant"]),
                    allow_title=bool(b["allow_title"]),
                    queued=queued.get(int(b["id"]), 0),
                    holders_listed=int(b["id"]) not in on_demand
                    or on_demand[int(b["id"])] == b.get("grant_count"),
                )
            )
        return out

    def badge(self, badge: str | int) -> BadgeInfo:
        key = str(badge).strip()
        for b in self.catalog():
            if (key.isdigit() and b.id == int(key)) or b.name.lower() == key.lower():
                return b
        raise ActionRefused(f"No badge “{key}” is known on this community (sync first?).")

    def grantees(self, badge_id: int, *, limit: int = 2000) -> list[Grantee]:
        ov = self.moderation.overlay()
        with self.cache.read() as conn:
            rows = _rows(
                conn,
                "SELECT ub.user_id, ub.granted_at, ub.post_id, ub.topic_id, ub.post_number, "
                "u.username, u.name, g.username AS granted_by, t.slug, t.title, p.topic_id AS ptopic, "
                "p.post_number AS pnum FROM user_badges ub "
                "LEFT JOIN users u ON u.id = ub.user_id LEFT JOIN users g ON g.id = ub.granted_by_id "
                "LEFT JOIN posts p ON p.id = ub.post_id "
                "LEFT JOIN topics t ON t.id = coalesce(ub.topic_id, p.topic_id) "
                "WHERE ub.badge_id = :b AND ub.gone_since IS NULL "
                "ORDER BY ub.granted_at DESC, ub.id DESC LIMIT :lim",
                b=int(badge_id),
                lim=int(limit),
            )
            out: list[Grantee] = []
            for r in rows:
                tid, num = r["topic_id"] or r["ptopic"], r["post_number"] or r["pnum"]
                pending = _overlay_label(ov.rows, "revoke_badge", int(r["user_id"]), int(badge_id))
                out.append(
                    Grantee(
                        user_id=int(r["user_id"]),
                        username=str(r["username"] or f"user {r['user_id']}"),
                        name=str(r["name"] or ""),
                        granted_at=str(r["granted_at"] or ""),
                        granted_by=str(r["granted_by"] or ("system" if r["granted_by"] is None else "")),
                        reason_url=(
                            post_url(self.site_url, r["slug"], tid, num, links=self.links)
                            if tid and num
                            else None
                        ),
                        pending=pending,
                        reason_title=f"{r['title']} #{num}" if r["title"] and num else "",
                    )
                )
            for row in ov.rows:
                if row.kind == "grant_badge" and int(row.payload["badge_id"]) == int(badge_id):
                    u = _one(conn, "SELECT name FROM users WHERE id = :i", i=int(row.payload["user_id"]))
                    out.insert(
                        0,
                        Grantee(
                            user_id=int(row.payload["user_id"]),
                            username=str(row.payload.get("username")),
                            name=str((u or {}).get("name") or ""),
                            granted_at="",
                            granted_by=row.created_by,
                            reason_url=row.payload.get("reason"),
                            pending=_overlay_label(
                                [row], "grant_badge", int(row.payload["user_id"]), int(badge_id)
                            ),
                        ),
                    )
        return out

    # ------------------------------------------------------------ members

    def search_members(self, query: str, *, limit: int = 20) -> list[MemberHit]:
        """Members whose username, name (any word) or e-mail starts with ``query``."""
        q = query.strip().lstrip("@")
        if not q:
            return []
        pat = like_prefix(q)
        with self.cache.read() as conn:
            rows = _rows(
                conn,
                "SELECT u.id, u.username, u.name, u.email, u.trust_level, c.name AS company, "
                "(u.username LIKE :p ESCAPE '\\') AS by_user FROM users u "
                "LEFT JOIN companies c ON c.id = u.company_id "
                "WHERE u.gone_since IS NULL AND (u.username LIKE :p ESCAPE '\\' "
                "OR u.name LIKE :p ESCAPE '\\' OR u.name LIKE :wp ESCAPE '\\' "
                "OR u.email LIKE :p ESCAPE '\\') "
                "ORDER BY by_user DESC, length(u.username), u.username COLLATE NOCASE LIMIT :lim",
                p=pat,
                wp="% " + pat,
                lim=int(limit),
            )
        return _member_hits(rows)

    def recent_members(self, *, limit: int = 200) -> list[MemberHit]:
        """Members who posted most recently (the Members page before anything is typed)."""
        with self.cache.read() as conn:
            rows = _rows(
                conn,
                "SELECT u.id, u.username, u.name, u.email, u.trust_level, c.name AS company FROM users u "
                "LEFT JOIN companies c ON c.id = u.company_id WHERE u.gone_since IS NULL "
                "ORDER BY u.last_posted_at IS NULL, u.last_posted_at DESC, u.id LIMIT :lim",
                lim=int(limit),
            )
        return _member_hits(rows)

    def members_in_period(
        self,
        start: str | None,
        end: str | None,
        *,
        active_only: bool = True,
        company_ids: Iterable[int] = (),
        limit: int = 2000,
    ) -> list[MemberHit]:
        """Members behind a dashboard selection: who posted in ``[start, end)`` (``active_only``),
        else who joined then; optionally only members of the given companies. Most active first."""
        params: dict[str, Any] = {"a": start or "", "b": end or "9999", "lim": int(limit)}
        cos = sorted({int(c) for c in company_ids})
        company_sql = ""
        if cos:
            company_sql = " AND u.company_id IN (" + ", ".join(f":co{i}" for i in range(len(cos))) + ")"
            params.update({f"co{i}": c for i, c in enumerate(cos)})
        if active_only:
            sql = (
                "SELECT u.id, u.username, u.name, u.email, u.trust_level, c.name AS company, "
                "count(*) AS n FROM posts p JOIN users u ON u.id = p.user_id "
                "LEFT JOIN companies c ON c.id = u.company_id "
                "WHERE p.created_at >= :a AND p.created_at < :b AND p.deleted_at IS NULL "
                "AND p.post_type = 1 AND u.gone_since IS NULL" + company_sql + " "
                "GROUP BY u.id ORDER BY n DESC, u.username COLLATE NOCASE LIMIT :lim"
            )
        else:
            sql = (
                "SELECT u.id, u.username, u.name, u.email, u.trust_level, c.name AS company FROM users u "
                "LEFT JOIN companies c ON c.id = u.company_id "
                "WHERE u.created_at >= :a AND u.created_at < :b AND u.gone_since IS NULL" + company_sql + " "
                "ORDER BY u.created_at, u.id LIMIT :lim"
            )
        with self.cache.read() as conn:
            rows = _rows(conn, sql, **params)
        return _member_hits(rows)

    def member_ids(self, usernames: Iterable[str]) -> dict[str, int]:
        names = [n.strip().lstrip("@").lower() for n in usernames if n.strip()]
        with self.cache.read() as conn:
            return {
                str(r["username"]).lower(): int(r["id"])
                for r in _rows(
                    conn,
                    "SELECT id, username FROM users WHERE lower(username) IN "
                    "(SELECT value FROM json_each(:names)) AND gone_since IS NULL",
                    names=_json(names),
                )
            }

    def _post_refs(self, conn: Connection, sql: str, **params: Any) -> tuple[PostRef, ...]:
        out = []
        for r in _rows(conn, sql, **params):
            out.append(
                PostRef(
                    post_id=int(r["id"]),
                    topic_id=int(r["topic_id"]),
                    post_number=int(r["post_number"]),
                    title=str(r["title"] or f"Topic {r['topic_id']}"),
                    created_at=str(r["created_at"] or ""),
                    url=post_url(
                        self.site_url,
                        r["slug"],
                        r["topic_id"],
                        r["post_number"],
                        links=self.links,
                        post_id=int(r["id"]),
                    ),
                    excerpt=_excerpt(r["plain"]),
                    likes=int(r["like_count"] or 0),
                    solution=bool(r["is_solution"]),
                )
            )
        return tuple(out)

    _POSTS_SQL = (
        "SELECT p.id, p.topic_id, p.post_number, p.created_at, p.like_count, "
        "substr(p.plain, 1, 240) AS plain, "
        "t.title, t.slug, (s.post_id IS NOT NULL) AS is_solution FROM posts p "
        "LEFT JOIN topics t ON t.id = p.topic_id "
        "LEFT JOIN solutions s ON s.post_id = p.id AND s.gone_since IS NULL "
    )
    _LIVE = (
        "p.post_type = 1 AND p.deleted_at IS NULL AND p.gone_since IS NULL AND t.deleted_at IS NULL "
        "AND t.gone_since IS NULL"
    )

    def profile(self, user_id: int, *, posts: int = 15, solutions: int = 15) -> MemberProfile:
        ov = self.moderation.overlay()
        now = store.now_iso()
        with self.cache.read() as conn:
            u = _one(
                conn,
                "SELECT u.*, c.name AS company FROM users u LEFT JOIN companies c ON c.id = u.company_id "
                "WHERE u.id = :i",
                i=int(user_id),
            )
            if u is None:
                raise ActionRefused(f"Member {user_id} is not known here (sync first?).")
            groups = tuple(
                str(r["name"])
                for r in _rows(
                    conn,
                    "SELECT g.name FROM group_members gm JOIN groups g ON g.id = gm.group_id "
                    "WHERE gm.user_id = :u AND gm.gone_since IS NULL AND g.automatic = 0 ORDER BY g.name",
                    u=int(user_id),
                )
            )
            held = []
            for r in _rows(
                conn,
                "SELECT b.id, b.name, b.badge_type_id, max(ub.granted_at) AS granted_at, count(*) AS n "
                "FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
                "WHERE ub.user_id = :u AND ub.gone_since IS NULL GROUP BY b.id "
                "ORDER BY coalesce(b.badge_type_id, 9), max(ub.granted_at) DESC",
                u=int(user_id),
            ):
                key = (int(user_id), int(r["id"]))
                name = str(r["name"]) + (f" ×{r['n']}" if int(r["n"]) > 1 else "")
                held.append(
                    HeldBadge(
                        int(r["id"]),
                        name,
                        BADGE_TYPES.get(int(r["badge_type_id"] or 3), "bronze"),
                        str(r["granted_at"] or ""),
                        _overlay_label(ov.rows, "revoke_badge", key[0], key[1]),
                    )
                )
            for row in ov.rows:
                if row.kind == "grant_badge" and int(row.payload["user_id"]) == int(user_id):
                    b = _one(
                        conn, "SELECT badge_type_id FROM badges WHERE id = :b", b=row.payload["badge_id"]
                    )
                    held.insert(
                        0,
                        HeldBadge(
                            int(row.payload["badge_id"]),
                            str(row.payload.get("badge_name")),
                            BADGE_TYPES.get(int((b or {}).get("badge_type_id") or 3), "bronze"),
                            "",
                            _overlay_label([row], "grant_badge", int(user_id), int(row.payload["badge_id"])),
                        ),
                    )
            recent = self._post_refs(
                conn,
                self._POSTS_SQL
                + f"WHERE p.user_id = :u AND {self._LIVE} ORDER BY p.created_at DESC LIMIT :n",
                u=int(user_id),
                n=int(posts),
            )
            sols = self._post_refs(
                conn,
                self._POSTS_SQL.replace("LEFT JOIN solutions s", "JOIN solutions s")
                + f"WHERE p.user_id = :u AND {self._LIVE} ORDER BY p.created_at DESC LIMIT :n",
                u=int(user_id),
                n=int(solutions),
            )
            counts = _one(
                conn,
                "SELECT (SELECT count(*) FROM posts p WHERE p.user_id = :u AND p.post_type = 1 "
                "AND p.deleted_at IS NULL AND p.gone_since IS NULL) AS posts, "
                "(SELECT count(*) FROM solutions s JOIN posts p ON p.id = s.post_id WHERE p.user_id = :u "
                "AND s.gone_since IS NULL AND p.deleted_at IS NULL) AS sols",
                u=int(user_id),
            ) or {"posts": 0, "sols": 0}
        return MemberProfile(
            id=int(u["id"]),
            username=str(u["username"]),
            name=str(u.get("name") or ""),
            email=str(u.get("email") or ""),
            company=str(u.get("company") or ""),
            trust_level=u.get("trust_level"),
            title=str(u.get("title") or ""),
            created_at=str(u.get("created_at") or ""),
            last_posted_at=str(u.get("last_posted_at") or ""),
            last_seen_at=str(u.get("last_seen_at") or ""),
            staff=bool(u.get("admin") or u.get("moderator")),
            status=member_status(u, now),
            groups=groups,
            badges=tuple(held),
            recent_posts=recent,
            solutions=sols,
            post_count=int(counts["posts"] or 0),
            solution_count=int(counts["sols"] or 0),
        )

    def reason_candidates(self, user_id: int, *, limit: int = 20) -> list[ReasonCandidate]:
        """Links a grant can cite: the member's accepted answers first, then their recent posts."""
        with self.cache.read() as conn:
            sols = self._post_refs(
                conn,
                self._POSTS_SQL.replace("LEFT JOIN solutions s", "JOIN solutions s")
                + f"WHERE p.user_id = :u AND {self._LIVE} ORDER BY p.created_at DESC LIMIT :n",
                u=int(user_id),
                n=int(limit),
            )
            recent = self._post_refs(
                conn,
                self._POSTS_SQL
                + f"WHERE p.user_id = :u AND {self._LIVE} ORDER BY p.created_at DESC LIMIT :n",
                u=int(user_id),
                n=int(limit),
            )
        out: list[ReasonCandidate] = []
        seen: set[int] = set()
        for ref in sols:
            seen.add(ref.post_id)
            out.append(
                ReasonCandidate(
                    ref.url,
                    Msg(
                        QT_TRANSLATE_NOOP("core", "✔ Accepted answer in “{title}” ({day})"),
                        title=ref.title,
                        day=ref.created_at[:10],
                    ),
                    "solution",
                    ref.post_id,
                )
            )
        for ref in recent:
            if ref.post_id in seen:
                continue
            likes = (
                QT_TRANSLATE_NOOP("core", "1 like")
                if ref.likes == 1
                else Msg(QT_TRANSLATE_NOOP("core", "{n} likes"), n=ref.likes)
            )
            label = Msg(
                QT_TRANSLATE_NOOP("core", "Post #{n} in “{title}” ({day}, {likes})"),
                n=ref.post_number,
                title=ref.title,
                day=ref.created_at[:10],
                likes=likes,
            )
            out.append(ReasonCandidate(ref.url, label, "post", ref.post_id))
        return out[:limit]

    # ------------------------------------------------------------ single award and revoke

    def award(
        self, badge: str | int, username: str, *, reason: str | None = None, note: str | None = None
    ) -> Queued:
        return self.moderation.award_badge(badge, username, reason=(reason or None), note=(note or None))

    def revoke(self, badge: str | int, username: str, *, reason: str) -> Queued:
        why = (reason or "").strip()
        if not why:
            raise ActionRefused("Say why the badge is revoked (it goes into the audit log).")
        return self.moderation.revoke_badge(badge, username, note=why)

    # ------------------------------------------------------------ bulk award

    def preview_bulk(
        self,
        badge: str | int,
        *,
        user_ids: Sequence[int] = (),
        csv_text: str | None = None,
        reason: str | None = None,
    ) -> BulkPreview:
        """What a bulk award would do for each member; nothing is queued."""
        parsed = parse_csv(csv_text) if csv_text is not None else None
        ov = self.moderation.overlay()
        now = store.now_iso()
        with self.cache.read() as conn:
            key = str(badge).strip()
            b = (
                _one(conn, "SELECT * FROM badges WHERE id = :i", i=int(key))
                if key.isdigit()
                else _one(conn, "SELECT * FROM badges WHERE name = :n COLLATE NOCASE", n=key)
            )
            blocking = None
            if b is None:
                blocking = Msg(
                    QT_TRANSLATE_NOOP(
                        "core", "No badge “{badge}” is known on this community, or it is disabled."
                    ),
                    badge=key,
                )
            elif not b["enabled"]:
                blocking = Msg(QT_TRANSLATE_NOOP("core", "The badge “{badge}” is disabled."), badge=b["name"])
            elif b.get("system") or b.get("manually_grantable") is False:
                blocking = Msg(
                    QT_TRANSLATE_NOOP(
                        "core", "The badge “{badge}” is awarded automatically; it cannot be granted by hand."
                    ),
                    badge=b["name"],
                )
            multiple = bool(b and b["multiple_grant"])
            if blocking is None and multiple and not (reason or "").strip():
                blocking = Msg(
                    QT_TRANSLATE_NOOP(
                        "core",
                        "“{badge}” can be awarded several times: "
                        "give a reason link so each grant is tied to a post.",
                    ),
                    badge=b["name"] if b else key,
                )
            asked: list[tuple[str, int | None, str, str]] = []  # (entry, line, lookup kind, value)
            for uid in user_ids:
                asked.append((f"#{int(uid)}", None, "id", str(int(uid))))
            if parsed is not None:
                for n_line, value in parsed.entries:
                    asked.append((value, n_line, parsed.mode, value))
            ids = [int(v) for _e, _l, k, v in asked if k == "id"]
            names = [v.lower() for _e, _l, k, v in asked if k == "username"]
            emails = [v.lower() for _e, _l, k, v in asked if k == "email"]
            users: dict[tuple[str, str], dict[str, Any]] = {}
            for r in _rows(
                conn,
                "SELECT * FROM users WHERE id IN (SELECT value FROM json_each(:ids)) "
                "OR lower(username) IN (SELECT value FROM json_each(:names)) "
                "OR lower(email) IN (SELECT value FROM json_each(:emails))",
                ids=_json(ids),
                names=_json(names),
                emails=_json(emails),
            ):
                users[("id", str(r["id"]))] = r
                users[("username", str(r["username"]).lower())] = r
                if r.get("email"):
                    users[("email", str(r["email"]).lower())] = r
            holders: set[int] = set()
            if b is not None:
                holders = {
                    int(x["user_id"])
                    for x in _rows(
                        conn,
                        "SELECT DISTINCT user_id FROM user_badges WHERE badge_id = :b AND gone_since IS NULL",
                        b=int(b["id"]),
                    )
                }
        rows: list[PreviewRow] = []
        seen: set[int] = set()
        for entry, line, kind, value in asked:
            u = users.get((kind, value.lower() if kind != "id" else value))
            if u is None:
                what = {"id": "member id", "username": "username", "email": "e-mail"}[kind]
                rows.append(
                    PreviewRow(
                        entry, line, None, None, "", "not_found", f"no member with this {what} is known here"
                    )
                )
                continue
            uid, uname = int(u["id"]), str(u["username"])
            shown = f"@{uname}" if kind == "id" else entry
            name = str(u.get("name") or "")
            if uid in seen:
                rows.append(PreviewRow(shown, line, uid, uname, name, "duplicate", "already listed above"))
                continue
            seen.add(uid)
            status = member_status(u, now)
            if blocking is not None:
                rows.append(PreviewRow(shown, line, uid, uname, name, "not_allowed", blocking))
            elif status:
                rows.append(PreviewRow(shown, line, uid, uname, name, "not_allowed", f"member is {status}"))
            elif (
                not multiple
                and b is not None
                and (
                    ((uid in holders) and (uid, int(b["id"])) not in ov.revokes)
                    or (uid, int(b["id"])) in ov.grants
                )
            ):
                queued = (uid, int(b["id"])) in ov.grants
                rows.append(
                    PreviewRow(
                        shown,
                        line,
                        uid,
                        uname,
                        name,
                        "holds",
                        "an award is already queued or just sent"
                        if queued
                        else "single-grant badge, nothing to do",
                    )
                )
            else:
                extra = "" if uid not in holders else " (holds it already: one more grant for this post)"
                rows.append(
                    PreviewRow(
                        shown,
                        line,
                        uid,
                        uname,
                        name,
                        "grant",
                        ("does not hold it yet" if not extra else extra.strip(" ()")),
                    )
                )
        return BulkPreview(
            badge_id=int(b["id"]) if b is not None else None,
            badge_name=str(b["name"]) if b is not None else key,
            multiple=multiple,
            reason=(reason or "").strip() or None,
            rows=tuple(rows),
            problems=parsed.problems if parsed is not None else (),
            blocking=blocking,
            tier=BADGE_TYPES.get(int(b["badge_type_id"] or 3), "bronze") if b is not None else "",
        )

    def enqueue_bulk(self, preview: BulkPreview, *, note: str | None = None) -> BulkQueued:
        """Queue the preview's grantable rows through the outbox (each validated again)."""
        if preview.blocking or preview.badge_id is None:
            raise ActionRefused(preview.blocking or "No badge chosen.")
        queued: list[tuple[int, str, str]] = []
        refused: list[tuple[int, str, str]] = []
        changes = Changes()
        for row in preview.grantable:
            assert row.user_id is not None and row.username is not None
            try:
                q = self.moderation.award_badge(
                    preview.badge_id, row.username, reason=preview.reason, note=note or None
                )
            except InvalidInput as exc:
                refused.append((row.user_id, row.username, exc.user_message))
                continue
            queued.append((row.user_id, row.username, q.op_uuid))
            changes = changes | q.changes
        skipped = tuple(r for r in preview.rows if r.outcome != "grant")
        return BulkQueued(
            preview.badge_id, preview.badge_name, tuple(queued), tuple(refused), skipped, changes
        )

    def bulk_report(self, bulk: BulkQueued) -> list[ReportRow]:
        """Per member, what became of the bulk award (read from the outbox; call after a push)."""
        out: list[ReportRow] = []
        with self.cache.read() as conn:
            for uid, uname, op in bulk.queued:
                row = store.get(conn, op)
                out.append(_report_row(uid, uname, row))
        for uid, uname, msg in bulk.refused:
            out.append(ReportRow(uid, uname, "not queued", msg))
        for r in bulk.skipped:
            out.append(ReportRow(r.user_id, r.username or r.entry, r.outcome_label, r.detail))
        return out


def _overlay_label(rows: Sequence[OutboxRow], kind: str, user_id: int, badge_id: int) -> str | None:
    """How a pending or just-delivered (not yet pulled) award or revoke shows in the lists."""
    for r in reversed(rows):
        if r.kind == kind and int(r.payload["user_id"]) == user_id and int(r.payload["badge_id"]) == badge_id:
            verb, done = ("award", "awarded") if kind == "grant_badge" else ("revoke", "revoked")
            return f"{verb} queued" if r.state in store.ACTIVE_STATES else f"{done}, syncing"
    return None


def _report_row(uid: int, uname: str, row: OutboxRow | None) -> ReportRow:
    if row is None:
        return ReportRow(uid, uname, "not queued", "the queued action is gone")
    if row.state == "done":
        if row.resolution == "already_applied":
            return ReportRow(uid, uname, "already held", "the server already had this grant")
        return ReportRow(uid, uname, "granted", "delivered")
    if row.state == "pending":
        return ReportRow(uid, uname, "queued", row.last_error or "waiting to be sent")
    if row.state == "in_flight":
        return ReportRow(uid, uname, "sending", "being verified")
    if row.state == "conflict":
        return ReportRow(uid, uname, "conflict", row.last_error or str(row.resolution))
    if row.state == "failed":
        return ReportRow(uid, uname, "failed", row.last_error or str(row.resolution))
    return ReportRow(uid, uname, "cancelled", str(row.resolution or ""))


def _excerpt(plain: Any, n: int = 160) -> str:
    s = " ".join(str(plain or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _json(values: Sequence[Any]) -> str:
    import json

    return json.dumps(list(values))


__all__ = [
    "BADGE_TYPES",
    "OUTCOME_LABELS",
    "BadgeInfo",
    "BulkPreview",
    "BulkQueued",
    "CsvEntries",
    "CsvProblem",
    "Grantee",
    "HeldBadge",
    "MemberHit",
    "MemberProfile",
    "ModerationActions",
    "PostRef",
    "PreviewRow",
    "ReasonCandidate",
    "RecognitionService",
    "ReportRow",
    "member_status",
    "parse_csv",
    "post_url",
]
