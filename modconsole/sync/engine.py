"""The pull sync engine (Qt-free): fills the cache from a Discourse site, requests being the currency.

Stages of a run (each resumable from its cursor in ``sync_cursors``; SYNC.md §6.9):

First sync (nothing cached yet), in this order so the moderator can start early:

1. ``site`` — ``/session/current.json`` (who we are, staff or not; a bad key fails here before
   the cache is touched) and ``/site.json`` (categories, groups, user fields): 2 requests.
2. ``queue`` — the open questions: ``/latest.json?status=unsolved&order=created&ascending=true
   &per_page=100`` (unsolved topics in accepted-answer categories, oldest first: see
   ``_QUEUE_MODE``). The list items are written with provisional queue fields taken from the
   items themselves (posters, last poster, posts_count) until their posts arrive, so the
   unanswered queue is complete after ⌈unsolved/100⌉ + 2 requests — unless an old question
   left the list while it was paged; the topic that shift skipped is then read at ``reconcile``.
3. ``topics`` — every topic, ``order=created`` (oldest first; a bump mid-pass cannot hide a
   topic, one created mid-pass lands after the cursor), 100 per page; plus staff's
   ``status=deleted`` list.
4. ``posts`` — the ``/posts.json?before=`` tail, 50 posts per call, newest first (sparse pages of
   older servers are stepped over with ``before -= 50`` down to the watermark). After a listing
   (first sync, rescan, or one resumed from an earlier run) one ``activity`` page — and the tail
   again when it moved something — picks up topics created or bumped since the listing's first
   pages were read, so a run ends with nothing missing that existed before it finished.
5. ``reconcile`` — first the topics of orphan posts (posts whose topic the cache does not know:
   a list skipped it while it changed under the cursor; one ``/t/{id}.json`` each, posts marked
   gone when the topic cannot be opened — none is left). Then topics whose cached posts do not
   match their counts (``posts_count``, the accepted answer, a bump no post explains; an
   incremental tail's topics are checked too): ``/t/{id}.json`` (+ ``post_ids[]`` batches ≤ 100)
   picks up what ``/posts.json`` never shows: hidden posts, posts of unlisted/deleted topics, and
   with them the small actions and deleted posts (staff, ``show_deleted``) of that topic. A gap in
   post numbers alone — every counted post cached — holds only deleted posts or notes, and is not
   read again (``fetch_deleted_posts``/``fetch_close_actions`` do). A re-read topic's last post,
   when cached, is fetched again only if the topic's bump is later than anything cached explains
   (an edit of the last post). A topic whose gap cannot be filled (e.g. whispers a moderator may
   not see) is remembered by its signature and not re-read until it changes.
6. ``users`` — ``/admin/users/list/new.json`` 100 per page (staff), ``show_emails=true`` when the key
   may see e-mails (a walk of several pages, or one resumed, ends with the newest page again);
   ``company`` from the e-mail domain (free-mail and the vendor's own domains, i.e. the staff's,
   are ignored). Without e-mails no company is derived (the "Company" user field is
   not in the list and would cost one request per user) — the report says so.
7. ``badges`` — one ``/badges.json`` (``/admin/badges.json`` for admins); grants
   (``/user_badges.json?badge_id=``) only for badges awarded by hand whose ``grant_count`` changed.
   Automatic badges' holders (trust levels, first like, …: the forum grants them by rule) are read
   only when a moderator opens the badge (:meth:`SyncEngine.fetch_badge_holders`); the cursor
   ``badges:on_demand`` says whose cached holders are current.
8. ``groups`` — ``/groups/{name}.json`` and members for each group of ``/site.json``.
9. ``reports`` — admin report series (staff), ``options.report_days`` back.

Incremental runs: ``topics:activity`` (``/latest.json?order=activity`` until items are older than
the watermark minus ``overlap``), the unsolved list (stage ``unsolved``: an accepted or unaccepted answer
bumps nothing, so the topics that joined or left it are re-read), the solved list (stage ``solved``:
a topic whose listed answerer is not the cached solution's author had its answer replaced and is
re-read) — both lists only when the ``accepted_solutions`` report moved (stage ``solutions``) —,
the posts tail down to the last seen id (only when a topic moved), reconcile of the changed
topics, the newest users page, and one ``/badges.json`` when topics moved or the last one is
older than ``badges_interval_seconds``. With no change that is **3 requests** (activity, the
report, users). A periodic
metadata **rescan** (``rescan_interval``, or ``force_rescan``) re-lists every topic (category moves,
closes, solutions, deleted posts via ``posts_count``; topics not listed get ``gone_since``,
confirmed by ``/t/{id}.json``), re-reads users, groups and reports. Edits of an earlier post
change nothing a list shows; they are caught only by a **deep** rescan (``deep_rescan``: the whole
``/posts.json`` tail again) or when that topic is re-read for another reason.

Invariants: the engine is the only writer of mirror tables during a run; each page and the cursor
advance it justifies commit in one transaction; no network I/O inside a transaction; every write
is an upsert keyed by server id; a page that cannot be understood is not applied (the pass pauses
with an error naming the route).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, RowMapping, text

from modconsole import clock, settings
from modconsole.api.client import ApiClient, Params
from modconsole.api.parse import (
    Report,
    bad_payload,
    parse_badges,
    parse_group,
    parse_group_members,
    parse_latest_posts,
    parse_report,
    parse_site,
    parse_topic_list,
    parse_topic_posts,
    parse_topic_view,
    parse_user_badges,
    parse_user_list,
)
from modconsole.api.reports import CHART_REPORTS
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.changes import KINDS, Changes
from modconsole.emails import FREE_MAIL_DOMAINS, company_domain
from modconsole.errors import (
    ApiError,
    Cancelled,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    Rejected,
    ServerUnavailable,
    UnexpectedPayload,
)
from modconsole.sync.plan import DayBudgetSpent, SyncPlan
from modconsole.sync.plan import wrap as plan_progress
from modconsole.tasks import CancelToken, Progress, ProgressCallback, ignore_progress

log = logging.getLogger("modconsole.sync")

SYNC_SCHEMA_VERSION = 1
"""Bump when the mirror's meaning changes: every cursor is then forgotten and data re-pulled."""

_TOPIC_KEYS = (
    "id",
    "title",
    "fancy_title",
    "slug",
    "category_id",
    "archetype",
    "created_at",
    "bumped_at",
    "last_posted_at",
    "posts_count",
    "reply_count",
    "highest_post_number",
    "views",
    "like_count",
    "closed",
    "archived",
    "visible",
    "pinned",
    "tags",
)
_POST_KEYS = (
    "id",
    "topic_id",
    "post_number",
    "user_id",
    "username",
    "created_at",
    "updated_at",
    "version",
    "post_type",
    "action_code",
    "reply_to_post_number",
    "cooked",
    "reads",
    "hidden",
    "deleted_at",
    "accepted_answer",
    "actions_summary",
)
_USER_KEYS = (
    "id",
    "username",
    "name",
    "trust_level",
    "admin",
    "moderator",
    "title",
    "created_at",
    "last_seen_at",
    "last_posted_at",
    "suspended_till",
    "silenced",
    "staged",
    "active",
)
_BADGE_KEYS = (
    "id",
    "name",
    "description",
    "badge_type_id",
    "badge_grouping_id",
    "grant_count",
    "multiple_grant",
    "allow_title",
    "enabled",
    "listable",
    "manually_grantable",
    "system",
    "icon",
    "image_url",
)
_GROUP_KEYS = (
    "id",
    "name",
    "full_name",
    "title",
    "user_count",
    "automatic",
    "grant_trust_level",
    "visibility_level",
    "primary_group",
    "public_admission",
    "public_exit",
    "can_admin_group",
)

# Topic lists are paged by page number (Discourse offers no finer key: ``created-before`` takes whole
# days), oldest first: a topic created while a list is paged is appended after the cursor (newest
# first would put it on page 0, already read), and an answer accepted on a recent question — the
# common change — removes a topic from the part not yet read, which shifts only unread topics.
# Only a topic leaving the part already read (an old question answered or deleted meanwhile) can
# shift one unread topic across a page boundary; the ``/posts.json`` tail, keyed by post id, then
# brings its posts, and the orphan pass reads the topic (``_resolve_orphans``).
_QUEUE_MODE = "unsolved-asc"
_PARTS = "parts-asc"
_FULL = "full-asc"

STAGES = (
    "site",
    "queue",
    "bulk",
    "topics",
    "activity",
    "posts",
    "reconcile",
    "users",
    "badges",
    "groups",
    "reports",
)


# ---------------------------------------------------------------- options and report


@dataclass(frozen=True)
class SyncOptions:
    """How a run behaves. Defaults suit a real site; tests shorten the retry waits."""

    per_page: int = 100
    """Topic list page size asked for (servers that ignore it send 30; both work)."""
    overlap_seconds: float = 600.0
    """The activity pass re-reads this much before the watermark (clock and ordering slack)."""
    rescan_interval_seconds: float = 24 * 3600.0
    """A metadata rescan runs when the last one is older than this (server time)."""
    force_rescan: bool = False
    deep_rescan: bool = False
    """Also re-read every post through the ``/posts.json`` tail (catches edits of earlier posts)."""
    reports: tuple[str, ...] = CHART_REPORTS
    report_days: int = 365
    members_page: int = 1000
    """``/groups/{name}/members.json`` page size (Discourse accepts up to 1000; 50 on refusal)."""
    page_retries: int = 2
    """Extra attempts for a page after the client's own retries gave up on a transient error."""
    retry_wait: float = 1.0
    vendor_domains: frozenset[str] | None = None
    """E-mail domains of the vendor running the community; ``None``: the staff's domains."""
    free_mail_domains: frozenset[str] = FREE_MAIL_DOMAINS
    fetch_close_actions: bool = False
    """Re-read closed topics whose only missing post is the trailing "closed" small action (one
    request per such topic: on the ``small`` demo it doubles a first sync's requests per 1,000
    posts, 40 instead of 22). Off by default: the topic's ``closed`` flag is synced either way and
    the note only says who closed it; at a user key's 20 requests/minute the notes would cost a
    moderator ~18 extra minutes of first sync. ``True`` mirrors them too (the full-mirror tests)."""
    fetch_deleted_posts: bool = False
    """Re-read topics whose only difference from the cache is a gap in post numbers (every counted
    post cached, counts, solution and bump explained): the gap holds deleted posts a staff key may
    read with ``show_deleted``, or small-action notes. On ``large`` that is 2,727 topic reads of a
    first sync for posts nothing shows; off by default. ``True`` mirrors them (the full-mirror
    tests); a topic re-read for any other reason brings them anyway."""
    badges_interval_seconds: float = 600.0
    """An incremental run in which no topic moved reads the badge list only when the last one is
    older than this (server time); a rescan, and any run that moved topics, reads it always."""
    stop_after_queue: bool = False
    """Stop once the open-questions queue is complete (the GUI's "get me started" run)."""
    bulk: bool = True
    """First sync and rescans read topics and posts through the Data Explorer's shared mirror
    queries when this key may run them (``modconsole.sync.bulk``); ``False``: REST only."""
    bulk_groups: tuple[str, ...] = ("moderators", "staff")
    """Groups whose shared reports a user key looks in for the mirror queries."""
    bulk_run_interval: float = 5.0
    """Seconds between two Data Explorer runs (the site-wide limit is 2 runs per 10 s)."""


@dataclass(frozen=True)
class SyncReport:
    """What one :meth:`SyncEngine.run_once` did."""

    changes: Changes
    counts: Mapping[str, int]
    """Changed rows per kind (topics, posts, users, badges, user_badges, groups, group_members, …)."""
    requests: Mapping[str, int]
    """Requests sent per stage (retries included: they cost budget too)."""
    requests_total: int
    requests_until_queue: int | None
    """On the run that completed the open-questions queue: requests sent until then."""
    duration: float
    queue_complete: bool
    finished: bool
    first_sync: bool
    rescanned: bool
    notes: tuple[str, ...] = ()
    bytes_received: Mapping[str, int] = field(default_factory=dict)
    """Response bytes per stage, as they came over the wire (compressed if the server compressed)."""
    resumes_at: datetime | None = None
    """Set when the run stopped because the key's day budget is spent (``modconsole.sync.plan``)."""


