"""Which periods the cache holds completely, read from the sync's cursors (Qt-free).

A first sync fills the cache in stages (SYNC.md §6.9; :mod:`modconsole.sync.engine`): the topic
list, then the ``/posts.json`` tail **newest first**, then users, badges, groups and the server's
reports. Until it has finished once, a figure is only a fact where the cache already holds
everything it counts:

* posts and topics are complete from the day after the oldest post the running tail has reached
  (``history_from``): the tail walks post ids downwards, so every post after that point is cached;
  before the tail has started (or while the topic list is still read) nothing is complete;
* figures that count the whole history up to a bucket's end (members in total, the unanswered
  backlog) are complete only when the whole history is;
* every other figure needs the members: sign-ups and members come from the users stage, and
  whatever tells customers from employees (questions, support health, peer-to-peer, impact) needs
  who is an employee — admins and moderators, e-mail domains (users stage), groups (groups
  stage); only the activity counts (topics, posts, replies, contributors) do not;
* server-reported series need the reports stage (the last one).

The cursors are read as they are stored (``sync_cursors``): this module does not drive the sync.
A cache no sync ever wrote (no ``site`` cursor: an imported or benchmark cache) claims nothing
and is taken as complete; once a first sync has completed (the ``rescan`` cursor has a full
rescan), every period is complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, text

from modconsole.analytics.periods import month_key

__all__ = [
    "ACTIVITY_KPIS",
    "COMPLETE",
    "HISTORY_KPIS",
    "MEMBER_KPIS",
    "SERVER_KPIS",
    "Coverage",
    "read_coverage",
]

ACTIVITY_KPIS = frozenset(
    {"new_topics", "new_posts", "new_replies", "active_contributors", "posts_per_active"}
)
"""Figures of posts and topics alone: complete wherever the posts walk has been."""
MEMBER_KPIS = frozenset({"signups", "members_total", "attach_rate", "active_contributors_pct"})
"""Figures read from ``users``."""
HISTORY_KPIS = frozenset({"members_total", "unanswered_backlog", "attach_rate"})
"""Figures that count everything before a bucket's end, not only what happened in it."""
SERVER_KPIS = frozenset({"likes", "visits", "accepted_solutions", "daily_engaged_users", "dau_by_mau"})
"""Series from the site's admin reports (the last stage of a first sync)."""


@dataclass(frozen=True)
class Coverage:
    """What the cache holds completely. ``syncing``: a first sync has started and not yet finished."""

    syncing: bool = False
    history_from: date | None = None
    """While syncing: the first day from which posts and topics are all cached (None: no day yet)."""
    history_complete: bool = True
    """Every post of the site's history is cached (the tail reached the first post)."""
    members_complete: bool = True
    """Users and groups are synced: sign-ups, members and who is an employee are known."""
    reports_complete: bool = True

    def complete(self, start: date, end: date, kpi_id: str | None = None) -> bool:
        """Whether ``[start, end)`` is held completely for ``kpi_id`` (any figure when None)."""
        del end  # a bucket is complete when its first day is: the tail walks from the newest day back
        if not self.syncing:
            return True
        if kpi_id is not None:
            if kpi_id in SERVER_KPIS:
                return self.reports_complete
            if kpi_id not in ACTIVITY_KPIS and not self.members_complete:
                return False  # members, or who is an employee, not known yet
            if kpi_id in HISTORY_KPIS and not self.history_complete:
                return False
            if kpi_id in MEMBER_KPIS:
                return True
        if self.history_complete:
            return True
        return self.history_from is not None and start >= self.history_from

    @property
    def history_month(self) -> str | None:
        """The oldest month held completely while syncing ('YYYY-MM'), None when there is none yet."""
        if not self.syncing or self.history_complete or self.history_from is None:
            return None
        d = self.history_from
        first = d if d.day == 1 else date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return month_key(first)


COMPLETE = Coverage()


def _cursor(conn: Connection, resource: str) -> tuple[str | None, str | None, str | None, str | None] | None:
    row = conn.execute(
        text(
            "SELECT pass_id, pass_page_token, last_complete_pass_at, last_full_rescan_at "
            "FROM sync_cursors WHERE resource = :r"
        ),
        {"r": resource},
    ).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


def _done(cur: tuple[str | None, str | None, str | None, str | None] | None) -> bool:
    return cur is not None and cur[2] is not None and cur[0] is None


def read_coverage(conn: Connection) -> Coverage:
    """The coverage of the cache as the sync's cursors describe it (a few primary-key reads)."""
    if _cursor(conn, "site") is None:
        return COMPLETE  # no sync wrote this cache: nothing to qualify
    rescan = _cursor(conn, "rescan")
    if rescan is not None and rescan[3] is not None:
        return COMPLETE  # a first sync finished: later syncs only add to complete periods
    posts = _cursor(conn, "posts:latest")
    history_from: date | None = None
    history_complete = False
    if posts is not None and posts[2] is not None:
        history_complete = True  # a whole tail has been walked once
    elif posts is not None and posts[0] is not None and posts[1]:
        # in a walk: every post with an id above the page token is cached
        row = conn.execute(
            text("SELECT created_at FROM posts WHERE id > :b ORDER BY id LIMIT 1"), {"b": int(posts[1])}
        ).first()
        if row is not None and row[0]:
            oldest = date.fromisoformat(str(row[0])[:10])
            history_from = oldest + timedelta(days=1)  # that day's earlier posts may still be missing
    return Coverage(
        syncing=True,
        history_from=history_from,
        history_complete=history_complete,
        members_complete=_done(_cursor(conn, "users")) and _done(_cursor(conn, "groups")),
        reports_complete=_done(_cursor(conn, "reports")),
    )
