"""The run context the Discourse sync stages share, and their base class.

A :class:`SyncContext` holds what one engine owns — the client, the cache, the options, the
current run's state and the stages themselves; a :class:`Stage` reads it and brings the helpers
every stage needs: one validated GET with the run's retries, cursors, the server's clock, the
capabilities the ``site`` stage found, and the change set the run reports. A stage reaches another
stage only through ``self.stages`` (e.g. the listing asks ``reconcile`` to re-read a topic).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole.api.client import ApiClient, Params
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.changes import KINDS, Changes
from modconsole.connectors.discourse.sync.run import (
    SYNC_SCHEMA_VERSION,
    ClientCancel,
    Run,
    SyncOptions,
    iso,
    parse_iso,
)
from modconsole.errors import (
    ApiError,
    Cancelled,
    NetworkError,
    RateLimited,
    ServerUnavailable,
    UnexpectedPayload,
)
from modconsole.tasks import Progress

if TYPE_CHECKING:
    from modconsole.connectors.discourse.sync.badges import BadgesStage
    from modconsole.connectors.discourse.sync.groups import GroupsStage
    from modconsole.connectors.discourse.sync.lists import TopicListStage
    from modconsole.connectors.discourse.sync.mirror import BulkStage
    from modconsole.connectors.discourse.sync.posts import PostsStage
    from modconsole.connectors.discourse.sync.reconcile import ReconcileStage
    from modconsole.connectors.discourse.sync.reports import ReportsStage
    from modconsole.connectors.discourse.sync.site import SiteStage
    from modconsole.connectors.discourse.sync.solutions import SolutionsStage
    from modconsole.connectors.discourse.sync.users import UsersStage
    from modconsole.sync.plan import SyncPlan

log = logging.getLogger("modconsole.sync")

T = TypeVar("T")


@dataclass(frozen=True)
class Stages:
    """One engine's stages, by the concern they sync."""

    site: SiteStage
    lists: TopicListStage
    solutions: SolutionsStage
    posts: PostsStage
    reconcile: ReconcileStage
    users: UsersStage
    badges: BadgesStage
    groups: GroupsStage
    reports: ReportsStage
    bulk: BulkStage


@dataclass(eq=False)
class SyncContext:
    """What the stages of one engine share: the site, the cache, the options and the run."""

    client: ApiClient
    cache: Cache
    options: SyncOptions
    run: Run | None = None
    cancel: ClientCancel | None = None
    stages: Stages | None = None
    plan: SyncPlan | None = None
    """The day plan of the current ``run_once`` (:mod:`modconsole.sync.plan`): asked before each request."""


class Stage:
    """A unit of the sync over one :class:`SyncContext`, with the helpers every stage uses."""

    def __init__(self, ctx: SyncContext) -> None:
        self.ctx = ctx

    @property
    def stages(self) -> Stages:
        assert self.ctx.stages is not None
        return self.ctx.stages

    @property
    def _client(self) -> ApiClient:
        return self.ctx.client

    @property
    def _cache(self) -> Cache:
        return self.ctx.cache

    @property
    def _opts(self) -> SyncOptions:
        return self.ctx.options

    @property
    def _run(self) -> Run | None:
        return self.ctx.run

    @property
    def _cancel(self) -> ClientCancel | None:
        return self.ctx.cancel

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
        # what the run has written so far, for live views; any mirror change may move a figure
        kinds = {k for k in run.kinds if k in KINDS}
        if kinds & {"topics", "posts", "users"}:
            kinds.add("kpis")
        live = Changes.of(*sorted(kinds)) if kinds else None
        run.progress(Progress(run.stage, done, total, self._requests(), message, live))

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

    def _get_parsed(self, path: str, params: Params | None, parse: Callable[[Any, str], T]) -> tuple[Any, T]:
        """Like :meth:`_get`, for a parser that builds a typed value: the page is parsed once and
        both come back — the decoded JSON (what the cache rows are written from) and the value."""
        cancel = self._cancel
        assert cancel is not None
        route = f"GET {path}"

        def once() -> tuple[Any, T]:
            data = self._client.get_json(path, params, cancel=cancel)
            return data, parse(data, route)

        got: tuple[Any, T] = self._retrying(once)
        return got

    def _retrying(self, once: Callable[[], Any]) -> Any:
        run = self._run
        assert run is not None
        attempt = 0
        while True:
            run.token.raise_if_cancelled()
            if self.ctx.plan is not None:
                self.ctx.plan.before_request()  # may stop the run for the day (sync/plan.py)
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
        return iso(clock.now() + timedelta(seconds=offset))

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
        last = parse_iso(cur.last_full_rescan_at)
        now = parse_iso(self._now())
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
