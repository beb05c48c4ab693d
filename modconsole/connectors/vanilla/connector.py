"""Vanilla (Higher Logic Vanilla, API v2) behind the connector seam.

Capabilities, from ``shared/vanilla/CONTRACT.md``: several accepted answers per question (§4, the Q&A
plugin); reactions, which the cache keeps as likes (§7); no trust levels, whispers, review queue,
server-side assign, Data Explorer-style bulk mirror, per-user API key flow (personal access tokens
are pasted, §2.1), nor a staff-only category for nominations (an admin names a private category)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from modconsole.api.client import ApiClient, Credentials
from modconsole.api.ratelimit import Budget, CancelLike, HostPacer, RetryPolicy
from modconsole.cache.db import Cache
from modconsole.connectors.base import Capabilities
from modconsole.connectors.sync_run import SyncOptionsLike
from modconsole.connectors.vanilla import session
from modconsole.connectors.vanilla.actions import ACTIONS
from modconsole.connectors.vanilla.lookups import LINKS, LOOKUPS

if TYPE_CHECKING:  # the sync stages load with the first sync, not with the window (cold start)
    from modconsole.connectors.vanilla.sync.engine import VanillaSync

CAPABILITIES = Capabilities(
    multiple_accepted_answers=True,  # QnA: "one or more" accepted answers (CONTRACT §4)
    staff_category_for_nominations=False,  # no staff category: the admin names a private one
    bulk_mirror=False,
    review_queue=False,
    whispers=False,
    assign=False,
    trust_levels=False,
    likes=True,  # reactions (Like, Insightful, …) generalise likes (CONTRACT §7)
    user_api_keys=False,  # personal access tokens, pasted (CONTRACT §2.1)
    user_notes=False,  # no staff notes on members
    live_counts=False,  # no MessageBus; polling would spend the per-IP limits the sync needs
    likes_report=False,  # reactions carry no day they were given: no likes per period
    activity_reports=False,  # users carry only countVisits/dateLastActive: no visits per day
)


class VanillaConnector:
    """Vanilla: its client (Bearer token, guest-means-refused, per-IP limits), identity probe and sync."""

    platform = "vanilla"
    capabilities = CAPABILITIES
    actions = ACTIONS
    lookups = LOOKUPS
    links = LINKS
    review = None  # none of the optional features (CAPABILITIES)
    live = None
    user_notes = None
    assign = None
    user_keys = None
    mirror_setup = None

    def open_client(
        self,
        url: str,
        credentials: Credentials | None,
        *,
        allow_insecure_http: bool = False,
        pacer: HostPacer | None = None,
        retry: RetryPolicy | None = None,
    ) -> ApiClient:
        """Reads and writes are paced apart (300 GET / 120 writes a minute per IP, CONTRACT §8); a
        pacer given by the caller (tests, ``--unpaced``) paces both."""
        return ApiClient(
            url,
            credentials,
            allow_insecure_http=allow_insecure_http,
            pacer=pacer or HostPacer(Budget.vanilla_reads()),
            write_pacer=pacer or HostPacer(Budget.vanilla_writes()),
            retry=retry,
            response_check=session.response_check,
            json_bodies=True,  # API v2 reads JSON bodies (CONTRACT §1); a form is a 415
        )

    def verify(self, client: ApiClient, *, cancel: CancelLike | None = None) -> dict[str, object]:
        return session.verify(client, cancel=cancel)

    def sync_engine(
        self, client: ApiClient, cache: Cache, *, options: SyncOptionsLike | None = None
    ) -> VanillaSync:
        from modconsole.connectors.vanilla.sync.engine import VanillaSync

        return VanillaSync(client, cache, options=options)

    def web_url(
        self, site_url: str, topic_id: int, slug: str | None = None, post_number: int | None = None
    ) -> str:
        """The discussion's address; a comment's own address needs its id (not its place in the
        thread), so a post number opens the discussion."""
        return LINKS.permalink(site_url, topic_id, slug)


CONNECTOR = VanillaConnector()
