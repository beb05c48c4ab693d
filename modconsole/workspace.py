"""The front door: one Qt-free object per open community (think of Anki's ``Collection``).

Opening a site gives a :class:`Workspace` that holds everything the console needs for it — the
API client, the cache, the moderation service (the outbox) and the sync engine — and the **one**
push policy (:meth:`Workspace.push`: deliver the outbox, then re-read exactly what it changed).
The desktop app (``ui.app``), every headless command (:mod:`modconsole.commands`), the self-test
and the tests open a community the same way::

    with Workspace.open(SiteRef(url, username, credentials, cache_path)) as ws:
        ws.sync(token)                 # pull (SyncEngine)
        ws.moderation.accept_answer(post_id)
        ws.push(token)                 # the one push policy

Wiring lives here and only here; nothing below this module knows how the pieces are put
together, and nothing in the core imports Qt. A workspace is used from one thread at a time for
writes (the app's writer lane; a command's main thread): the sync engine and the push share it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from modconsole import clock
from modconsole import settings as registry
from modconsole.api.client import ApiClient, Credentials
from modconsole.api.ratelimit import HostPacer, RetryPolicy
from modconsole.cache.db import Cache
from modconsole.connectors.base import Capabilities, Connector, SyncEntry
from modconsole.connectors.registry import AUTO, DEFAULT_PLATFORM, connector_for, detect_platform
from modconsole.connectors.sync_run import SyncOptions, SyncReport
from modconsole.errors import ApiError
from modconsole.outbox.dispatcher import DispatchOptions
from modconsole.outbox.policy import PushOutcome, push_outbox
from modconsole.services.assign import AssignService
from modconsole.services.moderation import ModerationService
from modconsole.services.review import ReviewService
from modconsole.services.sla import SlaSettings, parse_ts
from modconsole.services.user_notes import UserNotesService
from modconsole.tasks import CancelToken, ProgressCallback, ignore_progress

__all__ = ["SiteRef", "Workspace"]

log = logging.getLogger("modconsole.workspace")


@dataclass(frozen=True)
class SiteRef:
    """Which community, as whom, and where its cache lives. The key travels inside
    ``credentials`` only (never stored: it comes from the keyring or the environment)."""

    url: str
    username: str
    credentials: Credentials
    cache_path: Path
    allow_insecure_http: bool = False
    pacer: HostPacer | None = None
    """``None``: the key kind's default budget (CONTRACT §7)."""
    platform: str = DEFAULT_PLATFORM
    """Which connector speaks to the site (:mod:`modconsole.connectors.registry`); ``"auto"``: the
    platform the cache recorded, else detected from the address (:meth:`Workspace.resolve`)."""

    def __repr__(self) -> str:  # never the key
        return f"SiteRef({self.url!r}, {self.username!r}, {self.credentials.kind}, {str(self.cache_path)!r})"


