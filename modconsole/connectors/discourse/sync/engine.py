"""The pull sync engine (Qt-free): fills the cache from a Discourse site, requests being the currency.

The engine only orders the stages; each stage is a small unit of its own module in this package
(:mod:`.site`, :mod:`.lists`, :mod:`.solutions`, :mod:`.posts`, :mod:`.reconcile`, :mod:`.users`,
:mod:`.badges`, :mod:`.groups`, :mod:`.reports`, :mod:`.mirror` with :mod:`.bulk`), sharing one
:class:`~.base.SyncContext`.

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

import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import text

from modconsole import settings
from modconsole.api.client import ApiClient
from modconsole.cache.db import Cache
from modconsole.changes import KINDS, Changes
from modconsole.connectors.discourse.sync.badges import BadgesStage
from modconsole.connectors.discourse.sync.base import Stage, Stages, SyncContext
from modconsole.connectors.discourse.sync.groups import GroupsStage
from modconsole.connectors.discourse.sync.lists import TopicListStage
from modconsole.connectors.discourse.sync.mirror import BulkStage
from modconsole.connectors.discourse.sync.posts import PostsStage
from modconsole.connectors.discourse.sync.reconcile import ReconcileStage
from modconsole.connectors.discourse.sync.reports import ReportsStage
from modconsole.connectors.discourse.sync.run import ClientCancel, Run, SyncOptions, SyncReport, chart_reports
from modconsole.connectors.discourse.sync.site import SiteStage
from modconsole.connectors.discourse.sync.solutions import SolutionsStage
from modconsole.connectors.discourse.sync.users import UsersStage
from modconsole.tasks import CancelToken, ProgressCallback, ignore_progress


class SyncEngine(Stage):
    """Pull sync of one site into one cache. Not thread-safe: one run at a time."""

    def __init__(self, client: ApiClient, cache: Cache, *, options: SyncOptions | None = None) -> None:
        ctx = SyncContext(client, cache, options or SyncOptions())
        super().__init__(ctx)
        ctx.stages = Stages(
            site=SiteStage(ctx),
            lists=TopicListStage(ctx),
            solutions=SolutionsStage(ctx),
            posts=PostsStage(ctx),
            reconcile=ReconcileStage(ctx),
            users=UsersStage(ctx),
            badges=BadgesStage(ctx),
            groups=GroupsStage(ctx),
            reports=ReportsStage(ctx),
            bulk=BulkStage(ctx),
        )

    @property
    def options(self) -> SyncOptions:
        return self._opts

    def run_once(self, token: CancelToken, progress: ProgressCallback = ignore_progress) -> SyncReport:
        """One sync pass (first, resumed or incremental). Raises ``Cancelled`` (committed work is
        kept) or an ``ApiError`` (the pass pauses at its cursor; the next run resumes there)."""
        from dataclasses import replace

        from modconsole.sync.plan import DayBudgetSpent, SyncPlan  # not at import: sync imports us
        from modconsole.sync.plan import wrap as plan_progress

        started = time.monotonic()
        plan = SyncPlan(
            self._client, self._cache, reports=len(chart_reports(self._opts)), bulk=self._opts.bulk
        )
        run = Run(token, plan_progress(plan, progress), self._client.stats().requests_sent)
        self.ctx.run = run
        self.ctx.cancel = ClientCancel(token)
        self.ctx.plan = plan
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
            self.ctx.plan = None
            self.ctx.run = None

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
        run = Run(token, progress, self._client.stats().requests_sent)
        run.stage = "refresh"
        self.ctx.run = run
        self.ctx.cancel = ClientCancel(token)
        try:
            for tid in sorted({int(t) for t in topic_ids}):
                token.raise_if_cancelled()
                self.stages.reconcile.reconcile_topic(tid)
            users = sorted({int(u) for u in user_ids})
            if users:
                with self._cache.read() as conn:
                    emails = bool(self._cursor(conn, "users").hw_id)
                for uid in users:
                    token.raise_if_cancelled()
                    self.stages.users.refresh_user(uid, emails)
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
                    self.stages.groups.sync_group(gid, name)
            badges = {int(b) for b in badge_ids}
            if badges:
                token.raise_if_cancelled()
                self.stages.badges.sync_badges(only=badges)
            return self._report(run, started, finished=True, first_sync=False)
        finally:
            self.ctx.run = None

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

    def _run_stages(self, run: Run, started: float) -> SyncReport:
        c = self._cursors()
        # The first sync lasts until one whole run has completed (it may take several runs).
        first_sync = c.get("rescan") is None or c["rescan"].last_full_rescan_at is None
        rescan_due = (not first_sync) and (self._opts.force_rescan or self._rescan_due(c))
        run.rescanned = rescan_due
        listing_needed = (
            not self._done(c, "topics:listing") or self._in_pass(c, "topics:listing") or rescan_due
        )

        self._stage(
            "site", lambda: self.stages.site.sync_site(refresh=rescan_due or not self._done(c, "site"))
        )
        # Mirror queries shared with this key list every topic (the open questions too) in a few
        # runs: no REST queue walk first (⌈unsolved/100⌉ requests) — see bulk.py.
        bulk_source = self.stages.bulk.find_bulk() if listing_needed and self._opts.bulk else None
        if not self._done(c, "topics:queue") and bulk_source is None:
            self._stage("queue", self.stages.lists.sync_queue)
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
            # stage reads it once its topics are in, before their posts (bulk.py).
            later = fresh and bulk_source is not None and self.stages.bulk.no_topics()
            if fresh and not later:
                self._stage("solutions", self.stages.solutions.check_solutions)
            after_topics = self.stages.solutions.check_solutions if later else None
            if bulk_source is not None and self.stages.bulk.sync_bulk(bulk_source, after_topics):
                if not run.queue_complete:
                    self.stages.bulk.queue_from_bulk()
                    if self._opts.stop_after_queue:
                        return self._report(run, started, finished=False, first_sync=first_sync)
            else:
                if later and run.solutions_signal is None:
                    self._stage("solutions", self.stages.solutions.check_solutions)
                if not self._done(c, "topics:queue") and not run.queue_complete:
                    self._queue_stage()  # the bulk stage fell back to REST
                    if self._opts.stop_after_queue:
                        return self._report(run, started, finished=False, first_sync=first_sync)
                self._stage("topics", lambda: self.stages.lists.sync_listing(rescan=relisting))
        else:
            self._stage("activity", self.stages.lists.sync_activity)
            self._stage("solutions", self.stages.solutions.check_solutions)
            if run.solutions_moved:
                self._stage("unsolved", self.stages.solutions.sync_unsolved)
                self._stage("solved", self.stages.solutions.sync_solved)
                self.stages.solutions.remember_solutions_signal()

        posts_cursor = self._cursors().get("posts:latest")
        if posts_cursor is None or posts_cursor.last_complete_pass_at is None:
            self._stage("posts", lambda: self.stages.posts.sync_posts(full=True))
        elif posts_cursor.pass_id is not None or run.topics_moved:
            self._stage("posts", lambda: self.stages.posts.sync_posts(full=False))
        if self._opts.deep_rescan and not first_sync:
            self._stage("posts", lambda: self.stages.posts.sync_posts(full=True, restart=True))
        if listing_needed:
            # The listing read its first pages before topics created (or bumped) later — while it
            # ran, or while an interrupted sync waited to resume — existed: one activity page
            # (usually) catches them, and the tail their posts, so the run ends with nothing
            # missing that existed before it finished.
            run.topics_moved = False  # the tail above already served what the listing moved
            self._stage("activity", self.stages.lists.sync_activity)
            if run.topics_moved:
                self._stage("posts", lambda: self.stages.posts.sync_posts(full=False))
            if fresh:
                self.stages.solutions.remember_solutions_signal()

        self._stage("reconcile", lambda: self.stages.reconcile.sync_reconcile(scan_all=rescan_due))
        staff = self._capability("staff")
        if staff:
            self._stage("users", lambda: self.stages.users.sync_users(full=rescan_due))
        if first_sync or rescan_due or self.stages.badges.badges_due(c):
            self._stage("badges", self.stages.badges.sync_badges)
        self._stage("groups", lambda: self.stages.groups.sync_groups(force=rescan_due))
        if staff and chart_reports(self._opts):
            self._stage("reports", lambda: self.stages.reports.sync_reports(force=rescan_due))
        if rescan_due or first_sync:
            self._mark_rescanned()
        return self._report(run, started, finished=True, first_sync=first_sync)

    def _queue_stage(self) -> None:
        run = self._run
        assert run is not None
        self._stage("queue", self.stages.lists.sync_queue)
        if run.queue_complete:
            run.requests_until_queue = self._requests()

    def _report(self, run: Run, started: float, *, finished: bool, first_sync: bool) -> SyncReport:
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
        run = Run(token, progress, self._client.stats().requests_sent)
        run.stage = "refresh"
        self.ctx.run = run
        self.ctx.cancel = ClientCancel(token)
        try:
            with self._cache.read() as conn:
                name = conn.execute(
                    text("SELECT username FROM users WHERE id = :u AND gone_since IS NULL"),
                    {"u": int(user_id)},
                ).scalar()
            if name:
                self.stages.badges.sync_member_badges(int(user_id), str(name))
            return self._report(run, started, finished=True, first_sync=False)
        finally:
            self.ctx.run = None
