"""The Vanilla sync: orders the stages of :mod:`.content` and :mod:`.people` (Qt-free).

First sync and rescans (every ``rescan_interval_seconds`` of server time, or ``force_rescan``):
``categories`` → ``users`` → (first sync only) ``queue``: the open questions, with provisional
queue fields from their Q&A status, so the queue is complete after ⌈open questions / 100⌉ + 3
requests → ``discussions`` (every one, by id) → ``comments`` (every one, by id; answer statuses with
them; the exact queue fields replace the provisional ones) → ``badges`` (+ holders) → ``groups``
(+ members). Rows a full pass did not list get ``gone_since``. A full pass is checkpointed page by
page (each page's rows and the next page's address in one transaction, ``VStage.walk``): a run that
stops — killed, cancelled, a server fault — leaves the pass open, and the next run resumes it where
it stopped (walks it finished are not repeated), from the server time the pass began. The comments
walk settles the queue fields and rollups once, with its last page; until then the queue shows the
provisional fields the open questions gave.

Incremental runs, from the watermark (the server time the last run started, minus
``overlap_seconds``): ``discussions`` whose ``dateLastComment`` moved (new ones and bumped ones),
the ``comments`` tail by ``dateInserted`` (sunk discussions too), and the ``answers`` fingerprint —
**3 requests when nothing changed**. On change: the discussions of tail comments not already read
(by id, 100 a request), the members new content names, and the accepted answers when the
fingerprint moved. Edits (``dateUpdated`` of discussions and comments) are read when the last edit
check is older than ``edits_interval_seconds`` (two requests).
"""

from __future__ import annotations

import contextlib
import json
import math
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from modconsole import settings
from modconsole.api.client import ApiClient
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.changes import KINDS, Changes
from modconsole.connectors.sync_run import (
    ClientCancel,
    Run,
    SyncOptionsLike,
    SyncProgress,
    SyncReport,
    iso,
    parse_iso,
)
from modconsole.connectors.vanilla import endpoints as ep
from modconsole.connectors.vanilla import parse
from modconsole.connectors.vanilla.sync.base import PAGE, SCHEMA_VERSION, VContext, VStage, note_failure
from modconsole.connectors.vanilla.sync.content import (
    AnswersStage,
    CategoriesStage,
    CommentsStage,
    DiscussionsStage,
)
from modconsole.connectors.vanilla.sync.people import BadgesStage, GroupsStage, UsersStage
from modconsole.emails import FREE_MAIL_DOMAINS
from modconsole.errors import ApiError
from modconsole.tasks import CancelToken, Progress, ProgressCallback, ignore_progress

EDITS_INTERVAL_SECONDS = 600.0
"""How often an incremental run also asks for edited discussions and comments (server time)."""


@dataclass(frozen=True)
class VanillaSyncOptions:
    """The options the Vanilla sync reads, when the workspace gives none (it passes the console's
    ``SyncOptions``, which have these and more)."""

    overlap_seconds: float = 600.0
    rescan_interval_seconds: float = 24 * 3600.0
    force_rescan: bool = False
    page_retries: int = 2
    retry_wait: float = 1.0
    vendor_domains: frozenset[str] | None = None
    free_mail_domains: frozenset[str] = FREE_MAIL_DOMAINS
    stop_after_queue: bool = False