class Workspace:
    """One open community: client, cache, outbox, sync engine and the push policy."""

    def __init__(
        self,
        site: SiteRef,
        client: ApiClient,
        cache: Cache,
        *,
        dispatch_options: DispatchOptions | None = None,
        sync_options: SyncOptions | None = None,
        demo: Any = None,
    ) -> None:
        self.site = site
        self.connector: Connector = connector_for(site.platform)
        """The site's platform behind the seam: its client, sync stages and capabilities."""
        self.client = client
        self.cache = cache
        self.demo = demo
        """The embedded demo server this workspace talks to (stopped on :meth:`close`)."""
        self.sync_options = sync_options or SyncOptions()
        self.moderation = ModerationService(
            cache,
            me=site.username,
            site_url=client.base_url,
            client=client,
            options=dispatch_options,
            actions=self.connector.actions,
            connector=self.connector,
        )
        self.review = ReviewService(cache, client, self.moderation)
        """The review queue: mirrored by ``review.sync()``, acted on through the outbox."""
        self.assign = AssignService(cache, client, self.moderation)
        """Who holds which topic: mirrored after each sync (one list walk), assigned through the outbox."""
        self.notes = UserNotesService(cache, client, self.moderation, self.connector.capabilities)
        """Staff notes on members: read when a member or thread is opened, added through the outbox."""
        self._engine: SyncEntry | None = None
        self._closed = False

    # ------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        site: SiteRef,
        *,
        verify_before_create: bool = True,
        integrity_check: bool = True,
        dispatch_options: DispatchOptions | None = None,
        sync_options: SyncOptions | None = None,
        retry: RetryPolicy | None = None,
        demo: Any = None,
    ) -> Workspace:
        """Open the client and the cache for ``site``.

        With ``verify_before_create`` a cache that does not exist yet is only made after the
        server accepted the key (one ``/session/current.json``), so an unreachable site or a
        refused key leaves nothing behind. Storage and key errors propagate as the named
        :class:`~modconsole.errors.ModConsoleError`\\ s; nothing is left open when they do.

        ``integrity_check=False`` defers the cache's integrity check (the desktop app: its window
        shows first); the first write runs it, or :meth:`verify_storage` does."""
        site = cls.resolve(site)
        connector = connector_for(site.platform)
        client = connector.open_client(
            site.url,
            site.credentials,
            allow_insecure_http=site.allow_insecure_http,
            pacer=site.pacer,
            retry=retry,
        )
        try:
            cache = Cache.open(
                site.cache_path,
                integrity_check=integrity_check,
                before_create=(lambda: connector.verify(client)) if verify_before_create else None,
            )
        except BaseException:
            client.close()
            raise
        try:
            return cls(
                site, client, cache, dispatch_options=dispatch_options, sync_options=sync_options, demo=demo
            )
        except BaseException:
            cache.close()
            client.close()
            raise

    @staticmethod
    def recorded_platform(cache_path: Path) -> str | None:
        """The platform an existing cache says it mirrors (None: no cache, or never synced)."""
        if not cache_path.exists():
            return None
        cache = Cache.open(cache_path)
        try:
            return registry.load(cache, registry.PLATFORM) or None
        finally:
            cache.close()

    @classmethod
    def resolve(cls, site: SiteRef) -> SiteRef:
        """``site`` with a platform named: as given, else the cache's record, else detected (one
        request without credentials)."""
        if site.platform.strip().lower() != AUTO:
            return site
        found = cls.recorded_platform(site.cache_path) or detect_platform(
            site.url, allow_insecure_http=site.allow_insecure_http
        )
        return replace(site, platform=found)

    # ------------------------------------------------------------ the site record

    def record_site(self) -> None:
        """Write (or refresh) the cache's own record of which site and account it mirrors."""
        kind = "admin" if self.site.credentials.kind == "admin" else "user_api"
        with self.cache.write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO site (id, url, username, key_kind, created_at) VALUES (1, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET url = excluded.url, username = excluded.username, "
                "key_kind = excluded.key_kind",
                (
                    self.client.base_url,
                    self.site.username,
                    kind,
                    clock.now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                ),
            )

    def verify_storage(self) -> None:
        """The integrity check deferred at open (once; ``CacheCorrupt`` when the file is
        damaged), then the cache's record of its site. The desktop app's first writer job."""
        self.cache.ensure_integrity()
        self.record_site()

    # ------------------------------------------------------------ sync and push

    @property
    def capabilities(self) -> Capabilities:
        """What the site's platform offers (the views follow these, never the platform's name)."""
        return self.connector.capabilities

    @property
    def engine(self) -> SyncEntry:
        """The one sync engine of this workspace (pushes re-read through it too)."""
        if self._engine is None:
            self._engine = self.connector.sync_engine(self.client, self.cache, options=self.sync_options)
        return self._engine

    def sync(
        self, token: CancelToken | None = None, progress: ProgressCallback = ignore_progress
    ) -> SyncReport:
        """One pull: incremental, or the first sync / a rescan as the options and the cache say;
        after a finished run, the assigned topics where the platform has server-side assign
        (``AssignService.sync``: one list request on most communities; assigning bumps nothing, so
        the engine's lists do not show it). The cache records which platform it mirrors
        (:data:`modconsole.settings.PLATFORM`)."""
        token = token or CancelToken()
        report = self.engine.run_once(token, progress)
        if registry.load(self.cache, registry.PLATFORM) != self.connector.platform:
            registry.store(self.cache, registry.PLATFORM, self.connector.platform)
        if not report.finished or token.cancelled or not self.capabilities.assign:
            return report
        try:
            assigned = self.assign.sync(token)
        except ApiError as err:
            log.info("assigned topics not read: %s", err)
            return replace(report, notes=(*report.notes, f"Assignments not read: {err.user_message}"))
        if not assigned.requests:
            return report
        return replace(
            report,
            changes=report.changes | assigned.changes,
            requests={**report.requests, "assigned": assigned.requests},
            requests_total=report.requests_total + assigned.requests,
        )

    def push(
        self, token: CancelToken | None = None, progress: ProgressCallback = ignore_progress
    ) -> PushOutcome:
        """The one push policy: deliver what the outbox holds, then re-read exactly the targets the
        delivery changed (:func:`modconsole.outbox.policy.push_outbox`)."""
        return push_outbox(self.moderation, self.engine, token, progress)

    def has_queued(self) -> bool:
        counts = self.moderation.counts()
        return bool(counts.get("pending", 0) or counts.get("in_flight", 0))

    # ------------------------------------------------------------ what the views ask

    def sla(self) -> SlaSettings:
        return registry.load(self.cache, registry.SLA)

    def last_sync_at(self) -> datetime | None:
        with self.cache.read() as conn:
            value = conn.exec_driver_sql("SELECT max(last_complete_pass_at) FROM sync_cursors").scalar()
        return parse_ts(value) if isinstance(value, str) else None

    def is_empty(self) -> bool:
        with self.cache.read() as conn:
            return conn.exec_driver_sql("SELECT 1 FROM topics LIMIT 1").first() is None

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.client.close()
        finally:
            try:
                self.cache.close()
            finally:
                if self.demo is not None:
                    self.demo.stop()
                    self.demo = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.site!r})"
