"""What Vanilla's sync stages share: the run context, paging over the ``Link`` header, cursors.

Same ideas as the Discourse stages (``connectors/discourse/sync/base.py``), written for Vanilla and
importing nothing from Discourse: a :class:`VContext` holds the client, cache, options and run; a
:class:`VStage` brings one validated, parsed GET with the run's retries, paging that follows
``next`` (never stopping on a short or empty page, CONTRACT §3.4), cursors under ``vanilla:*``, the
server's clock, and the change set the run reports."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, TypeVar

import httpx
from sqlalchemy import Connection

from modconsole import clock
from modconsole.api.client import ApiClient
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.connectors.sync_run import ClientCancel, Run, SyncOptionsLike, iso
from modconsole.connectors.vanilla import parse
from modconsole.connectors.vanilla.endpoints import Route
from modconsole.errors import (
    ApiError,
    Cancelled,
    NetworkError,
    RateLimited,
    ServerUnavailable,
    UnexpectedPayload,
)
from modconsole.tasks import Progress

T = TypeVar("T")

SCHEMA_VERSION = 1
"""Bump when what the Vanilla mirror means changes: its cursors are forgotten and data re-pulled."""

PAGE = 100
"""Rows asked per page: the contract says stay ≤ 100 (the published YAML's maximum, §8)."""


@dataclass(eq=False)
class VContext:
    client: ApiClient
    cache: Cache
    options: SyncOptionsLike
    run: Run | None = None
    cancel: ClientCancel | None = None
    pass_id: str | None = None
    """The full pass (first sync or rescan) under way: its walks are checkpointed under this id."""


END = "end"
"""A walk's page token once its last page is written (with the walk's closing steps)."""


class VStage:
    """A unit of the Vanilla sync over one :class:`VContext`."""

    def __init__(self, ctx: VContext) -> None:
        self.ctx = ctx

    @property
    def run(self) -> Run:
        assert self.ctx.run is not None
        return self.ctx.run

    @property
    def client(self) -> ApiClient:
        return self.ctx.client

    @property
    def cache(self) -> Cache:
        return self.ctx.cache

    def requests(self) -> int:
        return self.client.stats().requests_sent - self.run.base_requests

    def emit(self, done: int, total: int | None = None, message: str = "") -> None:
        self.run.progress(Progress(self.run.stage, done, total, self.requests(), message))

    # -- reading

    def get(
        self, route: Route, params: Mapping[str, Any] | None, parse_fn: Callable[[Any, str], T]
    ) -> tuple[T, parse.Paging]:
        """One page, parsed (a page that cannot be understood is not applied), and its paging."""
        cancel = self.ctx.cancel
        assert cancel is not None
        attempt = 0
        while True:
            self.run.token.raise_if_cancelled()
            try:
                data, headers = self.client.get_page(route.path, params, cancel=cancel)
                return parse_fn(data, route.label), parse.paging(headers)
            except (ServerUnavailable, NetworkError, RateLimited, UnexpectedPayload) as err:
                garbled = (
                    isinstance(err, UnexpectedPayload)
                    and err.retryable
                    and "web page" not in err.user_message
                )
                if not (garbled or isinstance(err, ServerUnavailable | NetworkError | RateLimited)):
                    raise
                if attempt >= self.ctx.options.page_retries:
                    raise
                attempt += 1
                if self.run.token.wait(float(self.ctx.options.retry_wait * attempt)):
                    raise Cancelled("The sync was cancelled.") from None

    def pages(
        self, route: Route, params: Mapping[str, Any], parse_fn: Callable[[Any, str], tuple[T, ...]]
    ) -> Iterator[tuple[T, ...]]:
        """Every page of a list, following ``next`` (cursor or numbered) until there is none."""
        path: str = route.path
        query: dict[str, Any] = dict(params)
        while True:
            items, paging = self.get(Route(route.method, path), query, parse_fn)
            yield items
            if paging.next_url is None:
                return
            path, query = self._relative(paging.next_url, route)

    def walk(
        self,
        name: str,
        route: Route,
        params: Mapping[str, Any],
        parse_fn: Callable[[Any, str], tuple[T, ...]],
        apply: Callable[[Connection, tuple[T, ...], bool], None],
        *,
        total: int | None = None,
    ) -> None:
        """Every page of a list, each applied (``apply(conn, items, last)``) in one transaction with
        its checkpoint: the next page's address, under the full pass (``ctx.pass_id``). A walk the
        pass began before resumes at that page; one it finished is skipped (its closing steps ran
        with its last page, ``last`` true). Outside a full pass nothing is checkpointed."""
        pass_id = self.ctx.pass_id
        res = f"walk:{name}"
        path: str = route.path
        query: dict[str, Any] = dict(params)
        done = 0
        if pass_id is not None:
            cur = self.cursor(res)
            if cur.pass_id == pass_id and cur.pass_page_token:
                if cur.pass_page_token == END:
                    return
                saved = json.loads(cur.pass_page_token)
                path, query, done = str(saved["path"]), dict(saved["query"]), int(cur.hw_id or 0)
        while True:
            items, paging = self.get(Route(route.method, path), query, parse_fn)
            nxt = None if paging.next_url is None else self._relative(paging.next_url, route)
            done += len(items)
            with self.cache.write() as conn:
                apply(conn, items, nxt is None)
                if pass_id is not None:
                    token = END if nxt is None else json.dumps({"path": nxt[0], "query": nxt[1]})
                    repo.put_cursor(
                        conn,
                        repo.CursorState(
                            f"vanilla:{res}",
                            SCHEMA_VERSION,
                            pass_id=pass_id,
                            pass_page_token=token,
                            hw_id=done,
                        ),
                    )
            self.emit(done, total)
            if nxt is None:
                return
            path, query = nxt

    def _relative(self, url: str, route: Route) -> tuple[str, dict[str, Any]]:
        base = httpx.URL(self.client.base_url)
        nxt = httpx.URL(url)
        if nxt.is_absolute_url and (nxt.host, nxt.port) != (base.host, base.port):
            raise UnexpectedPayload(
                "The community sent a page link to another address.",
                route=route.label,
                detail=f"next page on {nxt.host}",
                retryable=False,
            )
        prefix = base.path.rstrip("/")
        path = nxt.path[len(prefix) :] if prefix and nxt.path.startswith(prefix) else nxt.path
        query: dict[str, Any] = {}
        for k, v in nxt.params.multi_items():
            query.setdefault(k, []).append(v)
        return path, {k: v[0] if len(v) == 1 else v for k, v in query.items()}

    def pass_mark(self, what: str) -> str:
        """The ``seen_in_pass`` mark of ``what`` (a table) in the full pass under way, the same in a
        run that resumes it; outside a full pass, a new one."""
        return f"{self.ctx.pass_id}:{what}" if self.ctx.pass_id else uuid.uuid4().hex

    # -- cursors and time

    def now(self) -> str:
        return iso(clock.now() + timedelta(seconds=self.client.clock_offset or 0.0))

    def cursor(self, resource: str) -> repo.CursorState:
        with self.cache.read() as conn:
            cur = repo.get_cursor(conn, f"vanilla:{resource}", schema_version=SCHEMA_VERSION)
        return cur or repo.CursorState(f"vanilla:{resource}", SCHEMA_VERSION)

    def put_cursor(self, cur: repo.CursorState, **changes: Any) -> None:
        with self.cache.write() as conn:
            repo.put_cursor(conn, replace(cur, **changes))

    # -- what changed

    def changed(self, kind: str, ids: Iterable[int]) -> None:
        got = set(ids)
        if not got:
            return
        self.run.ids.setdefault(kind, set()).update(got)
        self.run.counts[kind] = len(self.run.ids[kind])
        self.run.kinds.add(kind)

    def flag(self, kind: str, n: int = 1) -> None:
        if n:
            self.run.kinds.add(kind)
            self.run.counts[kind] = self.run.counts.get(kind, 0) + n


def note_failure(cache: Cache, stage: str, err: ApiError) -> None:
    """Record a stage's error on its cursor (own transaction; the failed page was not applied)."""
    with cache.write() as conn:
        res = f"vanilla:stage:{stage}"
        cur = repo.get_cursor(conn, res) or repo.CursorState(res, SCHEMA_VERSION)
        repo.put_cursor(
            conn,
            replace(
                cur,
                consecutive_failures=cur.consecutive_failures + 1,
                last_error=f"{type(err).__name__}: {err.user_message} [{err.route or '?'}]"[:500],
            ),
        )


def csv(ids: Iterable[int]) -> str:
    return ",".join(str(i) for i in sorted(set(ids)))


def chunks(ids: Iterable[int], n: int = PAGE) -> Iterator[list[int]]:
    got = sorted(set(ids))
    for i in range(0, len(got), n):
        yield got[i : i + n]


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
