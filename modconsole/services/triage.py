"""The unanswered-question queue as a read model over the cache (Qt-free).

Questions are regular topics that are neither deleted nor gone. Each is in one *state*,
derived from the cache's queue fields (``modconsole.cache.repo.refresh_derived``):

* ``no_reply`` — nobody has replied;
* ``asker_only`` — only the asker has replied (follow-ups, "any ideas?");
* ``awaiting`` — others replied, then the asker spoke last: the asker is waiting for the
  vendor's people (an employee) to come back;
* ``replied`` — others replied and spoke last, but no answer is accepted;
* ``solved`` — an answer is accepted.

Pages are read with **keyset paging** (``WHERE (key, id) > (:last_key, :last_id) ORDER BY key,
id LIMIT n``), never ``OFFSET``, so page 500 costs what page 1 costs. Sorting happens in SQL.
The SLA sort is exact without computing a due time per row in SQL: within one target, due
times are in creation order (business-time addition is monotonic), so each distinct target is
one stream ordered by ``created_at`` (on the partial index ``ix_topics_queue_unanswered``) and
the streams are merged by due time in Python, a page at a time.

Every function takes an open ``Connection`` (``Cache.read()``) and returns frozen values.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole.cache.repo import fts_query
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services.sla import SlaLevel, SlaSettings, SlaStatus, add_business_seconds, parse_ts, to_ts

__all__ = [
    "ASSIGNED_FILTERS",
    "MINE_VIEW",
    "OPEN_STATES",
    "Cursor",
    "Expert",
    "FilterOption",
    "QueueFilter",
    "QueuePage",
    "QueueRow",
    "QueueState",
    "SavedView",
    "SimilarTopic",
    "SortKey",
    "TriageQuery",
    "categories",
    "companies",
    "count",
    "default_views",
    "page",
    "similar_solved",
    "suggested_experts",
]


class QueueState(enum.StrEnum):
    NO_REPLY = "no_reply"
    ASKER_ONLY = "asker_only"
    AWAITING = "awaiting"
    REPLIED = "replied"
    SOLVED = "solved"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def rank(self) -> int:
        return _STATE_ORDER.index(self)


_STATE_ORDER = (
    QueueState.NO_REPLY,
    QueueState.ASKER_ONLY,
    QueueState.AWAITING,
    QueueState.REPLIED,
    QueueState.SOLVED,
)
_STATE_LABELS = {
    QueueState.NO_REPLY: QT_TRANSLATE_NOOP("core", "No reply"),
    QueueState.ASKER_ONLY: QT_TRANSLATE_NOOP("core", "Only the asker replied"),
    QueueState.AWAITING: QT_TRANSLATE_NOOP("core", "Awaiting an employee"),
    QueueState.REPLIED: QT_TRANSLATE_NOOP("core", "Replied, unsolved"),
    QueueState.SOLVED: QT_TRANSLATE_NOOP("core", "Solved"),
}
OPEN_STATES: frozenset[QueueState] = frozenset(_STATE_ORDER[:-1])

_STATE_PREDICATES = {
    QueueState.NO_REPLY: "(t.has_accepted_answer = 0 AND t.others_replies = 0 AND t.asker_replies = 0)",
    QueueState.ASKER_ONLY: "(t.has_accepted_answer = 0 AND t.others_replies = 0 AND t.asker_replies > 0)",
    QueueState.AWAITING: "(t.has_accepted_answer = 0 AND t.others_replies > 0 AND t.last_reply_by_asker = 1)",
    QueueState.REPLIED: (
        "(t.has_accepted_answer = 0 AND t.others_replies > 0 AND COALESCE(t.last_reply_by_asker, 0) = 0)"
    ),
    QueueState.SOLVED: "(t.has_accepted_answer = 1)",
}
_STATE_EXPR = (
    "(CASE WHEN t.has_accepted_answer = 1 THEN 4 "
    "WHEN t.others_replies = 0 AND t.asker_replies = 0 THEN 0 "
    "WHEN t.others_replies = 0 THEN 1 "
    "WHEN t.last_reply_by_asker = 1 THEN 2 ELSE 3 END)"
)

# The clock runs while nobody but the asker has replied and nothing is accepted. Written with the
# partial index's own predicates so SQLite uses ix_topics_queue_unanswered.
_RUNNING = "(t.first_response_at IS NULL AND t.has_accepted_answer = 0)"
_BASE = "t.deleted_at IS NULL AND t.gone_since IS NULL AND COALESCE(t.archetype, 'regular') = 'regular'"
# Without a category filter, questions are the topics of categories that use accepted answers (all
# categories when none does), outside staff-only categories.
# (Written with COALESCE rather than "IS NULL OR IN": the OR made SQLite pick a multi-index plan
# that sorted half the table for every page.)
_QUESTION_CATEGORIES = (
    "COALESCE(t.category_id, -1) IN (SELECT id FROM categories WHERE read_restricted = 0 "
    "AND (accepts_answers = 1 OR NOT EXISTS (SELECT 1 FROM categories WHERE accepts_answers = 1)) "
    "UNION ALL SELECT -1)"
)
_UNANSWERED_INDEX = "ix_topics_queue_unanswered"
# A search keeps the topics of the first 5000 matching posts: their topic ids from this narrow
# index rather than the posts' wide rows (migration 0008; the planner picks the rowid without
# the hint).
_POSTS_TOPIC_INDEX = "ix_posts_topic_lookup"
_MATCHED_POSTS = "posts p WHERE p.id IN (SELECT rowid FROM posts_fts"
_FROM = (
    "FROM topics t LEFT JOIN categories c ON c.id = t.category_id "
    "LEFT JOIN users u ON u.id = t.user_id LEFT JOIN companies co ON co.id = u.company_id"
)
_SELECT = (
    "SELECT t.id, t.title, t.slug, t.category_id, c.name, u.company_id, co.name, t.user_id, u.username, "
    "t.asker_replies + t.others_replies, t.created_at, t.first_response_at, t.has_accepted_answer, "
    f"{_STATE_EXPR}"
)


class SortKey(enum.StrEnum):
    SLA = "sla"
    AGE = "age"
    TITLE = "title"
    CATEGORY = "category"
    COMPANY = "company"
    ASKER = "asker"
    REPLIES = "replies"
    STATE = "state"


_SORT_EXPR = {
    SortKey.AGE: "t.created_at",
    SortKey.TITLE: "COALESCE(t.title, '') COLLATE NOCASE",
    SortKey.CATEGORY: "COALESCE(c.name, '') COLLATE NOCASE",
    SortKey.COMPANY: "COALESCE(co.name, '') COLLATE NOCASE",
    SortKey.ASKER: "COALESCE(u.username, '') COLLATE NOCASE",
    SortKey.REPLIES: "(t.asker_replies + t.others_replies)",
    SortKey.STATE: _STATE_EXPR,
}


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows. Empty sets mean "any"."""

    states: frozenset[QueueState] = OPEN_STATES
    categories: frozenset[int] = frozenset()
    companies: frozenset[int] = frozenset()
    sla: frozenset[SlaLevel] = frozenset()  # of OVERDUE, DUE_SOON, OK (running clocks only)
    search: str = ""
    # Questions asked in [created_from, created_to) (ISO-8601 UTC; None = open-ended): a dashboard
    # drill-down such as "March's questions".
    created_from: str | None = None
    created_to: str | None = None
    # Assignment (Assign): "" any, "mine" held by me or my groups, "unassigned" held by nobody. The
    # ids it means come with the query (TriageQuery.assignment_ids), read from the assign mirror.
    assigned: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "states": sorted(s.value for s in self.states),
            "categories": sorted(self.categories),
            "companies": sorted(self.companies),
            "sla": sorted(s.value for s in self.sla),
            "search": self.search,
            "created_from": self.created_from,
            "created_to": self.created_to,
            **({"assigned": self.assigned} if self.assigned else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QueueFilter:
        known_states = {s.value for s in QueueState}
        known_sla = {s.value for s in (SlaLevel.OVERDUE, SlaLevel.DUE_SOON, SlaLevel.OK)}
        return cls(
            states=frozenset(QueueState(s) for s in data.get("states", []) if s in known_states),
            categories=frozenset(int(c) for c in data.get("categories", [])),
            companies=frozenset(int(c) for c in data.get("companies", [])),
            sla=frozenset(SlaLevel(s) for s in data.get("sla", []) if s in known_sla),
            search=str(data.get("search", "")),
            created_from=data.get("created_from") or None,
            created_to=data.get("created_to") or None,
            assigned=str(data.get("assigned") or "") if data.get("assigned") in ASSIGNED_FILTERS else "",
        )


ASSIGNED_FILTERS = ("", "mine", "unassigned")
"""QueueFilter.assigned: any, held by me (or a group of mine), held by nobody."""


@dataclass(frozen=True)
class SavedView:
    name: str
    filter: QueueFilter

    @staticmethod
    def dump(views: Sequence[SavedView]) -> str:
        return json.dumps([{"name": v.name, "filter": v.filter.to_dict()} for v in views])

    @staticmethod
    def load(text_: str) -> list[SavedView]:
        try:
            data = json.loads(text_)
            return [SavedView(str(d["name"]), QueueFilter.from_dict(d["filter"])) for d in data]
        except (ValueError, KeyError, TypeError):
            return []


def _states(*states: QueueState) -> QueueFilter:
    return QueueFilter(states=frozenset(states))


def default_views() -> list[SavedView]:
    return [
        # the built-in views' names are marked: the console shows them translated
        SavedView(QT_TRANSLATE_NOOP("core", "Open questions"), QueueFilter()),
        SavedView(QT_TRANSLATE_NOOP("core", "Overdue"), QueueFilter(sla=frozenset({SlaLevel.OVERDUE}))),
        SavedView(
            QT_TRANSLATE_NOOP("core", "No reply yet"), _states(QueueState.NO_REPLY, QueueState.ASKER_ONLY)
        ),
        SavedView(
            QT_TRANSLATE_NOOP("core", "Awaiting an employee"),
            QueueFilter(states=frozenset({QueueState.AWAITING})),
        ),
        SavedView(QT_TRANSLATE_NOOP("core", "Solved"), QueueFilter(states=frozenset({QueueState.SOLVED}))),
        SavedView(MINE_VIEW, QueueFilter(assigned="mine")),
    ]


MINE_VIEW = QT_TRANSLATE_NOOP("core", "Mine")
"""The built-in view of the open questions assigned to me (or to a group of mine)."""


@dataclass(frozen=True, slots=True)
class QueueRow:
    topic_id: int
    title: str
    slug: str
    category_id: int | None
    category: str
    company_id: int | None
    company: str
    asker_id: int | None
    asker: str
    replies: int
    created_at: str | None
    first_response_at: str | None
    solved: bool
    state: QueueState
    sla: SlaStatus
    pending: str | None = None  # an outbox action waiting to be pushed (e.g. "accept")


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: per stream, the (key, id) of the last row consumed, or
    ``None`` before the first row; ``done`` marks exhausted streams."""

    positions: tuple[tuple[Any, int] | None, ...]
    done: tuple[bool, ...]


@dataclass(frozen=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    cursor: Cursor | None  # None: no more rows


@dataclass(frozen=True)
class TriageQuery:
    """A filter, a sort and the SLA settings at one instant ``now``."""

    filter: QueueFilter = field(default_factory=QueueFilter)
    sort: SortKey = SortKey.SLA
    descending: bool = False
    sla_settings: SlaSettings = field(default_factory=SlaSettings)
    now: datetime | None = None
    assignment_ids: frozenset[int] = frozenset()
    """For ``filter.assigned``: the topics held by me ("mine") or by anyone ("unassigned": excluded)."""

    def at(self, now: datetime) -> TriageQuery:
        return replace(self, now=now)


# ---------------------------------------------------------------- SQL building


def _in_list(name: str, values: Iterable[int], params: dict[str, Any]) -> str:
    params[name] = json.dumps(sorted(int(v) for v in values))
    return f"(SELECT value FROM json_each(:{name}))"


def _target_groups(s: SlaSettings) -> list[tuple[float, str]]:
    """(target seconds, category predicate) per distinct target; the default group first."""
    special = s.special_targets()
    groups: list[tuple[float, str]] = []
    all_special = sorted(c for ids in special.values() for c in ids)
    if all_special:
        ids = ", ".join(str(c) for c in all_special)
        default_pred = f"(t.category_id IS NULL OR t.category_id NOT IN ({ids}))"
        groups.append((s.default_target_hours * 3600.0, default_pred))
    else:
        groups.append((s.default_target_hours * 3600.0, "1 = 1"))
    for target, cids in sorted(special.items()):
        groups.append((target, f"t.category_id IN ({', '.join(str(c) for c in sorted(cids))})"))
    return groups


def _group_category(s: SlaSettings, target: float) -> int | None:
    """A category id whose target is ``target`` (None: the default)."""
    for cid, hours in s.category_targets.items():
        if hours * 3600.0 == target and hours != s.default_target_hours:
            return cid
    return None


def _where(q: TriageQuery, now: datetime, params: dict[str, Any]) -> str:
    f = q.filter
    parts = [_BASE]
    if f.states and set(f.states) != set(QueueState):
        parts.append("(" + " OR ".join(_STATE_PREDICATES[s] for s in _STATE_ORDER if s in f.states) + ")")
    if f.categories:
        parts.append(f"t.category_id IN {_in_list('f_cats', f.categories, params)}")
    else:
        parts.append(_QUESTION_CATEGORIES)
    if f.companies:
        parts.append(f"u.company_id IN {_in_list('f_cos', f.companies, params)}")
    if f.assigned == "mine":
        parts.append(f"t.id IN {_in_list('f_mine', q.assignment_ids, params)}")
    elif f.assigned == "unassigned" and q.assignment_ids:
        parts.append(f"t.id NOT IN {_in_list('f_held', q.assignment_ids, params)}")
    if f.created_from:
        params["f_from"] = f.created_from
        parts.append("t.created_at >= :f_from")
    if f.created_to:
        params["f_to"] = f.created_to
        parts.append("t.created_at < :f_to")
    levels = {lv for lv in f.sla if lv.running}
    if levels and levels != {SlaLevel.OVERDUE, SlaLevel.DUE_SOON, SlaLevel.OK}:
        ors = []
        for i, (target, cat_pred) in enumerate(_target_groups(q.sla_settings)):
            cid = _group_category(q.sla_settings, target)
            over = to_ts(q.sla_settings.cutoff(now, cid, SlaLevel.OVERDUE))
            soon = to_ts(q.sla_settings.cutoff(now, cid, SlaLevel.DUE_SOON))
            params[f"over{i}"], params[f"soon{i}"] = over, soon
            conds = []
            if SlaLevel.OVERDUE in levels:
                conds.append(f"t.created_at <= :over{i}")
            if SlaLevel.DUE_SOON in levels:
                conds.append(f"(t.created_at > :over{i} AND t.created_at <= :soon{i})")
            if SlaLevel.OK in levels:
                conds.append(f"t.created_at > :soon{i}")
            ors.append(f"({cat_pred} AND ({' OR '.join(conds)}))")
        parts.append(f"{_RUNNING} AND t.created_at IS NOT NULL AND ({' OR '.join(ors)})")
    elif levels:
        parts.append(_RUNNING)
    if f.search.strip():
        match = fts_query(f.search)
        if match is None:
            parts.append("0 = 1")
        else:
            params["fts"] = match
            parts.append(
                "(t.id IN (SELECT rowid FROM topics_fts WHERE topics_fts MATCH :fts) OR t.id IN "
                "(SELECT p.topic_id FROM posts p WHERE p.id IN "
                "(SELECT rowid FROM posts_fts WHERE posts_fts MATCH :fts LIMIT 5000)))"
            )
    return " AND ".join(parts)


@dataclass(frozen=True)
class _Stream:
    predicate: str  # extra WHERE for this stream
    order_expr: str  # the SQL key (keyset column)
    segment: int  # merge: lower segments first
    target: float | None  # SLA target seconds when the stream's merge key is the due time
    index: str | None = None  # INDEXED BY hint (the planner otherwise sorts every running clock)


def _streams(q: TriageQuery) -> list[_Stream]:
    if q.sort is not SortKey.SLA:
        return [_Stream("1 = 1", _SORT_EXPR[q.sort], 0, None)]
    # Walking the partial index in creation order stops after one page. With a search too: SQLite
    # builds the FTS id set once, and the planner's own choice (sort every match) measured 2× slower
    # for common words (bench_console).
    hint = _UNANSWERED_INDEX
    streams = [
        _Stream(f"{_RUNNING} AND {cat_pred}", "t.created_at", 0, target, hint)
        for target, cat_pred in _target_groups(q.sla_settings)
    ]
    streams.append(_Stream(f"NOT {_RUNNING}", "t.created_at", 1, None))
    return streams


def _row(r: Sequence[Any], q: TriageQuery, now: datetime) -> QueueRow:
    created = parse_ts(r[10])
    first = parse_ts(r[11])
    state = _STATE_ORDER[int(r[13])]
    sla = q.sla_settings.status(created, first, r[3], now, solved=bool(r[12]))
    return QueueRow(
        topic_id=int(r[0]),
        title=r[1] or "(untitled)",
        slug=r[2] or "topic",
        category_id=r[3],
        category=r[4] or "",
        company_id=r[5],
        company=r[6] or "",
        asker_id=r[7],
        asker=r[8] or "",
        replies=int(r[9] or 0),
        created_at=r[10],
        first_response_at=r[11],
        solved=bool(r[12]),
        state=state,
        sla=sla,
    )


def page(conn: Connection, q: TriageQuery, cursor: Cursor | None = None, *, limit: int = 200) -> QueuePage:
    """The next ``limit`` questions after ``cursor`` (the first page when ``None``)."""
    now = q.now or clock.now().astimezone()
    params: dict[str, Any] = {}
    where = _where(q, now, params)
    streams = _streams(q)
    positions: list[tuple[Any, int] | None] = list(cursor.positions) if cursor else [None] * len(streams)
    done = list(cursor.done) if cursor else [False] * len(streams)
    if any(s.index for s in streams) or "fts" in params:
        have = {
            str(r[0])
            for r in conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('topics', 'posts')"
                )
            )
        }
        streams = [s if s.index is None or s.index in have else replace(s, index=None) for s in streams]
        if "fts" in params and _POSTS_TOPIC_INDEX in have:
            where = where.replace(
                _MATCHED_POSTS,
                _MATCHED_POSTS.replace("posts p", f"posts p INDEXED BY {_POSTS_TOPIC_INDEX}"),
                1,
            )
    direction = "DESC" if q.descending else "ASC"
    op = "<" if q.descending else ">"
    candidates: list[tuple[tuple[Any, ...], int, Any, Any]] = []
    # Segments come whole in the merged order (running clocks before the rest, ascending): once the
    # streams of earlier segments filled a page, a later segment's rows cannot be on it — skip its
    # query (for a search, the one that would sort every match) and leave its position as it was.
    order = sorted(range(len(streams)), key=lambda j: streams[j].segment, reverse=q.descending)
    for i in order:
        stream = streams[i]
        if done[i]:
            continue
        earlier = sum(1 for c in candidates if streams[c[1]].segment != stream.segment)
        if earlier >= limit:
            continue
        p = dict(params)
        keyset = ""
        if positions[i] is not None:
            key, last_id = positions[i]  # type: ignore[misc]
            p["k_key"], p["k_id"] = key, last_id
            keyset = f" AND ({stream.order_expr}, t.id) {op} (:k_key, :k_id)"
        from_ = (
            _FROM
            if stream.index is None
            else _FROM.replace("topics t", f"topics t INDEXED BY {stream.index}", 1)
        )
        sql = (
            f"{_SELECT}, {stream.order_expr} AS k {from_} WHERE {where} AND {stream.predicate}{keyset} "
            f"ORDER BY {stream.order_expr} {direction}, t.id {direction} LIMIT :lim"
        )
        p["lim"] = limit
        fetched = conn.execute(text(sql), p).all()
        if len(fetched) < limit:
            done[i] = True
        for r in fetched:
            # Only the merge key here: the rows that make the page are built (SLA read-out and all)
            # once chosen, not the up to ``limit`` per stream that are read and dropped.
            if len(streams) == 1:
                merge: tuple[Any, ...] = ()
            elif stream.target is not None:
                created = parse_ts(r[10])
                due = add_business_seconds(created, stream.target, q.sla_settings) if created else None
                # (due, created, id) agrees with the stream's own (created, id) order: due is monotonic.
                merge = (stream.segment, due.timestamp() if due else 0.0, r[10] or "", int(r[0]))
            else:
                merge = (stream.segment, 0.0, r[10] or "", int(r[0]))
            candidates.append((merge, i, r[14], r))
    if len(streams) > 1:
        candidates.sort(key=lambda c: c[0], reverse=q.descending)
    chosen = candidates[:limit]
    for _merge, i, key, r in chosen:
        positions[i] = (key, int(r[0]))
    # Streams whose fetched rows were not all consumed are not exhausted.
    consumed = {i: 0 for i in range(len(streams))}
    fetched_n = {i: 0 for i in range(len(streams))}
    for c in candidates:
        fetched_n[c[1]] += 1
    for c in chosen:
        consumed[c[1]] += 1
    for i in range(len(streams)):
        if consumed[i] < fetched_n[i]:
            done[i] = False
    rows = tuple(_row(c[3], q, now) for c in chosen)
    more = not all(done)
    return QueuePage(rows, Cursor(tuple(positions), tuple(done)) if more else None)


def count(conn: Connection, q: TriageQuery) -> int:
    now = q.now or clock.now().astimezone()
    params: dict[str, Any] = {}
    where = _where(q, now, params)
    return int(conn.execute(text(f"SELECT count(*) {_FROM} WHERE {where}"), params).scalar_one())


# ---------------------------------------------------------------- filter options


@dataclass(frozen=True, slots=True)
class FilterOption:
    id: int
    name: str


def categories(conn: Connection) -> list[FilterOption]:
    rows = conn.execute(
        text(
            "SELECT id, name FROM categories WHERE gone_since IS NULL ORDER BY position, name COLLATE NOCASE"
        )
    )
    return [FilterOption(int(r[0]), str(r[1])) for r in rows]


def companies(conn: Connection) -> list[FilterOption]:
    rows = conn.execute(text("SELECT id, name FROM companies ORDER BY name COLLATE NOCASE"))
    return [FilterOption(int(r[0]), str(r[1])) for r in rows]


# ---------------------------------------------------------------- side panel: similar and experts


@dataclass(frozen=True, slots=True)
class SimilarTopic:
    topic_id: int
    title: str
    slug: str
    category: str


_STOP = frozenset(
    [
        "about",
        "after",
        "again",
        "also",
        "and",
        "any",
        "are",
        "but",
        "can",
        "cannot",
        "could",
        "does",
        "doing",
        "for",
        "from",
        "get",
        "getting",
        "has",
        "have",
        "how",
        "into",
        "is",
        "it",
        "its",
        "not",
        "now",
        "our",
        "out",
        "see",
        "should",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "without",
        "would",
        "you",
        "your",
        "able",
        "using",
        "use",
        "via",
    ]
)


def _keywords(title: str, n: int = 5) -> list[str]:
    words = [
        w for w in re.findall(r"\w+", title.lower()) if len(w) > 2 and w not in _STOP and not w.isdigit()
    ]
    unique = list(dict.fromkeys(words))
    unique.sort(key=len, reverse=True)  # longer words are rarer, as a cheap stand-in for IDF
    return unique[:n]


def similar_solved(conn: Connection, topic_id: int, *, limit: int = 5) -> list[SimilarTopic]:
    """Solved questions whose titles share the rarest words of this one's title.

    Only the titles index is ranked (small corpus), capped at 200 candidates, then restricted to
    solved topics — never BM25 over all posts (PERFORMANCE.md).
    """
    title = conn.execute(text("SELECT title FROM topics WHERE id = :id"), {"id": topic_id}).scalar()
    words = _keywords(str(title or ""))
    if not words:
        return []
    match = " OR ".join(f'"{w}"' for w in words)
    rows = conn.execute(
        text(
            "WITH cand AS (SELECT rowid AS id, rank FROM topics_fts WHERE topics_fts MATCH :q "
            "ORDER BY rank LIMIT 200) "
            "SELECT t.id, t.title, t.slug, COALESCE(c.name, '') FROM cand JOIN topics t ON t.id = cand.id "
            "LEFT JOIN categories c ON c.id = t.category_id "
            "WHERE t.has_accepted_answer = 1 AND t.id <> :id "
            "AND t.deleted_at IS NULL AND t.gone_since IS NULL "
            "ORDER BY cand.rank LIMIT :n"
        ),
        {"q": match, "id": topic_id, "n": limit},
    )
    return [SimilarTopic(int(r[0]), str(r[1]), str(r[2] or "topic"), str(r[3])) for r in rows]


@dataclass(frozen=True, slots=True)
class Expert:
    user_id: int
    username: str
    company: str
    solved: int  # questions they solved in the category recently
    open_questions: int  # unsolved questions they are the first responder of


def suggested_experts(
    conn: Connection,
    category_id: int | None,
    *,
    exclude: Iterable[int] = (),
    since: datetime | None = None,
    limit: int = 5,
) -> list[Expert]:
    """Members who recently solved questions in ``category_id``, most solutions first, with how
    many open questions they already carry."""
    if category_id is None:
        return []
    params: dict[str, Any] = {"cat": category_id, "n": limit + 10, "since": to_ts(since) if since else ""}
    rows = conn.execute(
        text(
            "SELECT s.user_id, COUNT(*) AS n FROM solutions s JOIN topics t ON t.id = s.topic_id "
            "WHERE t.category_id = :cat AND s.user_id IS NOT NULL AND s.gone_since IS NULL "
            "AND COALESCE(s.accepted_at, t.created_at) >= :since AND t.deleted_at IS NULL "
            "GROUP BY s.user_id ORDER BY n DESC, s.user_id LIMIT :n"
        ),
        params,
    ).all()
    excluded = set(exclude)
    picked = [(int(r[0]), int(r[1])) for r in rows if int(r[0]) not in excluded][:limit]
    if not picked:
        return []
    ids = json.dumps([u for u, _ in picked])
    info = {
        int(r[0]): (str(r[1]), str(r[2] or ""))
        for r in conn.execute(
            text(
                "SELECT u.id, u.username, co.name FROM users u "
                "LEFT JOIN companies co ON co.id = u.company_id "
                "WHERE u.id IN (SELECT value FROM json_each(:ids))"
            ),
            {"ids": ids},
        )
    }
    open_counts = {
        int(r[0]): int(r[1])
        for r in conn.execute(
            text(
                "SELECT first_responder_id, COUNT(*) FROM topics WHERE has_accepted_answer = 0 "
                "AND deleted_at IS NULL AND gone_since IS NULL "
                "AND first_responder_id IN (SELECT value FROM json_each(:ids)) GROUP BY first_responder_id"
            ),
            {"ids": ids},
        )
    }
    return [Expert(uid, *info.get(uid, (f"user {uid}", "")), n, open_counts.get(uid, 0)) for uid, n in picked]