@dataclass
class _Run:
    token: CancelToken
    progress: ProgressCallback
    base_requests: int
    stage: str = "site"
    stage_requests: dict[str, int] = field(default_factory=dict)
    stage_bytes: dict[str, int] = field(default_factory=dict)
    ids: dict[str, set[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    requests_until_queue: int | None = None
    queue_complete: bool = False
    rescanned: bool = False
    topics_moved: bool = False
    kinds: set[str] = field(default_factory=set)
    answer_replaced: set[int] = field(default_factory=set)
    solutions_signal: str | None = None  # the accepted_solutions fingerprint read this run
    solutions_moved: bool = True  # answers may have been accepted elsewhere: walk the lists
    bulk_grants: bool = False  # the bulk stage mirrored every grant this run (modconsole.sync.bulk)
    bulk_source: Any = None  # where this run's mirror queries run (bulk.Source), once found


class _Cancel:
    """Adapts :class:`CancelToken` to the client's ``CancelLike`` (``is_set``/``wait``)."""

    def __init__(self, token: CancelToken) -> None:
        self._token = token

    def is_set(self) -> bool:
        return self._token.cancelled

    def wait(self, seconds: float) -> bool:
        return self._token.wait(seconds)


# ---------------------------------------------------------------- helpers


def _iso(dt: datetime) -> str:
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def _parse_iso(value: str) -> datetime | None:
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _pick(item: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {k: item[k] for k in keys if k in item}


def _topic_row(item: Mapping[str, Any]) -> dict[str, Any]:
    row = _pick(item, _TOPIC_KEYS)
    if "has_accepted_answer" in item:
        row["has_accepted_answer"] = bool(item["has_accepted_answer"])
    posters = item.get("posters")
    if isinstance(posters, list):
        for p in posters:
            if isinstance(p, Mapping) and "Original Poster" in str(p.get("description") or ""):
                if isinstance(p.get("user_id"), int):
                    row["user_id"] = p["user_id"]
                break
    for flag in ("closed", "archived", "visible", "pinned"):
        if flag in row:
            row[flag] = bool(row[flag]) if row[flag] is not None else flag == "visible"
    for num in ("posts_count", "reply_count", "highest_post_number", "views", "like_count"):
        if num in row and row[num] is None:
            row[num] = 0
    return row


def _post_row(item: Mapping[str, Any], route: str, topic_id: int | None = None) -> dict[str, Any]:
    row = _pick(item, _POST_KEYS)
    if topic_id is not None and row.get("topic_id") is None:
        row["topic_id"] = topic_id
    if not isinstance(row.get("topic_id"), int) or not isinstance(row.get("post_number"), int):
        raise bad_payload(route, f"post {item.get('id')!r} without topic_id/post_number")
    for flag in ("hidden", "accepted_answer"):
        if flag in row:
            row[flag] = bool(row[flag])
    if row.get("post_type") is None:
        row["post_type"] = 1
    return row


def _bool_row(row: dict[str, Any], *flags: str) -> dict[str, Any]:
    for f in flags:
        if f in row and row[f] is not None:
            row[f] = bool(row[f])
    return row


class SyncEngine:
    """Pull sync of one site into one cache. Not thread-safe: one run at a time."""

    def __init__(self, client: ApiClient, cache: Cache, *, options: SyncOptions | None = None) -> None:
        self._client = client
        self._cache = cache
        self._opts = options or SyncOptions()
        self._run: _Run | None = None
        self._cancel: _Cancel | None = None
        self._plan: SyncPlan | None = None  # the day plan of the current run_once (sync/plan.py)

    @property
    def options(self) -> SyncOptions:
        return self._opts

    # ============================================================ the run

    def run_once(self, token: CancelToken, progress: ProgressCallback = ignore_progress) -> SyncReport:
        """One sync pass (first, resumed or incremental). Raises ``Cancelled`` (committed work is
        kept) or an ``ApiError`` (the pass pauses at its cursor; the next run resumes there)."""
        started = time.monotonic()
        plan = SyncPlan(
            self._client,
            self._cache,
            reports=len(self._opts.reports),
            bulk=self._opts.bulk,
        )
        run = _Run(token, plan_progress(plan, progress), self._client.stats().requests_sent)
        self._run = run
        self._cancel = _Cancel(token)
        self._plan = plan
        try:
            try:
                report = self._run_stages(run, started)
            except DayBudgetSpent as stop:  # committed pages and cursors stay: the next run resumes
                progress(plan.stopped(run.stage, self._requests()))
                run.notes.append(str(stop))
                c = self._cursors()
                first_sync = c.get("rescan") is None or c["rescan"].last_full_rescan_at is None
                report = replace(
                    self._report(run, started, finished=False, first_sync=first_sync),
                    resumes_at=stop.resumes_at,
                )
            self._remember(report)
            return report
        finally:
            plan.observe()
            plan.save()
            self._plan = None
            self._run = None

    def refresh(
        self,
        token: CancelToken,
        *,
        topic_ids: Iterable[int] = (),
        user_ids: Iterable[int] = (),
        group_ids: Iterable[int] = (),
        badge_ids: Iterable[int] = (),
        progress: ProgressCallback = ignore_progress,
    ) -> SyncReport:
        """Re-read these topics, members, groups and badges' grants now.

        For changes no list shows (CONTRACT §3.6): an accepted answer, a close, a trust level or
        a group membership do not bump anything, so an incremental pass would leave them to the
        next rescan. The push policy (``modconsole.outbox.policy``) calls this for the targets of
        its delivered actions, so the cache (server truth) catches up at once: one request per
        topic or member, one or two per group, and for badges one badge list plus the grants of
        those whose count moved (what the next incremental would read anyway)."""
        started = time.monotonic()
        run = _Run(token, progress, self._client.stats().requests_sent)
        run.stage = "refresh"
        self._run = run
        self._cancel = _Cancel(token)
        try:
            for tid in sorted({int(t) for t in topic_ids}):
                token.raise_if_cancelled()
                self._reconcile_topic(tid)
            users = sorted({int(u) for u in user_ids})
            if users:
                with self._cache.read() as conn:
                    emails = bool(self._cursor(conn, "users").hw_id)
                for uid in users:
                    token.raise_if_cancelled()
                    self._refresh_user(uid, emails)
            wanted = {int(g) for g in group_ids}
            if wanted:
                with self._cache.read() as conn:
                    groups = [
                        (int(r[0]), str(r[1]))
                        for r in conn.execute(text("SELECT id, name FROM groups ORDER BY id"))
                        if int(r[0]) in wanted
                    ]
                for gid, name in groups:
                    token.raise_if_cancelled()
                    self._sync_group(gid, name)
            badges = {int(b) for b in badge_ids}
            if badges:
                token.raise_if_cancelled()
                self._sync_badges(only=badges)
            return self._report(run, started, finished=True, first_sync=False)
        finally:
            self._run = None

    def _refresh_user(self, user_id: int, emails: bool) -> None:
        path = f"/admin/users/{int(user_id)}.json"

        def validate(data: Any, route: str) -> None:
            if not isinstance(data, Mapping) or not isinstance(data.get("id"), int):
                raise bad_payload(route, "expected a user object with an id")

        try:
            data = self._get(path, None, validate)
        except NotFound:
            with self._cache.write() as conn:
                n = conn.execute(
                    text("UPDATE users SET gone_since = :now WHERE id = :id AND gone_since IS NULL"),
                    {"now": self._now(), "id": user_id},
                ).rowcount
                if n:
                    self._changed("users", [user_id])
            return
        with self._cache.write() as conn:
            vendor_json = self._cursor(conn, "users").hw_value
            vendor = frozenset(json.loads(vendor_json)) if vendor_json else frozenset()
            rows = self._user_rows(conn, [data], emails and "email" in data, vendor)
            self._changed("users", repo.upsert_users(conn, rows))

    def _remember(self, report: SyncReport) -> None:
        """Keep a summary of the run in the local ``settings`` table (for ``modconsole status``)."""
        value = {
            "at": self._now(),
            "finished": report.finished,
            "first_sync": report.first_sync,
            "rescanned": report.rescanned,
            "requests_total": report.requests_total,
            "requests": dict(report.requests),
            "duration_s": round(report.duration, 3),
            "resumes_at": report.resumes_at.isoformat() if report.resumes_at else None,
        }
        settings.store(self._cache, settings.LAST_SYNC_RUN, value)

    def _run_stages(self, run: _Run, started: float) -> SyncReport:
        c = self._cursors()
        # The first sync lasts until one whole run has completed (it may take several runs).
        first_sync = c.get("rescan") is None or c["rescan"].last_full_rescan_at is None
        rescan_due = (not first_sync) and (self._opts.force_rescan or self._rescan_due(c))
        run.rescanned = rescan_due
        listing_needed = (
            not self._done(c, "topics:listing") or self._in_pass(c, "topics:listing") or rescan_due
        )

        self._stage("site", lambda: self._sync_site(refresh=rescan_due or not self._done(c, "site")))
        # Mirror queries shared with this key list every topic (the open questions too) in a few
        # runs: no REST queue walk first (⌈unsolved/100⌉ requests) — see modconsole.sync.bulk.
        bulk_source = self._find_bulk() if listing_needed and self._opts.bulk else None
        if not self._done(c, "topics:queue") and bulk_source is None:
            self._stage("queue", self._sync_queue)
            if run.queue_complete:
                run.requests_until_queue = self._requests()
            if self._opts.stop_after_queue:
                return self._report(run, started, finished=False, first_sync=first_sync)
        elif bulk_source is None:
            run.queue_complete = True

        if listing_needed:
            relisting = self._done(c, "topics:listing")
            # A listing started in this run reads every topic after the accepted_solutions report
            # was read: once it ends, the cache shows what that report counts (a resumed one may
            # have missed accepts made while it waited, so the next sync walks the lists).
            fresh = not self._in_pass(c, "topics:listing")
            # The report's window starts at the oldest cached topic: on an empty cache the bulk
            # stage reads it once its topics are in, before their posts (modconsole.sync.bulk).
            later = fresh and bulk_source is not None and self._no_topics()
            if fresh and not later:
                self._stage("solutions", self._check_solutions)
            after_topics = self._check_solutions if later else None
            if bulk_source is not None and self._sync_bulk(bulk_source, after_topics):
                if not run.queue_complete:
                    self._queue_from_bulk()
                    if self._opts.stop_after_queue:
                        return self._report(run, started, finished=False, first_sync=first_sync)
            else:
                if later and run.solutions_signal is None:
                    self._stage("solutions", self._check_solutions)
                if not self._done(c, "topics:queue") and not run.queue_complete:
                    self._queue_stage()  # the bulk stage fell back to REST
                    if self._opts.stop_after_queue:
                        return self._report(run, started, finished=False, first_sync=first_sync)
                self._stage("topics", lambda: self._sync_listing(rescan=relisting))
        else:
            self._stage("activity", self._sync_activity)
            self._stage("solutions", self._check_solutions)
            if run.solutions_moved:
                self._stage("unsolved", self._sync_unsolved)
                self._stage("solved", self._sync_solved)
                self._remember_solutions_signal()

        posts_cursor = self._cursors().get("posts:latest")
        if posts_cursor is None or posts_cursor.last_complete_pass_at is None:
            self._stage("posts", lambda: self._sync_posts(full=True))
        elif posts_cursor.pass_id is not None or run.topics_moved:
            self._stage("posts", lambda: self._sync_posts(full=False))
        if self._opts.deep_rescan and not first_sync:
            self._stage("posts", lambda: self._sync_posts(full=True, restart=True))
        if listing_needed:
            # The listing read its first pages before topics created (or bumped) later — while it
            # ran, or while an interrupted sync waited to resume — existed: one activity page
            # (usually) catches them, and the tail their posts, so the run ends with nothing
            # missing that existed before it finished.
            run.topics_moved = False  # the tail above already served what the listing moved
            self._stage("activity", self._sync_activity)
            if run.topics_moved:
                self._stage("posts", lambda: self._sync_posts(full=False))
            if fresh:
                self._remember_solutions_signal()

        self._stage("reconcile", lambda: self._sync_reconcile(scan_all=rescan_due))
        staff = self._capability("staff")
        if staff:
            self._stage("users", lambda: self._sync_users(full=rescan_due))
        if first_sync or rescan_due or self._badges_due(c):
            self._stage("badges", self._sync_badges)
        self._stage("groups", lambda: self._sync_groups(force=rescan_due))
        if staff and self._opts.reports:
            self._stage("reports", lambda: self._sync_reports(force=rescan_due))
        if rescan_due or first_sync:
            self._mark_rescanned()
        return self._report(run, started, finished=True, first_sync=first_sync)

    def _find_bulk(self) -> Any:
        """The mirror queries this key may run (``bulk.Source``), or ``None`` with a note."""
        from modconsole.sync import bulk

        run = self._run
        assert run is not None
        before = self._requests()  # finding the queries is no stage of its own (no progress shown)
        source = bulk.find(self, self._client, admin=self._capability("admin"))
        run.stage_requests["bulk"] = run.stage_requests.get("bulk", 0) + self._requests() - before
        return source

    def _queue_stage(self) -> None:
        run = self._run
        assert run is not None
        self._stage("queue", self._sync_queue)
        if run.queue_complete:
            run.requests_until_queue = self._requests()

    def _queue_from_bulk(self) -> None:
        """The bulk stage listed every topic with its posts: the open-questions queue is complete."""
        run = self._run
        assert run is not None
        with self._cache.write() as conn:
            cur = self._cursor(conn, "topics:queue")
            repo.put_cursor(conn, replace(cur, pass_id=None, last_complete_pass_at=self._now()))
        run.queue_complete = True
        run.requests_until_queue = self._requests()

    def _no_topics(self) -> bool:
        with self._cache.read() as conn:
            return conn.execute(text("SELECT 1 FROM topics LIMIT 1")).first() is None

    def _sync_bulk(self, source: Any, after_topics: Callable[[], None] | None = None) -> bool:
        """Topics and posts through the Data Explorer (``modconsole.sync.bulk``); ``False``: use REST."""
        from modconsole.sync import bulk

        done: list[bool] = []
        self._stage("bulk", lambda: done.append(bulk.run_stage(self, self._client, source, after_topics)))
        return bool(done and done[0])

    def _report(self, run: _Run, started: float, *, finished: bool, first_sync: bool) -> SyncReport:
        kw: dict[str, Any] = {}
        for kind, ids in run.ids.items():
            field_name = {
                "topics": "topic_ids",
                "posts": "post_ids",
                "users": "user_ids",
                "badges": "badge_ids",
                "user_badges": "user_badge_ids",
                "groups": "group_ids",
                "categories": "category_ids",
            }.get(kind)
            if field_name and ids:
                kw[field_name] = frozenset(ids)
        for kind in run.kinds:
            if kind in KINDS:
                kw[kind] = True
        return SyncReport(
            changes=Changes(**kw),
            counts=dict(run.counts),
            requests=dict(run.stage_requests),
            requests_total=self._requests(),
            requests_until_queue=run.requests_until_queue,
            duration=time.monotonic() - started,
            queue_complete=run.queue_complete,
            finished=finished,
            first_sync=first_sync,
            rescanned=run.rescanned,
            notes=tuple(run.notes),
            bytes_received=dict(run.stage_bytes),
        )

    # ============================================================ plumbing

    def _requests(self) -> int:
        assert self._run is not None
        return self._client.stats().requests_sent - self._run.base_requests

    def _stage(self, name: str, fn: Callable[[], None]) -> None:
        run = self._run
        assert run is not None
        run.token.raise_if_cancelled()
        before = self._requests()
        bytes_before = self._client.stats().bytes_received
        run.stage = name
        self._emit(0, None)
        try:
            fn()
        except ApiError as err:
            self._note_failure(name, err)
            raise
        finally:
            run.stage_requests[name] = run.stage_requests.get(name, 0) + self._requests() - before
            got = self._client.stats().bytes_received - bytes_before
            run.stage_bytes[name] = run.stage_bytes.get(name, 0) + got
        with self._cache.write() as conn:
            conn.execute(text("DELETE FROM sync_cursors WHERE resource = :r"), {"r": f"stage:{name}"})

    def _note_failure(self, stage: str, err: ApiError) -> None:
        """Record the error on the stage's cursor (its own transaction; the page was not applied)."""
        try:
            with self._cache.write() as conn:
                res = f"stage:{stage}"
                cur = repo.get_cursor(conn, res) or repo.CursorState(res, SYNC_SCHEMA_VERSION)
                repo.put_cursor(
                    conn,
                    replace(
                        cur,
                        consecutive_failures=cur.consecutive_failures + 1,
                        last_error=f"{type(err).__name__}: {err.user_message} [{err.route or '?'}]"[:500],
                    ),
                )
        except Exception:  # never mask the real error
            log.exception("could not record the sync failure")

    def _emit(self, done: int, total: int | None, message: str = "") -> None:
        run = self._run
        assert run is not None
        run.progress(Progress(run.stage, done, total, self._requests(), message))

    def _get(self, path: str, params: Params | None, validate: Callable[[Any, str], Any]) -> Any:
        """GET and validate one page; transient failures are retried a little more than the client
        does. The decoded JSON is returned only when ``validate`` accepted it."""
        cancel = self._cancel
        assert cancel is not None
        route = f"GET {path}"

        def once() -> Any:
            data = self._client.get_json(path, params, cancel=cancel)
            validate(data, route)
            return data

        return self._retrying(once)

    def _retrying(self, once: Callable[[], Any]) -> Any:
        run = self._run
        assert run is not None
        attempt = 0
        while True:
            run.token.raise_if_cancelled()
            if self._plan is not None:
                self._plan.before_request()  # may stop the run for the day (sync/plan.py)
            try:
                return once()
            except (ServerUnavailable, NetworkError, RateLimited, UnexpectedPayload) as err:
                # The client already retried transport errors, 5xx and 429s; what it hands back
                # here is given up. A garbled 2xx body (truncated JSON) it does not retry: we do,
                # a little. A web page instead of JSON is not transient.
                garbled = (
                    isinstance(err, UnexpectedPayload)
                    and err.retryable
                    and "web page" not in err.user_message
                )
                if not garbled or attempt >= self._opts.page_retries:
                    raise
                attempt += 1
                wait = self._opts.retry_wait * attempt
                if run.token.wait(float(wait)):
                    raise Cancelled("The sync was cancelled.") from None

    def _now(self) -> str:
        offset = self._client.clock_offset or 0.0
        return _iso(clock.now() + timedelta(seconds=offset))

    def _cursors(self) -> dict[str, repo.CursorState]:
        with self._cache.read() as conn:
            rows = conn.execute(
                text("SELECT resource FROM sync_cursors WHERE resource NOT LIKE 'stream:%'")
            ).all()
            out: dict[str, repo.CursorState] = {}
            for (res,) in rows:
                cur = repo.get_cursor(conn, str(res), schema_version=SYNC_SCHEMA_VERSION)
                if cur is not None:
                    out[str(res)] = cur
        return out

    def _cursor(self, conn: Connection, resource: str) -> repo.CursorState:
        return repo.get_cursor(conn, resource, schema_version=SYNC_SCHEMA_VERSION) or repo.CursorState(
            resource, SYNC_SCHEMA_VERSION
        )

    @staticmethod
    def _done(c: Mapping[str, repo.CursorState], resource: str) -> bool:
        cur = c.get(resource)
        return cur is not None and cur.last_complete_pass_at is not None and cur.pass_id is None

    @staticmethod
    def _in_pass(c: Mapping[str, repo.CursorState], resource: str) -> bool:
        cur = c.get(resource)
        return cur is not None and cur.pass_id is not None

    def _rescan_due(self, c: Mapping[str, repo.CursorState]) -> bool:
        cur = c.get("rescan")
        if cur is None or cur.last_full_rescan_at is None:
            return True
        last = _parse_iso(cur.last_full_rescan_at)
        now = _parse_iso(self._now())
        if last is None or now is None:
            return True
        return (now - last).total_seconds() >= self._opts.rescan_interval_seconds

    def _mark_rescanned(self) -> None:
        with self._cache.write() as conn:
            cur = self._cursor(conn, "rescan")
            now = self._now()
            repo.put_cursor(conn, replace(cur, last_full_rescan_at=now, last_complete_pass_at=now))

    def _capability(self, name: str) -> bool:
        with self._cache.read() as conn:
            cur = repo.get_cursor(conn, "capabilities")
        if cur is None or not cur.hw_value:
            return False
        caps = json.loads(cur.hw_value)
        return bool(caps.get(name))

    def _set_capability(self, conn: Connection, **values: bool) -> None:
        cur = self._cursor(conn, "capabilities")
        caps = json.loads(cur.hw_value) if cur.hw_value else {}
        caps.update(values)
        repo.put_cursor(conn, replace(cur, hw_value=json.dumps(caps, sort_keys=True)))

    def _pass_done(self, cur: repo.CursorState, **more: Any) -> repo.CursorState:
        """``cur`` with its pass finished: no pass in progress, completed now (plus ``more``)."""
        return replace(cur, pass_id=None, pass_page_token=None, last_complete_pass_at=self._now(), **more)

    def _changed(self, kind: str, ids: Iterable[int]) -> None:
        run = self._run
        assert run is not None
        got = set(ids)
        if not got:
            return
        run.ids.setdefault(kind, set()).update(got)
        run.counts[kind] = len(run.ids[kind])
        run.kinds.add(kind)

    def _flag(self, kind: str, n: int = 1) -> None:
        run = self._run
        assert run is not None
        if n:
            run.kinds.add(kind)
            run.counts[kind] = run.counts.get(kind, 0) + n

    # ============================================================ stage: site

    def _sync_site(self, *, refresh: bool) -> None:
        if not refresh:
            return
        me: dict[str, Any] = self._retrying(lambda: self._client.verify(cancel=self._cancel))
        staff = bool(me.get("admin") or me.get("moderator") or me.get("staff"))
        admin = bool(me.get("admin"))
        data = self._get("/site.json", None, parse_site)
        cats = [
            _bool_row(
                {
                    **_pick(
                        c,
                        (
                            "id",
                            "name",
                            "slug",
                            "parent_category_id",
                            "position",
                            "color",
                            "topic_count",
                            "read_restricted",
                        ),
                    ),
                    "description_text": c.get("description_text", c.get("description")),
                    "accepts_answers": self._accepts(c),
                },
                "read_restricted",
            )
            for c in data.get("categories", [])
            if isinstance(c, Mapping)
        ]
        groups = [
            _bool_row(_pick(g, ("id", "name", "full_name", "automatic")), "automatic")
            for g in data.get("groups", [])
            if isinstance(g, Mapping)
        ]
        with self._cache.write() as conn:
            self._changed("categories", repo.upsert_categories(conn, cats))
            self._changed("groups", repo.upsert_groups(conn, groups))
            self._set_capability(conn, staff=staff, admin=admin)
            cur = self._cursor(conn, "site")
            repo.put_cursor(conn, replace(cur, last_complete_pass_at=self._now()))
            site = conn.execute(text("SELECT id FROM site WHERE id = 1")).first()
            if site is None:
                creds = self._client.credentials
                conn.execute(
                    text(
                        "INSERT INTO site (id, url, username, key_kind, user_id, created_at) "
                        "VALUES (1, :url, :u, :k, :uid, :now)"
                    ),
                    {
                        "url": self._client.base_url,
                        "u": str(me.get("username")),
                        "k": "admin" if creds is not None and creds.kind == "admin" else "user_api",
                        "uid": me.get("id") if isinstance(me.get("id"), int) else None,
                        "now": self._now(),
                    },
                )
            offset = self._client.clock_offset
            if offset is not None:
                conn.execute(
                    text(
                        "INSERT INTO server_clock (id, offset_seconds, measured_at) VALUES (1, :o, :m) "
                        "ON CONFLICT (id) DO UPDATE SET offset_seconds = :o, measured_at = :m"
                    ),
                    {"o": offset, "m": self._now()},
                )

    @staticmethod
    def _accepts(c: Mapping[str, Any]) -> bool:
        v = c.get("enable_accepted_answers")
        if v is None:
            cf = c.get("custom_fields")
            if isinstance(cf, Mapping):
                v = cf.get("enable_accepted_answers")
        return str(v).lower() == "true" if v is not None else False

    # ============================================================ topic lists

    def _list_page(
        self, params: dict[str, Any], *, path: str = "/latest.json"
    ) -> tuple[list[dict[str, Any]], dict[int, str], bool]:
        """One topic list page: (items, side-loaded usernames by id, has more)."""
        data = self._get(path, params, parse_topic_list)
        tl = data["topic_list"]
        items = [t for t in tl.get("topics", []) if isinstance(t, dict)]
        users = {
            int(u["id"]): str(u["username"])
            for u in data.get("users", []) or []
            if isinstance(u, Mapping) and isinstance(u.get("id"), int) and u.get("username")
        }
        return items, users, bool(tl.get("more_topics_url"))

    def _apply_topics(
        self,
        conn: Connection,
        items: Sequence[Mapping[str, Any]],
        users: Mapping[int, str],
        *,
        pass_id: str | None = None,
    ) -> set[int]:
        """Upsert list items; provisional queue fields for topics without cached posts; returns the
        ids whose change-detection keys moved (new, bumped, counts, solution, closed)."""
        rows = [_topic_row(t) for t in items]
        ids = [int(r["id"]) for r in rows]
        before = {
            int(r[0]): tuple(r[1:])
            for r in conn.execute(
                text(
                    "SELECT id, bumped_at, posts_count, highest_post_number, has_accepted_answer, closed, "
                    "category_id, gone_since FROM topics WHERE id IN (SELECT value FROM json_each(:ids))"
                ),
                {"ids": json.dumps(ids)},
            )
        }
        changed = repo.upsert_topics(conn, rows)
        moved: set[int] = set()
        for r in rows:
            tid = int(r["id"])
            old = before.get(tid)
            new = (
                r.get("bumped_at"),
                r.get("posts_count"),
                r.get("highest_post_number"),
                r.get("has_accepted_answer"),
                r.get("closed"),
                r.get("category_id"),
                None,
            )
            if old is None or any(
                n is not None and (bool(o) if isinstance(n, bool) else o) != n
                for o, n in zip(old, new, strict=True)
            ):
                moved.add(tid)
            if old is not None and old[6] is not None:
                moved.add(tid)
        if pass_id is not None:
            repo.mark_seen(conn, "topics", ids, pass_id)
        # The flag decides which flagged posts are solutions: a list that flips it after the posts
        # were cached (a first sync killed and resumed) must re-derive them, or none is recorded.
        self._sync_solutions(conn, [int(r["id"]) for r in rows if "has_accepted_answer" in r])
        self._note_replaced_answers(conn, items)
        self._provisional_queue(conn, items, users)
        self._changed("topics", changed)
        repo.refresh_fts(conn, topic_ids=changed)
        with_posts = [
            int(r[0])
            for r in conn.execute(
                text(
                    "SELECT DISTINCT topic_id FROM posts "
                    "WHERE topic_id IN (SELECT value FROM json_each(:ids))"
                ),
                {"ids": json.dumps(sorted(changed))},
            )
        ]
        repo.refresh_derived(conn, with_posts)
        return moved

    def _note_replaced_answers(self, conn: Connection, items: Sequence[Mapping[str, Any]]) -> None:
        """discourse-solved lists the accepted answer's author among a topic's ``posters`` (description
        "Accepted Answer"). Replacing the answer bumps nothing, but an author other than the cached
        solution's says it was replaced: the reconcile stage re-reads such topics. Free (lists already
        read); blind to a replacement by the same author and to a translated description."""
        authors: dict[int, int] = {}
        for t in items:
            for p in (t.get("posters") or ()) if t.get("has_accepted_answer") else ():
                if (
                    isinstance(p, Mapping)
                    and isinstance(p.get("user_id"), int)
                    and "Accepted Answer" in str(p.get("description") or "")
                ):
                    authors[int(t["id"])] = int(p["user_id"])
        if not authors or self._run is None:
            return
        cached: dict[int, set[int]] = {}
        for tid, uid in conn.execute(
            text(
                "SELECT topic_id, user_id FROM solutions WHERE user_id IS NOT NULL "
                "AND topic_id IN (SELECT value FROM json_each(:ids))"
            ),
            {"ids": json.dumps(sorted(authors))},
        ):
            cached.setdefault(int(tid), set()).add(int(uid))
        self._run.answer_replaced.update(t for t, u in cached.items() if authors[t] not in u)

    @staticmethod
    def _provisional_queue(
        conn: Connection, items: Sequence[Mapping[str, Any]], users: Mapping[int, str]
    ) -> None:
        """Queue fields from what a list item says, for topics whose posts are not cached yet.

        ``others_replies`` is 1 when a poster other than the asker is listed (a lower bound),
        ``first_response_at`` is then the topic's ``last_posted_at`` (an upper bound), and
        ``last_reply_by_asker`` compares the last poster with the asker. ``refresh_derived``
        replaces all of them as soon as the topic's posts are cached.
        """
        params = []
        for t in items:
            posters = [p for p in t.get("posters") or [] if isinstance(p, Mapping)]
            asker = next(
                (p.get("user_id") for p in posters if "Original Poster" in str(p.get("description") or "")),
                None,
            )
            others = [p.get("user_id") for p in posters if p.get("user_id") not in (None, asker)]
            replies = max(0, int(t.get("posts_count") or 1) - 1)
            asker_name = users.get(asker) if isinstance(asker, int) else None
            last_name = t.get("last_poster_username")
            has_reply = replies > 0
            params.append(
                {
                    "id": t["id"],
                    "fr": t.get("last_posted_at") if others else None,
                    "fid": others[0] if others else None,
                    "ar": max(0, replies - (1 if others else 0)),
                    "orep": 1 if others else 0,
                    "lra": t.get("last_posted_at") if has_reply else None,
                    "lrba": (
                        (asker_name is not None and last_name == asker_name) or not others
                        if has_reply
                        else None
                    ),
                }
            )
        if params:
            conn.execute(
                text(
                    "UPDATE topics SET first_response_at = :fr, first_responder_id = :fid, "
                    "asker_replies = :ar, "
                    "others_replies = :orep, last_reply_at = :lra, last_reply_by_asker = :lrba "
                    "WHERE id = :id AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.topic_id = topics.id)"
                ),
                params,
            )

    def _walk_list(
        self,
        resource: str,
        parts: Sequence[tuple[str, dict[str, Any]]],
        *,
        total: int | None = None,
        track_seen: bool = False,
        on_page: Callable[[Connection, set[int], list[dict[str, Any]]], None] | None = None,
        mode: str | None = None,
        finish: bool = True,
    ) -> tuple[str, set[int], bool]:
        """Page one or more topic lists (``parts``: path and params) to their ends, committing each
        page with its cursor (token ``part:page``). Returns (pass id, moved topic ids, whether this
        call started the pass). ``mode`` names the lists and their order: a pass an earlier version
        began with another mode (order) restarts at its first page, since its saved page number
        means nothing in the new order. ``finish=False``: the last page leaves the pass open (its
        token past the last part) for the caller to complete after its own closing steps; a run
        killed before them resumes there."""
        with self._cache.read() as conn:
            cur = self._cursor(conn, resource)
        started = cur.pass_id is None or cur.pass_target_value != mode
        pass_id = cur.pass_id or uuid.uuid4().hex
        part, page = 0, 0
        if not started and cur.pass_page_token:
            a, _, b = cur.pass_page_token.partition(":")
            part, page = (int(a), int(b)) if b else (0, int(a))
        if started:
            with self._cache.write() as conn:
                repo.put_cursor(
                    conn,
                    replace(
                        self._cursor(conn, resource),
                        pass_id=pass_id,
                        pass_page_token="0:0",
                        pass_target_value=mode,
                        pass_started_server_time=self._now(),
                    ),
                )
        moved_all: set[int] = set()
        done = 0
        while part < len(parts):
            path, params = parts[part]
            items, users, more = self._list_page(
                {**params, "page": page, "per_page": self._opts.per_page}, path=path
            )
            end_of_part = not more or not items
            nxt = (part + 1, 0) if end_of_part else (part, page + 1)
            last = nxt[0] >= len(parts)
            with self._cache.write() as conn:
                moved = self._apply_topics(conn, items, users, pass_id=pass_id if track_seen else None)
                if on_page is not None:
                    on_page(conn, moved, items)
                moved_all |= moved
                cur = self._cursor(conn, resource)
                repo.put_cursor(
                    conn,
                    replace(cur, pass_page_token=f"{nxt[0]}:{nxt[1]}")
                    if not last or not finish
                    else self._pass_done(
                        cur, pass_target_value=None, consecutive_failures=0, last_error=None
                    ),
                )
            done += len(items)
            self._emit(done, total)
            part, page = nxt
        return pass_id, moved_all, started

    def _sync_queue(self) -> None:
        run = self._run
        assert run is not None
        try:
            self._walk_list(
                "topics:queue",
                [("/latest.json", {"status": "unsolved", "order": "created", "ascending": "true"})],
                mode=_QUEUE_MODE,
            )
        except Rejected:  # no discourse-solved on this site: there is no unsolved list
            run.notes.append(
                "queue: the site has no 'unsolved' list (discourse-solved off); listed with the rest"
            )
            with self._cache.write() as conn:
                cur = self._cursor(conn, "topics:queue")
                repo.put_cursor(
                    conn,
                    replace(cur, pass_id=None, hw_value="unavailable", last_complete_pass_at=self._now()),
                )
        run.queue_complete = True

    def _topic_total(self) -> int | None:
        with self._cache.read() as conn:
            n = conn.execute(text("SELECT sum(topic_count) FROM categories")).scalar()
        return int(n) if n else None

    def _add_dirty(self, conn: Connection, ids: Iterable[int]) -> None:
        new = set(ids)
        if not new:
            return
        cur = self._cursor(conn, "topics:dirty")
        have = set(json.loads(cur.pass_page_token)) if cur.pass_page_token else set()
        repo.put_cursor(conn, replace(cur, pass_page_token=json.dumps(sorted(have | new))))

    def _sync_listing(self, *, rescan: bool) -> None:
        """Every topic (``order=created``), the deleted list for staff, and gone detection."""
        run = self._run
        assert run is not None

        def dirty(conn: Connection, moved: set[int], _items: list[dict[str, Any]]) -> None:
            if rescan:
                self._add_dirty(conn, moved)

        with self._cache.read() as conn:
            cur = self._cursor(conn, "topics:listing")
            cats = [
                (int(r[0]), str(r[1]))
                for r in conn.execute(
                    text(
                        "SELECT id, slug FROM categories WHERE gone_since IS NULL AND accepts_answers = 0 "
                        "ORDER BY id"
                    )
                )
            ]
            queue_cur = self._cursors().get("topics:queue")
            queue_done = (
                queue_cur is not None
                and queue_cur.last_complete_pass_at is not None
                and queue_cur.pass_id is None
                and queue_cur.hw_value != "unavailable"
            )
        mode = cur.pass_target_value if cur.pass_id is not None else None
        if mode not in (_PARTS, _FULL):  # idle, or a pass begun in the older (newest-first) order
            mode = _PARTS if not rescan and queue_done else _FULL
        if mode == _PARTS:
            # The queue already listed the unsolved topics of accepted-answer categories: the rest
            # is the solved topics plus the categories without accepted answers.
            parts: list[tuple[str, dict[str, Any]]] = [
                ("/latest.json", {"status": "solved", "order": "created", "ascending": "true"})
            ]
            if cats:  # one /filter.json list for all of them (``=slug``: without subcategories)
                q = "category:" + ",".join(f"={slug}" for _, slug in cats) + " order:created-asc"
                parts.append(("/filter.json", {"q": q}))
        else:
            parts = [("/latest.json", {"order": "created", "ascending": "true"})]
        try:
            # finish=False: the pass completes only after the deleted list and the gone marks below;
            # a run killed between them must not skip those steps for good
            pass_id, moved, _ = self._walk_list(
                "topics:listing",
                parts,
                total=self._topic_total(),
                track_seen=True,
                on_page=dirty,
                mode=mode,
                finish=False,
            )
        except (Rejected, NotFound):
            if mode != _PARTS:
                raise
            with self._cache.write() as conn:  # no 'solved' or /filter here: list everything instead
                cur = self._cursor(conn, "topics:listing")
                repo.put_cursor(
                    conn, replace(cur, pass_id=None, pass_page_token=None, pass_target_value=None)
                )
            pass_id, moved, _ = self._walk_list(
                "topics:listing",
                [("/latest.json", {"order": "created", "ascending": "true"})],
                total=self._topic_total(),
                track_seen=True,
                on_page=dirty,
                mode=_FULL,
                finish=False,
            )
        if moved and rescan:
            run.topics_moved = True
        staff = self._capability("staff")
        listed_deleted: set[int] = set()
        if staff:
            page = 0
            while True:
                items, users, more = self._list_page(
                    {"status": "deleted", "order": "created", "page": page, "per_page": self._opts.per_page}
                )
                ids = [int(t["id"]) for t in items]
                with self._cache.write() as conn:
                    self._apply_topics(conn, items, users)
                    repo.mark_seen(conn, "topics", ids, pass_id)
                    known = {
                        int(r[0])
                        for r in conn.execute(
                            text(
                                "SELECT id FROM topics WHERE deleted_at IS NOT NULL "
                                "AND id IN (SELECT value FROM json_each(:ids))"
                            ),
                            {"ids": json.dumps(ids)},
                        )
                    }
                    listed_deleted |= set(ids) - known
                if not more or not items:
                    break
                page += 1
        with self._cache.write() as conn:
            # Only a full listing proves absence (the partitioned first listing relies on the queue).
            gone = repo.mark_unseen_gone(conn, "topics", pass_id, self._now()) if mode == _FULL else set()
            if gone:
                self._changed("topics", gone)
            # topics listed as live again lose a stale deleted_at
            undeleted = [
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM topics WHERE seen_in_pass = :p AND deleted_at IS NOT NULL"),
                    {"p": pass_id},
                )
            ]
        # Confirm: deleted topics (staff see deleted_at) and topics not listed at all (404/410).
        for tid in sorted(listed_deleted | gone | set(undeleted)):
            self._reconcile_topic(tid)
        with self._cache.write() as conn:
            cur = self._cursor(conn, "topics:activity")
            hw = conn.execute(text("SELECT max(bumped_at) FROM topics WHERE gone_since IS NULL")).scalar()
            if hw is not None and (cur.hw_value is None or str(hw) > cur.hw_value):
                repo.put_cursor(conn, replace(cur, hw_value=str(hw), last_complete_pass_at=self._now()))
            listing = self._cursor(conn, "topics:listing")
            repo.put_cursor(
                conn,
                self._pass_done(listing, pass_target_value=None, consecutive_failures=0, last_error=None),
            )

    def _sync_activity(self) -> None:
        """Topics bumped since the watermark (minus the overlap), newest first."""
        run = self._run
        assert run is not None
        with self._cache.read() as conn:
            cur = self._cursor(conn, "topics:activity")
        hw = _parse_iso(cur.hw_value) if cur.hw_value else None
        floor = _iso(hw - timedelta(seconds=self._opts.overlap_seconds)) if hw else None
        page = 0
        newest = cur.hw_value
        while True:
            items, users, more = self._list_page(
                {"order": "activity", "page": page, "per_page": self._opts.per_page}
            )
            with self._cache.write() as conn:
                moved = self._apply_topics(conn, items, users)
                self._add_dirty(conn, moved)
            if moved:
                run.topics_moved = True
            for t in items:
                b = t.get("bumped_at")
                if isinstance(b, str) and (newest is None or b > newest):
                    newest = b
            unpinned = [t for t in items if not t.get("pinned")]
            oldest = min((str(t.get("bumped_at") or "") for t in unpinned), default="")
            if not more or not items or floor is None or (unpinned and oldest < floor):
                break
            page += 1
        with self._cache.write() as conn:
            cur = self._cursor(conn, "topics:activity")
            repo.put_cursor(conn, replace(cur, hw_value=newest, last_complete_pass_at=self._now()))

    def _sync_unsolved(self) -> None:
        """Accepting or unaccepting an answer bumps nothing (CONTRACT §3.6): the activity list
        misses it, yet the queue and the solved figures depend on it. The unsolved list (the
        queue; ⌈unsolved/100⌉ requests) shows both. A topic that joined it lost its answer
        (``has_accepted_answer`` moved: the reconcile stage re-reads it); one that left it since
        the last walk was solved — or deleted, moved, made invisible — and is re-read here."""
        with self._cache.read() as conn:
            if self._cursor(conn, "topics:queue").hw_value == "unavailable":
                return  # no discourse-solved on this site
            last = self._cursor(conn, "topics:unsolved").hw_value
            if last:
                before = {int(i) for i in json.loads(last)}
            else:  # no walk remembered yet: the unsolved topics the cache shows
                before = {
                    int(r[0])
                    for r in conn.execute(
                        text(
                            "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id "
                            "WHERE c.accepts_answers = 1 AND t.has_accepted_answer = 0 "
                            "AND t.deleted_at IS NULL AND t.gone_since IS NULL AND t.visible = 1"
                        )
                    )
                }
        listed: set[int] = set()
        page = 0
        while True:
            try:
                items, users, more = self._list_page(
                    {"status": "unsolved", "order": "created", "page": page, "per_page": self._opts.per_page}
                )
            except Rejected:  # discourse-solved was turned off since the first sync
                return
            with self._cache.write() as conn:
                self._add_dirty(conn, self._apply_topics(conn, items, users))
            listed.update(int(t["id"]) for t in items)
            self._emit(len(listed), None)
            if not more or not items:
                break
            page += 1
        with self._cache.read() as conn:
            left = [
                int(r[0])
                for r in conn.execute(
                    text(
                        "SELECT id FROM topics WHERE id IN (SELECT value FROM json_each(:ids)) "
                        "AND has_accepted_answer = 0 AND deleted_at IS NULL AND gone_since IS NULL "
                        "ORDER BY id"
                    ),
                    {"ids": json.dumps(sorted(before - listed))},
                )
            ]
        for i, tid in enumerate(left):
            self._reconcile_topic(tid)
            self._emit(i + 1, len(left))
        with self._cache.write() as conn:
            cur = self._cursor(conn, "topics:unsolved")
            repo.put_cursor(
                conn, replace(cur, hw_value=json.dumps(sorted(listed)), last_complete_pass_at=self._now())
            )

    def _check_solutions(self) -> None:
        assert self._run is not None
        self._run.solutions_moved = self._solutions_moved()

    def _solutions_moved(self) -> bool:
        """Whether answers were accepted, unaccepted or replaced since the lists were last walked.

        Accepts bump nothing (CONTRACT §3.6), so only walking the unsolved and solved lists finds
        them — ⌈unsolved/100⌉ + ⌈solved/100⌉ requests, about a thousand on a 100k-topic site,
        every sync. One request tells first: discourse-solved's ``accepted_solutions`` report
        (solutions per day, §7) over the site's whole history changes with every accept (+1
        today), unaccept (−1 on the day it was accepted) and replacement (both). Unchanged: the
        walks are skipped. Blind to changes that cancel out in one day's count (an answer accepted
        and another unaccepted, both accepted today); those wait for the next change or the
        daily rescan. Without the report (no staff key, older plugin) the lists are walked."""
        if not self._capability("staff"):
            return True
        with self._cache.read() as conn:
            stored = self._cursor(conn, "solutions:signal").hw_value
            first = conn.execute(text("SELECT min(created_at) FROM topics")).scalar()
        end = (_parse_iso(self._now()) or clock.now()).date()
        oldest = _parse_iso(first) if isinstance(first, str) else None
        start = (oldest.date() if oldest is not None else end) - timedelta(days=1)
        report = self._read_report("accepted_solutions", start, end)
        if report is None:
            return True
        points = sorted((_day(p.x), p.y) for s in report.series[:1] for p in s.points if p.y)
        fingerprint = hashlib.sha256(json.dumps(points).encode()).hexdigest()
        assert self._run is not None
        self._run.solutions_signal = fingerprint
        return stored != fingerprint

    def _remember_solutions_signal(self) -> None:
        """Both walks finished: the report read before them is what the cache now shows."""
        assert self._run is not None
        if self._run.solutions_signal is None:
            return
        with self._cache.write() as conn:
            cur = self._cursor(conn, "solutions:signal")
            repo.put_cursor(
                conn, replace(cur, hw_value=self._run.solutions_signal, last_complete_pass_at=self._now())
            )

    def _sync_solved(self) -> None:
        """An answer replaced by another moderator's accept bumps nothing and keeps the topic on
        the solved list; its one list-level trace is the answerer among the item's ``posters``
        ("Accepted Answer", CONTRACT §3.1). Walking the solved list (⌈solved/100⌉ requests) lets
        ``_note_replaced_answers`` send each topic whose listed answerer is not the cached
        solution's author to the reconcile stage. Blind to a new answer by the same author: no
        list or site-wide route shows which post it is (only ``/t/{id}.json`` per topic and
        ``/solution/by_user.json`` per user); a deep rescan's posts tail (``accepted_answer``) or
        any other re-read of the topic brings it."""
        with self._cache.read() as conn:
            if self._cursor(conn, "topics:queue").hw_value == "unavailable":
                return  # no discourse-solved on this site
        page, seen = 0, 0
        while True:
            try:
                items, users, more = self._list_page(
                    {
                        "status": "solved",
                        "order": "created",
                        "ascending": "true",
                        "page": page,
                        "per_page": self._opts.per_page,
                    }
                )
            except Rejected:  # discourse-solved was turned off since the first sync
                return
            with self._cache.write() as conn:
                self._add_dirty(conn, self._apply_topics(conn, items, users))
            seen += len(items)
            self._emit(seen, None)
            if not more or not items:
                break
            page += 1

    # ============================================================ posts

    def _apply_posts(self, conn: Connection, rows: list[dict[str, Any]], *, derive: bool = True) -> set[int]:
        changed = repo.upsert_posts(conn, rows)
        topic_ids = {int(r["topic_id"]) for r in rows}
        self._changed("posts", changed)
        repo.refresh_fts(conn, post_ids=changed)
        self._sync_solutions(conn, topic_ids)
        if derive:
            repo.refresh_derived(conn, topic_ids)
        if changed:
            self._flag("kpis", 0)
            assert self._run is not None
            self._run.kinds.add("kpis")
        return topic_ids

    def _sync_solutions(self, conn: Connection, topic_ids: Iterable[int]) -> None:
        """``solutions`` = posts flagged ``accepted_answer`` in topics that say they have one."""
        ids = json.dumps(sorted(set(topic_ids)))
        rows = [
            {"post_id": int(r[0]), "topic_id": int(r[1]), "post_number": r[2], "user_id": r[3]}
            for r in conn.execute(
                text(
                    "SELECT p.id, p.topic_id, p.post_number, p.user_id FROM posts p "
                    "LEFT JOIN topics t ON t.id = p.topic_id "
                    "WHERE p.topic_id IN (SELECT value FROM json_each(:ids)) AND p.accepted_answer = 1 "
                    "AND p.gone_since IS NULL AND COALESCE(t.has_accepted_answer, 1) = 1"
                ),
                {"ids": ids},
            )
        ]
        changed = repo.upsert_solutions(conn, rows)
        keep = json.dumps([r["post_id"] for r in rows])
        removed = conn.execute(
            text(
                "DELETE FROM solutions WHERE topic_id IN (SELECT value FROM json_each(:ids)) "
                "AND post_id NOT IN (SELECT value FROM json_each(:keep)) RETURNING topic_id"
            ),
            {"ids": ids, "keep": keep},
        ).all()
        if changed or removed:
            self._changed("topics", [r["topic_id"] for r in rows if r["post_id"] in changed])
            self._changed("topics", [int(r[0]) for r in removed])
            self._flag("kpis", 0)

    def _sync_posts(self, *, full: bool, restart: bool = False) -> None:
        """The ``/posts.json`` tail. ``full``: down to the first post; else down to ``hw_id``."""
        with self._cache.write() as conn:
            cur = self._cursor(conn, "posts:latest")
            if restart or cur.pass_id is None:
                cur = replace(
                    cur,
                    pass_id=uuid.uuid4().hex,
                    pass_page_token=None,
                    pass_target_id=None,
                    pass_target_value="full" if full or cur.hw_id is None else "tail",
                    pass_started_server_time=self._now(),
                )
                repo.put_cursor(conn, cur)
        floor = 0 if cur.pass_target_value == "full" else int(cur.hw_id or 0)
        before: int | None = int(cur.pass_page_token) if cur.pass_page_token else None
        target = cur.pass_target_id
        total = (target or 0) - floor if target else None
        while True:
            params = {"before": before} if before is not None else None
            data = self._get("/posts.json", params, parse_latest_posts)
            items = [p for p in data.get("latest_posts", []) if isinstance(p, Mapping)]
            rows = [_post_row(p, "GET /posts.json") for p in items]
            ids = [int(r["id"]) for r in rows]
            if target is None:
                target = max(ids) if ids else max(floor, before or 0)
                total = target - floor
            if ids:
                nxt = min(ids) - 1
            elif before is None:
                nxt = 0
            else:  # sparse page of an older server: step down over the gap
                nxt = before - 50
            reached = nxt <= floor or (not ids and before is None)
            # A whole walk defers the queue fields and rollups to its end (a topic's posts are
            # spread over many pages: recomputing it on each would cost far more than once).
            whole = cur.pass_target_value == "full"
            finish = reached and not whole
            with self._cache.write() as conn:  # the page and its cursor advance, together
                fresh = [r for r in rows if int(r["id"]) > floor]
                if fresh:
                    touched = self._apply_posts(conn, fresh, derive=not whole)
                    if not whole:
                        # A topic list can skip a topic that moved under its cursor; the tail (an
                        # id-keyed, stable cursor) cannot: topics with new posts are checked by
                        # reconcile, which re-reads only those whose counts then disagree.
                        self._add_dirty(conn, touched)
                c = self._cursor(conn, "posts:latest")
                if finish:
                    self._complete_posts(conn, c, target)
                else:
                    repo.put_cursor(conn, replace(c, pass_page_token=str(nxt), pass_target_id=target))
            if reached and whole:
                self._derive_all()  # idempotent: a crash here redoes it after one more (empty) page
                with self._cache.write() as conn:
                    self._complete_posts(conn, self._cursor(conn, "posts:latest"), target)
            self._emit(max(0, (target or 0) - max(nxt, floor)), total)
            if reached:
                return
            before = nxt

    def _complete_posts(self, conn: Connection, cur: repo.CursorState, target: int | None) -> None:
        repo.put_cursor(
            conn,
            self._pass_done(
                cur,
                hw_id=max(int(cur.hw_id or 0), int(target or 0)),
                pass_target_id=None,
                pass_target_value=None,
                consecutive_failures=0,
                last_error=None,
            ),
        )

    def _derive_all(self, batch: int = 1000) -> None:
        """Queue fields and rollups of every topic with cached posts, in short transactions."""
        with self._cache.read() as conn:
            ids = [
                int(r[0]) for r in conn.execute(text("SELECT DISTINCT topic_id FROM posts ORDER BY topic_id"))
            ]
        for i in range(0, len(ids), batch):
            if self._run is not None:
                self._run.token.raise_if_cancelled()
            with self._cache.write() as conn:
                repo.refresh_derived(conn, ids[i : i + batch])
            self._emit(min(len(ids), i + batch), len(ids), "queue fields and rollups")

    # ============================================================ reconcile

    _NEEDS_SQL = """
        SELECT t.id,
          printf('%d|%d|%s|%d|%s|%d', COALESCE(t.highest_post_number, 0), COALESCE(t.posts_count, 0),
                 COALESCE(t.bumped_at, ''), t.has_accepted_answer, COALESCE(t.deleted_at, ''),
                 t.closed) AS sig,
          c.hw_value AS stored,
          COALESCE(t.highest_post_number, 0) AS hpn, COALESCE(t.posts_count, 0) AS pc, t.has_accepted_answer,
          t.bumped_at,
          (SELECT count(DISTINCT p.post_number) FROM posts p WHERE p.topic_id = t.id
             AND p.gone_since IS NULL AND p.post_number <= COALESCE(t.highest_post_number, 0)) AS numbers,
          (SELECT count(*) FROM posts p WHERE p.topic_id = t.id AND p.gone_since IS NULL
             AND p.deleted_at IS NULL AND p.post_type IN (1, 4)) AS counted,
          (SELECT count(*) FROM posts p WHERE p.topic_id = t.id AND p.gone_since IS NULL
             AND p.accepted_answer = 1) AS accepted,
          (SELECT max(p.created_at) FROM posts p WHERE p.topic_id = t.id AND p.gone_since IS NULL
             AND p.post_type = 1 AND p.deleted_at IS NULL) AS last_created,
          (SELECT max(p.post_number) FROM posts p WHERE p.topic_id = t.id
             AND p.gone_since IS NULL) AS max_number,
          t.closed AS closed
        FROM topics t LEFT JOIN sync_cursors c ON c.resource = 'stream:' || t.id
        WHERE t.gone_since IS NULL AND t.id IN (SELECT value FROM json_each(:ids))
        ORDER BY t.id
    """

    def _needing(self, conn: Connection, ids: Sequence[int]) -> list[int]:
        out = []
        for r in conn.execute(text(self._NEEDS_SQL), {"ids": json.dumps(list(ids))}).mappings():
            if r["stored"] == r["sig"]:
                continue
            counts_differ = (
                r["counted"] != r["pc"]
                or (bool(r["has_accepted_answer"]) and r["accepted"] == 0)
                or (not r["has_accepted_answer"] and r["accepted"] > 0)
                or r["last_created"] is None
                or (r["bumped_at"] is not None and str(r["bumped_at"]) > str(r["last_created"]))
            )
            if counts_differ or (r["numbers"] < r["hpn"] and self._gap_wanted(r)):
                out.append(int(r["id"]))
        return out

    def _gap_wanted(self, r: RowMapping) -> bool:
        """Whether a topic whose counts all agree with the cache is re-read for a gap in its post
        numbers. Every post ``posts_count`` counts is cached, the solution matches and the last
        post explains the bump: the gap can only hold posts no list counts — deleted posts (staff
        can read them), small-action notes ("closed", …) or whispers a key may not see. None of
        them is shown as content, so a first sync does not read ~3 % of all topics again for them
        (``fetch_deleted_posts`` / ``fetch_close_actions`` do, for a full mirror)."""
        # the trailing "closed" note is missing: the closed flag already says it
        trailing_close = bool(r["closed"]) and r["max_number"] == r["hpn"] - 1
        if trailing_close and r["numbers"] == r["hpn"] - 1:  # and it is the only gap
            return self._opts.fetch_close_actions
        return self._opts.fetch_deleted_posts or (self._opts.fetch_close_actions and trailing_close)

    def _resolve_orphans(self) -> None:
        """Posts whose topic the cache does not know — a list skipped the topic while it changed
        under the cursor, or the topic was created after the list was read — get their topic read
        (one ``/t/{id}.json`` each, only for such topics). A topic the key can no longer open takes
        its orphan posts with it (``gone_since``): none is left."""
        run = self._run
        assert run is not None
        with self._cache.read() as conn:
            ids = [
                int(r[0])
                for r in conn.execute(
                    text(
                        # NOT IN (…) is a set built once (~1 ms per 20,000 posts; NOT EXISTS: 20)
                        "SELECT DISTINCT topic_id FROM posts WHERE topic_id NOT IN (SELECT id FROM topics) "
                        "AND gone_since IS NULL ORDER BY topic_id"
                    )
                )
            ]
        for i, tid in enumerate(ids):
            try:
                self._reconcile_topic(tid)
            except PermissionDenied:
                with self._cache.write() as conn:
                    self._orphans_gone(conn, tid)
            self._emit(i + 1, len(ids), "topics known only by their posts")
        if ids:
            run.notes.append(f"reconcile: {len(ids)} topic(s) known only by their posts were read")

    def _orphans_gone(self, conn: Connection, topic_id: int) -> None:
        gone = conn.execute(
            text(
                "UPDATE posts SET gone_since = :now WHERE topic_id = :t AND gone_since IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM topics WHERE id = :t) RETURNING id"
            ),
            {"now": self._now(), "t": topic_id},
        ).all()
        if gone:
            self._changed("posts", [int(r[0]) for r in gone])
            repo.refresh_fts(conn, post_ids=[int(r[0]) for r in gone])

    def _sync_reconcile(self, *, scan_all: bool) -> None:
        self._resolve_orphans()
        with self._cache.write() as conn:
            # No request: a topic that says solved, with its flagged post cached, lacks a solutions
            # row only if the cache was left so by an older run; re-derive those topics.
            unrecorded = [
                int(r[0])
                for r in conn.execute(
                    text(
                        "SELECT DISTINCT p.topic_id FROM posts p JOIN topics t ON t.id = p.topic_id "
                        "WHERE p.accepted_answer = 1 AND p.gone_since IS NULL AND t.has_accepted_answer = 1 "
                        "AND t.gone_since IS NULL "
                        "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.post_id = p.id)"
                    )
                )
            ]
            if unrecorded:
                self._sync_solutions(conn, unrecorded)
        with self._cache.read() as conn:
            dirty_cur = self._cursor(conn, "topics:dirty")
            scan_cur = self._cursor(conn, "topics:reconcile")
        dirty = sorted(json.loads(dirty_cur.pass_page_token)) if dirty_cur.pass_page_token else []
        if dirty:
            with self._cache.read() as conn:
                need = self._needing(conn, dirty)
            for i, tid in enumerate(need):
                self._reconcile_topic(tid)
                self._emit(i + 1, len(need))
            with self._cache.write() as conn:
                repo.put_cursor(conn, replace(self._cursor(conn, "topics:dirty"), pass_page_token=None))
        run = self._run
        assert run is not None
        for tid in sorted(run.answer_replaced):
            self._reconcile_topic(tid)
        run.answer_replaced.clear()
        scanning = scan_all or scan_cur.last_complete_pass_at is None or scan_cur.pass_id is not None
        if not scanning:
            return
        after = int(scan_cur.pass_page_token or 0) if scan_cur.pass_id is not None else 0
        with self._cache.write() as conn:
            repo.put_cursor(
                conn,
                replace(
                    self._cursor(conn, "topics:reconcile"),
                    pass_id=scan_cur.pass_id or uuid.uuid4().hex,
                    pass_page_token=str(after),
                ),
            )
        with self._cache.read() as conn:
            all_ids = [
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM topics WHERE id > :a AND gone_since IS NULL ORDER BY id"),
                    {"a": after},
                )
            ]
            need = []
            for i in range(0, len(all_ids), 2000):
                need.extend(self._needing(conn, all_ids[i : i + 2000]))
        for i, tid in enumerate(need):
            self._reconcile_topic(tid, token_resource="topics:reconcile")
            self._emit(i + 1, len(need))
        with self._cache.write() as conn:
            repo.put_cursor(conn, self._pass_done(self._cursor(conn, "topics:reconcile")))

    def _reconcile_topic(self, topic_id: int, *, token_resource: str | None = None) -> None:
        """Re-read one topic's view and stream; fetch posts the cache lacks; mark vanished ones."""
        staff = self._capability("staff")
        path = f"/t/{int(topic_id)}.json"
        params: dict[str, Any] = {"show_deleted": "true"} if staff else {}
        try:
            view = self._get(path, params or None, parse_topic_view)
        except NotFound:
            with self._cache.write() as conn:
                n = conn.execute(
                    text("UPDATE topics SET gone_since = :now WHERE id = :id AND gone_since IS NULL"),
                    {"now": self._now(), "id": topic_id},
                ).rowcount
                if n:
                    self._changed("topics", [topic_id])
                    repo.refresh_fts(conn, topic_ids=[topic_id])
                self._orphans_gone(conn, topic_id)
                if token_resource:
                    cur = self._cursor(conn, token_resource)
                    repo.put_cursor(conn, replace(cur, pass_page_token=str(topic_id)))
            return
        stream = [int(i) for i in (view.get("post_stream", {}).get("stream") or []) if isinstance(i, int)]
        chunk = [p for p in view["post_stream"].get("posts", []) if isinstance(p, Mapping)]
        rows = [_post_row(p, f"GET {path}", topic_id) for p in chunk]
        have_chunk = {int(r["id"]) for r in rows}
        with self._cache.read() as conn:
            cached = {
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM posts WHERE topic_id = :t AND gone_since IS NULL"), {"t": topic_id}
                )
            }
        missing = [i for i in stream if i not in have_chunk and i not in cached]
        last = stream[-1] if stream else None
        # the last post is cached (not in this chunk): fetched again only if edited since (a bump)
        cached_last = last is not None and last not in have_chunk and last not in missing
        if cached_last and not self._bump_explained(topic_id, int(last or 0), rows):
            missing.append(int(last or 0))
        for start in range(0, len(missing), 100):
            route = f"/t/{int(topic_id)}/posts.json"
            batch: dict[str, Any] = {"post_ids[]": missing[start : start + 100]}
            data = self._get(route, batch, parse_topic_posts)
            rows.extend(
                _post_row(p, f"GET {route}", topic_id)
                for p in data["post_stream"].get("posts", [])
                if isinstance(p, Mapping)
            )
        topic = {
            **_topic_row(view),
            "has_accepted_answer": bool(view.get("accepted_answer") or view.get("has_accepted_answer")),
            "deleted_at": view.get("deleted_at"),
        }
        if isinstance(view.get("user_id"), int):
            topic["user_id"] = view["user_id"]
        acc = view.get("accepted_answer")
        acc_number = acc.get("post_number") if isinstance(acc, Mapping) else None
        with self._cache.write() as conn:
            self._changed("topics", repo.upsert_topics(conn, [topic]))
            in_stream = set(stream)
            if not view.get("post_stream", {}).get("isMegaTopic") and stream:
                vanished = [i for i in cached if i not in in_stream]
                if vanished:
                    conn.execute(
                        text(
                            "UPDATE posts SET gone_since = :now WHERE gone_since IS NULL "
                            "AND id IN (SELECT value FROM json_each(:ids))"
                        ),
                        {"now": self._now(), "ids": json.dumps(vanished)},
                    )
                    self._changed("posts", vanished)
                    repo.refresh_fts(conn, post_ids=vanished)
            if rows:
                self._changed("posts", repo.upsert_posts(conn, rows))
                repo.refresh_fts(conn, post_ids=[int(r["id"]) for r in rows])
            # the view is the authority on which post is the solution
            conn.execute(
                text(
                    "UPDATE posts SET accepted_answer = (post_number IS :n) WHERE topic_id = :t "
                    "AND accepted_answer IS NOT (post_number IS :n)"
                ),
                {"n": acc_number, "t": topic_id},
            )
            accepted = conn.execute(
                text("SELECT id FROM posts WHERE topic_id = :t AND post_number IS :n AND :n IS NOT NULL"),
                {"t": topic_id, "n": acc_number},
            ).scalar()
            conn.execute(
                text("UPDATE topics SET accepted_post_id = :p WHERE id = :t AND accepted_post_id IS NOT :p"),
                {"p": accepted, "t": topic_id},
            )
            self._sync_solutions(conn, [topic_id])
            if isinstance(acc, Mapping) and accepted is not None and acc.get("accepter_username"):
                conn.execute(
                    text("UPDATE solutions SET accepter_username = :a WHERE post_id = :p"),
                    {"a": acc.get("accepter_username"), "p": accepted},
                )
            repo.refresh_fts(conn, topic_ids=[topic_id])
            repo.refresh_derived(conn, [topic_id])
            sig = conn.execute(
                text(
                    "SELECT printf('%d|%d|%s|%d|%s|%d', COALESCE(highest_post_number, 0), "
                    "COALESCE(posts_count, 0), COALESCE(bumped_at, ''), has_accepted_answer, "
                    "COALESCE(deleted_at, ''), closed) FROM topics WHERE id = :t"
                ),
                {"t": topic_id},
            ).scalar()
            repo.put_cursor(
                conn,
                replace(
                    self._cursor(conn, f"stream:{topic_id}"), hw_value=str(sig), last_complete_pass_at=None
                ),
            )
            if token_resource:
                cur = self._cursor(conn, token_resource)
                repo.put_cursor(conn, replace(cur, pass_page_token=str(topic_id)))

    def _bump_explained(self, topic_id: int, last_id: int, chunk: Sequence[Mapping[str, Any]]) -> bool:
        """Whether the cache explains the topic's ``bumped_at`` (as its last list item said; a
        topic view has none): a post created at or after it, or the last post (``last_id``, cached)
        edited at or after it. Otherwise the last post was edited since it was cached — the one
        change that bumps a topic without a new post — and is fetched again."""
        with self._cache.read() as conn:
            bumped = conn.execute(
                text("SELECT bumped_at FROM topics WHERE id = :t"), {"t": topic_id}
            ).scalar()
            if bumped is None:
                return True  # nothing to explain (a topic known only from its view)
            newest = conn.execute(
                text(
                    "SELECT max(created_at) FROM posts WHERE topic_id = :t AND gone_since IS NULL "
                    "AND post_type = 1 AND deleted_at IS NULL"
                ),
                {"t": topic_id},
            ).scalar()
            last_updated = conn.execute(
                text("SELECT updated_at FROM posts WHERE id = :p AND gone_since IS NULL"), {"p": last_id}
            ).scalar()
        seen = [str(v) for v in (newest, last_updated) if v is not None]
        seen += [str(p["created_at"]) for p in chunk if p.get("created_at") and p.get("post_type", 1) == 1]
        return any(v >= str(bumped) for v in seen)

    # ============================================================ users

    def _company_id(self, conn: Connection, email: str | None, vendor: frozenset[str]) -> int | None:
        domain = company_domain(email, ignore=vendor, free_mail=self._opts.free_mail_domains)
        if domain is None:
            return None
        row = conn.execute(text("SELECT id FROM companies WHERE domain = :d"), {"d": domain}).first()
        if row is not None:
            return int(row[0])
        name = domain.split(".")[0].replace("-", " ").title()
        customer = conn.execute(
            text(
                "SELECT name FROM customer_accounts WHERE EXISTS "
                "(SELECT 1 FROM json_each(customer_accounts.domains) j WHERE lower(j.value) = :d)"
            ),
            {"d": domain},
        ).scalar()
        return int(
            conn.execute(
                text(
                    "INSERT INTO companies (name, domain, source, is_customer) "
                    "VALUES (:n, :d, 'email_domain', :c) "
                    "RETURNING id"
                ),
                {"n": customer or name, "d": domain, "c": customer is not None},
            ).scalar_one()
        )

    def _user_rows(
        self, conn: Connection, items: Sequence[Mapping[str, Any]], emails: bool, vendor: frozenset[str]
    ) -> list[dict[str, Any]]:
        rows = []
        for u in items:
            row = _bool_row(_pick(u, _USER_KEYS), "admin", "moderator", "silenced", "staged", "active")
            if row.get("active") is None:
                row.pop("active", None)
            if emails:
                row["email"] = u.get("email")
                row["company_id"] = self._company_id(conn, u.get("email"), vendor)
            rows.append(row)
        return rows

    def _users_page(self, flag: str, page: int, emails: bool) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"page": page, "order": "created"}
        if emails:
            params["show_emails"] = "true"
        data = self._get(f"/admin/users/list/{flag}.json", params, parse_user_list)
        return [u for u in data if isinstance(u, dict)]

    def _sync_users(self, *, full: bool) -> None:
        run = self._run
        assert run is not None
        with self._cache.read() as conn:
            cur = self._cursor(conn, "users")
        caps_known = cur.hw_id is not None
        emails = bool(cur.hw_id) if caps_known else self._capability("admin") or not caps_known
        if cur.last_complete_pass_at is None or cur.pass_id is not None:
            full = True
        vendor = self._opts.vendor_domains
        if vendor is None and cur.hw_value and not full:
            vendor = frozenset(json.loads(cur.hw_value))
        if full or vendor is None:
            try:
                staff_list = self._users_page("staff", 1, emails)
            except PermissionDenied:
                if not emails:
                    raise
                emails = False
                staff_list = self._users_page("staff", 1, emails)
            if vendor is None:
                vendor = (
                    frozenset(
                        str(u["email"]).rsplit("@", 1)[1].lower()
                        for u in staff_list
                        if isinstance(u.get("email"), str) and "@" in str(u["email"])
                    )
                    - self._opts.free_mail_domains
                )
        vendor = vendor or frozenset()
        if emails:
            run.notes.append(
                "company: derived from e-mail domains (free-mail and the vendor's domains "
                f"{', '.join(sorted(vendor)) or 'none'} ignored)"
            )
        else:
            run.notes.append(
                "company: not derived (this key may not see e-mails; the 'Company' user field is not in "
                "the admin list, and an imported customer list needs e-mail domains)"
            )
        pass_id = cur.pass_id or uuid.uuid4().hex
        page = int(cur.pass_page_token or 1) if cur.pass_id else 1
        with self._cache.write() as conn:
            repo.put_cursor(
                conn,
                replace(
                    self._cursor(conn, "users"),
                    hw_id=1 if emails else 0,
                    hw_value=json.dumps(sorted(vendor)),
                    pass_id=pass_id if full else None,
                ),
            )
        unseen: set[int] = set()
        if full and page == 1 and run.bulk_source is not None and emails != self._capability("admin"):
            run.notes.append(
                "bulk: members listed over REST (this moderator's key sees e-mails; the mirror query "
                "gives them to admins only)"
            )
        elif full and page == 1 and run.bulk_source is not None:
            from modconsole.sync import bulk

            listed = bulk.mirror_users(
                self, self._client, run.bulk_source, emails=emails, vendor=vendor, pass_id=pass_id
            )
            if listed is not None:
                for uid in sorted(listed):  # not listed: confirmed one by one, as after a REST walk
                    try:
                        self._refresh_user(uid, emails)
                    except PermissionDenied:
                        break
                return
        while True:
            items = self._users_page("new", page, emails)
            ids = [int(u["id"]) for u in items]
            with self._cache.write() as conn:
                known = {
                    int(r[0])
                    for r in conn.execute(
                        text("SELECT id FROM users WHERE id IN (SELECT value FROM json_each(:ids))"),
                        {"ids": json.dumps(ids)},
                    )
                }
                self._changed("users", repo.upsert_users(conn, self._user_rows(conn, items, emails, vendor)))
                if full:
                    repo.mark_seen(conn, "users", ids, pass_id)
                last = len(items) < 100 or (not full and len(known) > 0)
                c = self._cursor(conn, "users")
                if last:
                    if full:
                        unseen = repo.mark_unseen_gone(conn, "users", pass_id, self._now())
                        self._changed("users", unseen)
                    repo.put_cursor(conn, self._pass_done(c))
                else:
                    repo.put_cursor(conn, replace(c, pass_page_token=str(page + 1)))
            self._emit(page * 100, None)
            if last and full:
                # Not listed is not proof of deletion: a user deleted on a page already read shifts
                # one unread user across the page boundary. One request per unseen user (deletions
                # and such skips only) confirms it; a live one loses its ``gone_since`` again.
                for uid in sorted(unseen):
                    try:
                        self._refresh_user(uid, emails)
                    except PermissionDenied:
                        break
            if last and full and page > 1:
                # A full walk of several pages — or one resumed from an earlier, interrupted run —
                # read page 1 before users who signed up since existed: one newest page (the
                # incremental walk) catches them, so the run ends with nothing missing.
                full, page = False, 1
                continue
            if last:
                return
            page += 1

    # ============================================================ badges

    def _badges_due(self, c: Mapping[str, repo.CursorState]) -> bool:
        """An incremental run reads the badge list when topics moved (new posts earn badges) or the
        last list is older than ``badges_interval_seconds`` (server time): a grant bumps nothing, and
        one request less keeps an unchanged incremental at 3."""
        run = self._run
        assert run is not None
        cur = c.get("badges")
        if run.topics_moved or cur is None or cur.last_complete_pass_at is None:
            return True
        last = _parse_iso(cur.last_complete_pass_at)
        now = _parse_iso(self._now())
        if last is None or now is None:
            return True
        return (now - last).total_seconds() >= self._opts.badges_interval_seconds

    def _sync_badges(self, only: set[int] | None = None) -> None:
        """The badge list; grants for badges awarded by hand whose ``grant_count`` moved. Holders
        of automatic badges (a query or a system badge: trust levels, first like, …) are not listed:
        the forum grants them by rule — on ``large`` 1,758 requests of a first sync, mostly for
        them — and they are read on demand (:meth:`fetch_badge_holders`, when a moderator opens
        the badge). ``only``: just these badges, grants re-read whatever the count says (a changed
        badge left out keeps its old count, so the next run still reads its grants)."""
        admin = self._capability("admin")
        path = "/admin/badges.json" if admin else "/badges.json"
        try:
            data = self._get(path, None, parse_badges)
        except NotFound:  # badges disabled site-wide
            return
        items = [b for b in data.get("badges", []) if isinstance(b, Mapping)]
        if only is not None:
            items = [b for b in items if b.get("id") in only]
        with self._cache.read() as conn:
            cached = {int(r[0]): r[1] for r in conn.execute(text("SELECT id, grant_count FROM badges"))}
        rows = []
        for b in items:
            row = _bool_row(
                _pick(b, _BADGE_KEYS),
                "multiple_grant",
                "allow_title",
                "enabled",
                "listable",
                "manually_grantable",
                "system",
            )
            if row.get("image_url") is None and b.get("image"):
                row["image_url"] = b.get("image")
            rows.append(row)
        automatic = {int(r["id"]) for r in rows if holders_on_demand(r)}
        changed = [
            r
            for r in rows
            if only is not None  # asked for: a grant and a revoke may leave the count unchanged
            or (
                int(r["id"]) not in automatic
                and (int(r["id"]) not in cached or cached[int(r["id"])] != r.get("grant_count"))
            )
        ]
        if self._run is not None and self._run.bulk_grants and only is None:
            changed = []  # the bulk stage already mirrored every grant
        same = [r for r in rows if r not in changed]
        with self._cache.write() as conn:
            self._changed("badges", repo.upsert_badges(conn, same))
            if only is None:  # the whole list: which badges are automatic now, and when it was read
                cur = self._cursor(conn, ON_DEMAND_BADGES)
                was = json.loads(cur.hw_value or "{}")
                listed = {str(b): was.get(str(b)) for b in sorted(automatic)}
                repo.put_cursor(conn, replace(cur, hw_value=json.dumps(listed, sort_keys=True)))
                cur = self._cursor(conn, "badges")
                repo.put_cursor(conn, replace(cur, last_complete_pass_at=self._now()))
        for i, badge in enumerate(changed):
            self._sync_grants(badge)
            if int(badge["id"]) in automatic:
                with self._cache.write() as conn:  # its holders are now those of this count
                    cur = self._cursor(conn, ON_DEMAND_BADGES)
                    listed = json.loads(cur.hw_value or "{}")
                    listed[str(int(badge["id"]))] = badge.get("grant_count")
                    repo.put_cursor(conn, replace(cur, hw_value=json.dumps(listed, sort_keys=True)))
            self._emit(i + 1, len(changed))

    def fetch_badge_holders(
        self, token: CancelToken, badge_id: int, progress: ProgressCallback = ignore_progress
    ) -> SyncReport:
        """Read the holders of one badge now — what a moderator opening an automatic badge needs
        (a sync leaves those to this call): the badge list and that badge's grants."""
        return self.refresh(token, badge_ids=[int(badge_id)], progress=progress)

    def fetch_member_badges(
        self, token: CancelToken, user_id: int, progress: ProgressCallback = ignore_progress
    ) -> SyncReport:
        """Read one member's badges now (``/user-badges/{username}.json``, one request): what a
        moderator opening a member's profile needs, automatic badges included (a sync does not
        list their holders). A grant of an automatic badge the answer no longer shows is marked
        gone when the answer is complete (Discourse caps it at 96 grants)."""
        started = time.monotonic()
        run = _Run(token, progress, self._client.stats().requests_sent)
        run.stage = "refresh"
        self._run = run
        self._cancel = _Cancel(token)
        try:
            with self._cache.read() as conn:
                name = conn.execute(
                    text("SELECT username FROM users WHERE id = :u AND gone_since IS NULL"),
                    {"u": int(user_id)},
                ).scalar()
            if name:
                self._sync_member_badges(int(user_id), str(name))
            return self._report(run, started, finished=True, first_sync=False)
        finally:
            self._run = None

    def _sync_member_badges(self, user_id: int, username: str) -> None:
        path = f"/user-badges/{quote(username, safe='')}.json"
        try:
            data = self._get(path, None, parse_user_badges)
        except NotFound:  # badges disabled, or the member is gone
            return
        parsed = parse_user_badges(data, f"GET {path}")
        raw = [g for g in data.get("user_badges", []) if isinstance(g, Mapping)]
        grants = [
            {
                "id": g.id,
                "user_id": g.user_id if g.user_id is not None else user_id,
                "badge_id": g.badge_id,
                "granted_at": raw_g.get("granted_at"),
                "granted_by_id": g.granted_by_id,
                "post_id": g.post_id,
                "topic_id": g.topic_id,
                "post_number": g.post_number,
            }
            for g, raw_g in zip(parsed.user_badges, raw, strict=False)
            if g.badge_id is not None
        ]
        grants = [g for g in grants if g["user_id"] == user_id]
        with self._cache.write() as conn:
            self._changed("user_badges", repo.upsert_user_badges(conn, grants))
            automatic = json.loads(self._cursor(conn, ON_DEMAND_BADGES).hw_value or "{}")
            if len(raw) < 96 and automatic:
                gone = conn.execute(
                    text(
                        "UPDATE user_badges SET gone_since = :now WHERE user_id = :u AND gone_since IS NULL "
                        "AND badge_id IN (SELECT CAST(key AS INTEGER) FROM json_each(:auto)) "
                        "AND id NOT IN (SELECT value FROM json_each(:ids)) RETURNING id"
                    ),
                    {
                        "now": self._now(),
                        "u": user_id,
                        "auto": json.dumps(automatic),
                        "ids": json.dumps([g["id"] for g in grants]),
                    },
                ).all()
                self._changed("user_badges", [int(r[0]) for r in gone])

    def _sync_grants(self, badge: dict[str, Any]) -> None:
        bid = int(badge["id"])
        expected = badge.get("grant_count")
        offset = 0
        grants: list[dict[str, Any]] = []
        seen: set[int] = set()
        first_len: int | None = None
        while True:
            data = self._get("/user_badges.json", {"badge_id": bid, "offset": offset}, parse_user_badges)
            parsed = parse_user_badges(data, "GET /user_badges.json")
            info = data.get("user_badge_info") if isinstance(data.get("user_badge_info"), Mapping) else data
            raw = [g for g in info.get("user_badges", []) if isinstance(g, Mapping)]
            fresh = 0
            for g, raw_g in zip(parsed.user_badges, raw, strict=False):
                if g.id in seen or g.user_id is None:
                    continue
                seen.add(g.id)
                fresh += 1
                grants.append(
                    {
                        "id": g.id,
                        "user_id": g.user_id,
                        "badge_id": g.badge_id if g.badge_id is not None else bid,
                        "granted_at": raw_g.get("granted_at"),
                        "granted_by_id": g.granted_by_id,
                        "post_id": g.post_id,
                        "topic_id": g.topic_id,
                        "post_number": g.post_number,
                    }
                )
            n = len(parsed.user_badges)
            if first_len is None:
                first_len = n
            offset += n
            if n == 0 or fresh == 0 or n < first_len or (isinstance(expected, int) and offset >= expected):
                break
        with self._cache.write() as conn:
            self._changed("user_badges", repo.upsert_user_badges(conn, grants))
            revoked = conn.execute(
                text(
                    "UPDATE user_badges SET gone_since = :now WHERE badge_id = :b AND gone_since IS NULL "
                    "AND id NOT IN (SELECT value FROM json_each(:ids)) RETURNING id"
                ),
                {"now": self._now(), "b": bid, "ids": json.dumps(sorted(seen))},
            ).all()
            self._changed("user_badges", [int(r[0]) for r in revoked])
            self._changed("badges", repo.upsert_badges(conn, [badge]))

    # ============================================================ groups

    def _sync_groups(self, *, force: bool) -> None:
        with self._cache.read() as conn:
            cur = self._cursor(conn, "groups")
            groups = [
                (int(r[0]), str(r[1]))
                for r in conn.execute(
                    text("SELECT id, name FROM groups WHERE gone_since IS NULL ORDER BY id")
                )
            ]
        if not force and cur.last_complete_pass_at is not None and cur.pass_id is None:
            return
        after = int(cur.pass_page_token or 0) if cur.pass_id else 0
        with self._cache.write() as conn:
            repo.put_cursor(
                conn, replace(self._cursor(conn, "groups"), pass_id=cur.pass_id or uuid.uuid4().hex)
            )
        for i, (gid, name) in enumerate(groups):
            if gid <= after:
                continue
            self._sync_group(gid, name)
            self._emit(i + 1, len(groups))
        with self._cache.write() as conn:
            repo.put_cursor(conn, self._pass_done(self._cursor(conn, "groups")))

    def _sync_group(self, gid: int, name: str) -> None:
        q = quote(name, safe="")
        try:
            data = self._get(f"/groups/{q}.json", None, parse_group)
        except (NotFound, PermissionDenied):
            with self._cache.write() as conn:
                conn.execute(
                    text("UPDATE groups SET gone_since = :n WHERE id = :g AND gone_since IS NULL"),
                    {"n": self._now(), "g": gid},
                )
                cur = self._cursor(conn, "groups")
                repo.put_cursor(conn, replace(cur, pass_page_token=str(gid)))
            return
        g = data.get("group", data)
        row = _bool_row(
            _pick(g, _GROUP_KEYS),
            "automatic",
            "primary_group",
            "public_admission",
            "public_exit",
            "can_admin_group",
        )
        members: dict[int, dict[str, Any]] = {}
        offset = 0
        limit = self._opts.members_page
        while True:
            try:
                page = self._get(
                    f"/groups/{q}/members.json", {"offset": offset, "limit": limit}, parse_group_members
                )
            except Rejected:
                if limit == 50:
                    raise
                limit = 50
                continue
            except (NotFound, PermissionDenied):
                break
            owners = {int(o["id"]) for o in page.get("owners", []) if isinstance(o, Mapping)}
            batch = [m for m in page.get("members", []) if isinstance(m, Mapping)]
            for m in batch:
                uid = int(m["id"])
                members[uid] = {
                    "group_id": gid,
                    "user_id": uid,
                    "owner": uid in owners or bool(m.get("owner")),
                    "added_at": m.get("added_at"),
                }
            offset += len(batch)
            total = (page.get("meta") or {}).get("total")
            if not batch or len(batch) < limit or (isinstance(total, int) and offset >= total):
                break
        with self._cache.write() as conn:
            self._changed("groups", repo.upsert_groups(conn, [row]))
            changed = repo.upsert_group_members(conn, list(members.values()))
            removed = conn.execute(
                text(
                    "DELETE FROM group_members WHERE group_id = :g "
                    "AND user_id NOT IN (SELECT value FROM json_each(:ids)) RETURNING user_id"
                ),
                {"g": gid, "ids": json.dumps(sorted(members))},
            ).all()
            if changed or removed:
                self._changed("groups", [gid])
                self._changed("users", [u for _, u in changed] + [int(r[0]) for r in removed])
                self._flag("group_members", len(changed) + len(removed))
            cur = self._cursor(conn, "groups")
            repo.put_cursor(conn, replace(cur, pass_page_token=str(gid)))

    # ============================================================ reports

    def _read_report(self, rtype: str, start: date, end: date) -> Report | None:
        """One admin report over ``start``–``end``; ``None`` when this key may not read it (or the
        site has no such report)."""
        path = f"/admin/reports/{rtype}.json"
        try:
            data = self._get(
                path, {"start_date": start.isoformat(), "end_date": end.isoformat()}, parse_report
            )
        except (NotFound, PermissionDenied):
            return None
        return parse_report(data, f"GET {path}")

    def _sync_reports(self, *, force: bool) -> None:
        with self._cache.read() as conn:
            cur = self._cursor(conn, "reports")
        if not force and cur.last_complete_pass_at is not None:
            return
        now = _parse_iso(self._now()) or clock.now()
        end = now.date()
        start = end - timedelta(days=self._opts.report_days)
        for i, rtype in enumerate(self._opts.reports):
            report = self._read_report(rtype, start, end)
            if report is None:
                continue
            rows = [
                {
                    "report_type": rtype,
                    "facet": "",
                    "date": _day(p.x),
                    "value": p.y,
                    "fetched_at": self._now(),
                }
                for s in report.series[:1]
                for p in s.points
            ]
            with self._cache.write() as conn:
                n = len(
                    repo.upsert_report_points(
                        conn, [{k: v for k, v in r.items() if k != "fetched_at"} for r in rows]
                    )
                )
                if n:
                    self._flag("reports", n)
            self._emit(i + 1, len(self._opts.reports))
        with self._cache.write() as conn:
            repo.put_cursor(conn, replace(self._cursor(conn, "reports"), last_complete_pass_at=self._now()))


def _day(d: date) -> str:
    return d.isoformat()


ON_DEMAND_BADGES = "badges:on_demand"
"""Cursor whose ``hw_value`` maps each automatic badge's id to the ``grant_count`` its cached holders
were read at (``null``: never read). Holders are current when that equals the badge's count."""


def holders_on_demand(badge: Mapping[str, Any]) -> bool:
    """An automatic badge — a system badge or one granted by a query (``manually_grantable``
    false) — whose holders a sync does not list (they follow from the forum's rules)."""
    return bool(badge.get("system")) or badge.get("manually_grantable") is False


__all__ = [
    "FREE_MAIL_DOMAINS",
    "ON_DEMAND_BADGES",
    "STAGES",
    "SYNC_SCHEMA_VERSION",
    "SyncEngine",
    "SyncOptions",
    "SyncReport",
    "holders_on_demand",
]