class VanillaSync(VStage):
    """Pull sync of one Vanilla site into one cache. One run at a time."""

    def __init__(self, client: ApiClient, cache: Cache, *, options: SyncOptionsLike | None = None) -> None:
        super().__init__(VContext(client, cache, options or VanillaSyncOptions()))
        self.categories = CategoriesStage(self.ctx)
        self.discussions = DiscussionsStage(self.ctx)
        self.comments = CommentsStage(self.ctx)
        self.answers = AnswersStage(self.ctx)
        self.users = UsersStage(self.ctx)
        self.badges = BadgesStage(self.ctx)
        self.groups = GroupsStage(self.ctx)
        self._totals: tuple[str, tuple[int, int, int, int, int]] | None = None
        """The cache's counts behind ``_cost_left``: read when a stage begins and every
        ``TOTALS_EVERY`` reports after, not for every page."""
        self._totals_age = 0

    @property
    def options(self) -> Any:  # SyncOptionsLike (the workspace's SyncOptions, or VanillaSyncOptions)
        return self.ctx.options

    # -- runs

    def run_once(self, token: CancelToken, progress: ProgressCallback = ignore_progress) -> SyncReport:
        """One pass (first, rescan or incremental). Raises ``Cancelled`` or an ``ApiError``; what was
        committed stays: an interrupted full pass resumes at its checkpoints with the next run, an
        incremental one starts over from the last completed watermark."""
        started = time.monotonic()
        self._totals = None  # counts of an earlier run on this engine are not this one's
        self.ctx.run = Run(
            token, lambda p: progress(self._planned(p, started)), self.client.stats().requests_sent
        )
        self.ctx.cancel = ClientCancel(token)
        try:
            report = self._run(started)
            settings.store(
                self.cache,
                settings.LAST_SYNC_RUN,
                {
                    "at": self.now(),
                    "finished": report.finished,
                    "first_sync": report.first_sync,
                    "rescanned": report.rescanned,
                    "requests_total": report.requests_total,
                    "requests": dict(report.requests),
                    "duration_s": round(report.duration, 3),
                },
            )
            return report
        finally:
            self.ctx.run = None

    def _run(self, started: float) -> SyncReport:
        run = self.run
        began = self.now()
        rescan = self.cursor("rescan")
        open_pass = self.cursor("pass")
        first = rescan.last_full_rescan_at is None
        resumed = open_pass.pass_id is not None
        due = not first and (
            resumed or self.options.force_rescan or self._older(rescan.last_full_rescan_at, "rescan")
        )
        run.rescanned = due
        if first or due:
            # A full pass is checkpointed page by page (``VStage.walk``): a run that stops — killed,
            # cancelled, a server fault — leaves it open, and the next run goes on where it stopped,
            # from the same server time (what changed meanwhile, the next incremental reads).
            if resumed:
                began = open_pass.pass_started_server_time or began
                run.notes.append("resumed the full pass an earlier run began")
            else:
                self.put_cursor(
                    open_pass,
                    pass_id=uuid.uuid4().hex,
                    pass_started_server_time=began,
                    pass_target_value="first" if first else "rescan",
                )
            self.ctx.pass_id = self.cursor("pass").pass_id
            try:
                finished = self._full(first, began)
            finally:
                self.ctx.pass_id = None
            if not finished:
                return self._report(started, finished=False, first_sync=first)
        else:
            mark = self.cursor("watermark").hw_value or began
            since = self._minus(mark, self.options.overlap_seconds)
            read: set[int] = set()
            tail: set[int] = set()
            moved: set[int] = set()
            self._stage("discussions", lambda: read.update(self.discussions.since(since)))
            self._stage("comments", lambda: tail.update(self.comments.tail(since)))
            self._stage("answers", lambda: moved.update(self.answers.check()))
            edits = self.cursor("edits")
            if self._older(edits.hw_value, "edits"):
                since_e = self._minus(edits.hw_value or began, self.options.overlap_seconds)
                self._stage("edits", lambda: read.update(self.discussions.edited_since(since_e)))
                self._stage("edits", lambda: tail.update(self.comments.edited_since(since_e)))
                self.put_cursor(edits, hw_value=began, last_complete_pass_at=self.now())
            orphans = self._orphans()
            stale = (tail | moved | orphans) - read
            if stale:
                self._stage("discussions", lambda: self.discussions.by_ids(stale))
            if orphans:
                self._orphans_gone(orphans)
            run.queue_complete = True
            self._stage("users", lambda: self.users.missing(self._authors(run.ids.get("topics", set()))))
            # (a full pass sets the watermark in its closing transaction, with its other cursors)
            self.put_cursor(self.cursor("watermark"), hw_value=began, last_complete_pass_at=self.now())
        return self._report(started, finished=True, first_sync=first)

    def _full(self, first: bool, began: str) -> bool:
        """The full pass's stages (walks a resumed pass finished are skipped by their checkpoints);
        False when it stops after the queue (``stop_after_queue``: the pass stays open)."""
        run = self.run
        topics_pass = self.discussions.pass_mark("topics")
        posts_pass = self.comments.pass_mark("posts")
        self._stage("categories", self.categories.sync)
        self._stage("users", self.users.full)  # the askers' names, which the queue shows
        if first:
            # then the open questions, before any other content: the queue is complete after
            # ⌈open questions / 100⌉ more requests
            self._stage("queue", lambda: self.discussions.open_questions(topics_pass))
            run.queue_complete = True
            run.requests_until_queue = self.requests()
            if self.options.stop_after_queue:
                return False
        self._stage("discussions", lambda: self.discussions.full(topics_pass))
        self._stage("comments", lambda: self.comments.full(posts_pass))
        self._stage("answers", lambda: self.answers.remember(self.answers.signal()))
        self._gone(topics_pass, posts_pass)
        run.queue_complete = True
        self._stage("badges", self.badges.sync)
        self._stage("groups", self.groups.sync)
        now = self.now()
        ends = (
            ("rescan", {"last_full_rescan_at": now, "last_complete_pass_at": now}),
            ("edits", {"hw_value": began, "last_complete_pass_at": now}),
            ("watermark", {"hw_value": began, "last_complete_pass_at": now}),
            ("pass", {"pass_id": None, "pass_started_server_time": None, "pass_target_value": None}),
        )
        with self.cache.write() as conn:  # the pass ends with its cursors, in one transaction
            for name, changes in ends:
                res = f"vanilla:{name}"
                cur = repo.get_cursor(conn, res, schema_version=SCHEMA_VERSION)
                repo.put_cursor(conn, replace(cur or repo.CursorState(res, SCHEMA_VERSION), **changes))
        return True

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
        """Re-read these discussions (with their comments), members, groups and badges now."""
        started = time.monotonic()
        self._totals = None  # counts of an earlier run on this engine are not this one's
        self.ctx.run = Run(token, progress, self.client.stats().requests_sent)
        self.ctx.run.stage = "refresh"
        self.ctx.cancel = ClientCancel(token)
        try:
            topics = sorted({int(t) for t in topic_ids})
            if topics:
                self.discussions.by_ids(topics)
                for tid in topics:
                    for page in self.pages(
                        ep.comments(), self.comments.params(discussionID=tid), parse.comments
                    ):
                        self.comments.write(page)
            for uid in sorted({int(u) for u in user_ids}):
                got, _ = self.get(ep.user(uid), {"expand": "profileFields"}, lambda d, r: (parse.user(d, r),))
                self.users.write(got)
            for gid in sorted({int(g) for g in group_ids}):
                self.groups.members(gid)
            if set(badge_ids):
                self.badges.sync()
            return self._report(started, finished=True, first_sync=False)
        finally:
            self.ctx.run = None

    def fetch_badge_holders(
        self, token: CancelToken, badge_id: int, progress: ProgressCallback = ignore_progress
    ) -> SyncReport:
        return self.refresh(token, badge_ids=[int(badge_id)], progress=progress)

    def fetch_member_badges(
        self, token: CancelToken, user_id: int, progress: ProgressCallback = ignore_progress
    ) -> SyncReport:
        """A member's badges: Vanilla's holders list is read whole (a badge is held once)."""
        return self.refresh(token, badge_ids=[-1], progress=progress)

    # -- progress

    FULL_ORDER = ("categories", "users", "queue", "discussions", "comments", "answers", "badges", "groups")

    def _planned(self, p: Progress, started: float) -> Progress:
        """A full pass's report with the requests it has left and when it ends at this run's pace
        (the console's status area and ``modconsole sync`` show them as on Discourse); other runs'
        reports pass as they are."""
        if self.ctx.pass_id is None or p.stage not in self.FULL_ORDER:
            return p
        left = self._cost_left(p)
        elapsed = time.monotonic() - started
        eta = elapsed / p.requests * left if p.requests and elapsed > 0 else None
        return SyncProgress(
            p.stage,
            p.done,
            p.total,
            p.requests,
            p.message,
            p.changes,
            phase="queue" if p.stage == "queue" else "",
            cost_left=left,
            stage_costs=(),
            eta_seconds=eta,
        )

    def _cost_left(self, p: Progress) -> int:
        """Requests the full pass has left: list pages from the counts the cache holds (categories
        count their discussions, discussions their comments), one or two for the small lists."""
        listed, cached, replies, grants, groups = self._stage_totals(p.stage)
        topics = max(int(listed or 0), int(cached or 0))
        comments = int(replies or 0)
        if cached and topics > cached:  # discussions not all read yet: scale what they count
            comments = comments * topics // int(cached)
        costs = {
            "categories": 1,
            "users": 1,
            "queue": 1,
            "discussions": math.ceil(topics / PAGE),
            "comments": math.ceil(comments / PAGE),
            "answers": 1,
            "badges": 1 + math.ceil(int(grants or 0) / PAGE),
            "groups": 1 + int(groups or 0),
        }
        at = self.FULL_ORDER.index(p.stage)
        here = costs[p.stage]
        if p.stage == "groups" and p.total is not None:  # reading the members, group by group
            here = p.total - p.done
        elif p.stage in ("discussions", "comments"):
            here = math.ceil(
                max(0, (p.total or (topics if p.stage == "discussions" else comments)) - p.done) / PAGE
            )
        return here + sum(costs[s] for s in self.FULL_ORDER[at + 1 :])

    TOTALS_EVERY = 25

    def _stage_totals(self, stage: str) -> tuple[int, int, int, int, int]:
        """Categories' discussion counts, cached discussions, their comment counts, badge grants and
        groups. They scan the whole topics table, so they are read when a stage begins and every
        ``TOTALS_EVERY`` reports (the discussions read so far sharpen the comment estimate), not
        for every page: the stage's own ``done``/``total`` say how far it is in between."""
        self._totals_age += 1
        if self._totals is None or self._totals[0] != stage or self._totals_age >= self.TOTALS_EVERY:
            self._totals_age = 0
            with self.cache.read() as conn:
                row = conn.execute(
                    text(
                        "SELECT (SELECT sum(topic_count) FROM categories WHERE gone_since IS NULL), "
                        "(SELECT count(*) FROM topics WHERE gone_since IS NULL), "
                        "(SELECT sum(reply_count) FROM topics WHERE gone_since IS NULL), "
                        "(SELECT sum(grant_count) FROM badges WHERE gone_since IS NULL), "
                        "(SELECT count(*) FROM groups WHERE gone_since IS NULL)"
                    )
                ).one()
            listed, cached, replies, grants, groups = (int(v or 0) for v in row)
            self._totals = (stage, (listed, cached, replies, grants, groups))
        return self._totals[1]

    # -- helpers

    def _authors(self, topic_ids: Iterable[int]) -> set[int]:
        ids = sorted(set(topic_ids))
        if not ids:
            return set()
        with self.cache.read() as conn:
            return {
                int(r[0])
                for r in conn.execute(
                    text(
                        "SELECT DISTINCT user_id FROM posts WHERE user_id IS NOT NULL "
                        "AND topic_id IN (SELECT value FROM json_each(:ids))"
                    ),
                    {"ids": json.dumps(ids)},
                )
            }

    def _orphans(self) -> set[int]:
        """Discussions the cache knows only by their comments (a list skipped them while they
        changed, or an older version left them): read again by id in an incremental run."""
        with self.cache.read() as conn:
            return {
                int(r[0])
                for r in conn.execute(
                    text(
                        "SELECT DISTINCT topic_id FROM posts WHERE topic_id NOT IN (SELECT id FROM topics) "
                        "AND gone_since IS NULL"
                    )
                )
            }

    def _orphans_gone(self, topic_ids: set[int]) -> None:
        """Comments of discussions the re-read did not find go with them (none is retried forever)."""
        with self.cache.write() as conn:
            gone = [
                int(r[0])
                for r in conn.execute(
                    text(
                        "UPDATE posts SET gone_since = :now WHERE gone_since IS NULL "
                        "AND topic_id IN (SELECT value FROM json_each(:ids)) "
                        "AND topic_id NOT IN (SELECT id FROM topics) RETURNING id"
                    ),
                    {"now": self.now(), "ids": json.dumps(sorted(topic_ids))},
                )
            ]
            if gone:
                repo.refresh_fts(conn, post_ids=gone)
        self.changed("posts", gone)

    def _gone(self, topics_pass: str, posts_pass: str) -> None:
        with self.cache.write() as conn:
            gone_topics = repo.mark_unseen_gone(conn, "topics", topics_pass, self.now())
            # opening posts (negative ids) go with their discussion; comments with their own pass
            gone_posts = {
                int(r[0])
                for r in conn.execute(
                    text(
                        "UPDATE posts SET gone_since = :now WHERE gone_since IS NULL AND id > 0 "
                        "AND seen_in_pass IS NOT :p RETURNING id"
                    ),
                    {"now": self.now(), "p": posts_pass},
                )
            }
            if gone_topics:
                conn.execute(
                    text(
                        "UPDATE posts SET gone_since = :now WHERE gone_since IS NULL AND id < 0 "
                        "AND -id IN (SELECT value FROM json_each(:ids))"
                    ),
                    {"now": self.now(), "ids": json.dumps(sorted(gone_topics))},
                )
            # the walk wrote rows without their derived state: every discussion's queue fields and
            # every rollup, once, from the posts that stayed (what went just now counts no more)
            repo.rebuild_derived(conn)
        self.changed("topics", gone_topics)
        self.changed("posts", gone_posts)

    def _older(self, value: str | None, what: str) -> bool:
        if value is None:
            return True
        last, now = parse_iso(value), parse_iso(self.now())
        if last is None or now is None:
            return True
        limit = self.options.rescan_interval_seconds if what == "rescan" else EDITS_INTERVAL_SECONDS
        return (now - last).total_seconds() >= limit

    @staticmethod
    def _minus(value: str, seconds: float) -> str:
        dt = parse_iso(value)
        return value if dt is None else iso(dt - timedelta(seconds=seconds))

    def _stage(self, name: str, fn: Callable[[], object]) -> None:
        run = self.run
        run.token.raise_if_cancelled()
        before = self.requests()
        bytes_before = self.client.stats().bytes_received
        run.stage = name
        self.emit(0)
        try:
            fn()
        except ApiError as err:
            with contextlib.suppress(Exception):  # never mask the real error
                note_failure(self.cache, name, err)
            raise
        finally:
            run.stage_requests[name] = run.stage_requests.get(name, 0) + self.requests() - before
            got = self.client.stats().bytes_received - bytes_before
            run.stage_bytes[name] = run.stage_bytes.get(name, 0) + got

    def _report(self, started: float, *, finished: bool, first_sync: bool) -> SyncReport:
        run = self.run
        kw: dict[str, Any] = {}
        names = {
            "topics": "topic_ids",
            "posts": "post_ids",
            "users": "user_ids",
            "badges": "badge_ids",
            "user_badges": "user_badge_ids",
            "groups": "group_ids",
            "categories": "category_ids",
        }
        for kind, ids in run.ids.items():
            if kind in names and ids:
                kw[names[kind]] = frozenset(ids)
        for kind in run.kinds:
            if kind in KINDS:
                kw[kind] = True
        return SyncReport(
            changes=Changes(**kw),
            counts=dict(run.counts),
            requests=dict(run.stage_requests),
            requests_total=self.requests(),
            requests_until_queue=run.requests_until_queue,
            duration=time.monotonic() - started,
            queue_complete=run.queue_complete,
            finished=finished,
            first_sync=first_sync,
            rescanned=run.rescanned,
            notes=tuple(run.notes),
            bytes_received=dict(run.stage_bytes),
        )
