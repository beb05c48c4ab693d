"""Discourse behind the connector seam (:class:`~modconsole.connectors.base.Connector`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modconsole.api.client import ApiClient, Credentials
from modconsole.api.ratelimit import CancelLike, HostPacer, RetryPolicy
from modconsole.cache.db import Cache
from modconsole.connectors.base import Capabilities
from modconsole.connectors.discourse import actions, features, session
from modconsole.connectors.discourse.lookups import LINKS, LOOKUPS
from modconsole.connectors.sync_run import SyncOptions

if TYPE_CHECKING:  # the sync stages load with the first sync, not with the window (cold start)
    from modconsole.connectors.discourse.sync.engine import SyncEngine

CAPABILITIES = Capabilities(
    multiple_accepted_answers=False,  # discourse-solved: one solution per topic
    staff_category_for_nominations=True,  # the "Staff" category
    bulk_mirror=True,  # Data Explorer mirror queries (connectors/discourse/sync/bulk.py)
    review_queue=True,  # /review (CONTRACT-ADDITIONS §A2)
    whispers=True,
    assign=True,  # discourse-assign
    trust_levels=True,
    likes=True,
    user_api_keys=True,
    user_notes=True,  # discourse-user-notes (off by default on a site: asked on first use)
    live_counts=True,  # MessageBus polled with dlp=t (services.live)
    likes_report=True,  # /admin/reports/likes (staff)
    activity_reports=True,  # /admin/reports/{visits,daily_engaged_users,dau_by_mau} (staff)
)


class DiscourseConnector:
    """Discourse: its client, identity probe, sync stages, outbox action adapter, the services'
    lookups and links, and its optional features (review queue, live counts, user notes, assign)."""

    platform = "discourse"
    capabilities = CAPABILITIES
    actions = actions
    lookups = LOOKUPS
    links = LINKS
    review = features.REVIEW
    live = features.LIVE
    user_notes = features.NOTES
    assign = features.ASSIGN
    user_keys = features.USER_KEYS
    mirror_setup = features.MIRROR

    def open_client(
        self,
        url: str,
        credentials: Credentials | None,
        *,
        allow_insecure_http: bool = False,
        pacer: HostPacer | None = None,
        retry: RetryPolicy | None = None,
    ) -> ApiClient:
        kwargs: dict[str, Any] = {} if retry is None else {"retry": retry}
        return ApiClient(url, credentials, allow_insecure_http=allow_insecure_http, pacer=pacer, **kwargs)

    def verify(self, client: ApiClient, *, cancel: CancelLike | None = None) -> dict[str, Any]:
        return session.verify(client, cancel=cancel)

    def sync_engine(
        self, client: ApiClient, cache: Cache, *, options: SyncOptions | None = None
    ) -> SyncEngine:
        from modconsole.connectors.discourse.sync.engine import SyncEngine

        return SyncEngine(client, cache, options=options)

    def web_url(
        self, site_url: str, topic_id: int, slug: str | None = None, post_number: int | None = None
    ) -> str:
        """``/t/{slug}/{id}[/{post_number}]``."""
        return LINKS.permalink(site_url, topic_id, slug, post_number)


CONNECTOR = DiscourseConnector()
