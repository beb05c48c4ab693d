"""What the console needs from a community platform: the connector protocol and its capabilities.

A connector is one platform behind one seam (issue #16): how to talk to it (its client and
identity probe — routes are spelled only inside the connector), how to pull it into the
platform-neutral cache (its sync stages, behind one entry), and what exactly-once means for the
outbox there (its action adapter). :class:`Capabilities` declares what the platform can do, so the
views follow declared features instead of asking which platform they are on.

:mod:`modconsole.connectors.registry` finds the connector of a site's platform by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from modconsole.api.client import ApiClient, Credentials
from modconsole.api.ratelimit import CancelLike, HostPacer, RetryPolicy
from modconsole.cache.db import Cache
from modconsole.connectors.sync_run import SyncOptions, SyncReport
from modconsole.connectors.types import (
    AssignedPage,
    BusMessage,
    Found,
    LinkRef,
    MirrorInstall,
    RemoteNote,
    ReviewItem,
    TopicHead,
)
from modconsole.tasks import CancelToken, ProgressCallback


@dataclass(frozen=True)
class Capabilities:
    """What a platform offers the console; a view shows a feature only where it is declared."""

    multiple_accepted_answers: bool = False
    """A question may have several accepted answers (Vanilla) instead of at most one (Discourse
    solved); the cache keeps a set either way."""
    staff_category_for_nominations: bool = False
    """Superuser nominations can go to a staff-only category the platform provides; without it
    the admin names a private category."""
    bulk_mirror: bool = False
    """A first sync can read whole tables through a shared query mirror (Discourse Data Explorer)."""
    review_queue: bool = False
    """A moderation review queue the console mirrors and acts on."""
    whispers: bool = False
    """Staff-only replies inside a public topic."""
    assign: bool = False
    """Topics can be assigned to a moderator on the server (a plugin on Discourse)."""
    trust_levels: bool = False
    """Members have trust levels a moderator may set."""
    likes: bool = False
    """Posts can be liked (reactions generalise likes on other platforms)."""
    user_api_keys: bool = False
    """A member can authorise a per-user key in the browser (besides an admin key)."""
    user_notes: bool = False
    """Staff notes on members (the User Notes plugin on Discourse, off there by default: the
    console also asks the site, see ``services.user_notes``)."""
    live_counts: bool = False
    """Counts between syncs from a cheap live source the platform offers (Discourse's MessageBus,
    ``services.live``); without it the navigation shows the cache's counts, renewed by each sync."""
    likes_report: bool = False
    """Likes per day given, as the server reports them (Discourse's admin ``likes`` report): the
    dashboard's likes tile. Vanilla's reactions carry no day they were given, so the cache cannot
    honestly count "likes in the period" there and the tile says it is not offered."""
    activity_reports: bool = False
    """Visits, daily engaged members and DAU/MAU per day, as the server reports them (Discourse's
    admin ``visits``, ``daily_engaged_users`` and ``dau_by_mau`` reports, staff). Vanilla's API
    keeps only a member's running visit count and last-active time, which cannot be split into
    days after the fact, so those tiles say the platform does not report them."""


# ---------------------------------------------------------------- the outbox's side of the seam

ProbeState = Literal["present", "absent", "gone", "changed"]


class RouteLike(Protocol):
    @property
    def method(self) -> str: ...

    @property
    def path(self) -> str: ...


@dataclass(frozen=True)
class Request:
    """The single write an action sends."""

    method: str
    path: str
    data: dict[str, Any] | None = None

    @property
    def line(self) -> str:
        return f"{self.method} {self.path}"

    @classmethod
    def to(cls, route: RouteLike, data: dict[str, Any] | None = None) -> Request:
        return cls(route.method, route.path, data)


@dataclass(frozen=True)
class ProbeResult:
    """What the verification read found: the effect ``present`` or ``absent``, the target
    ``gone``, or ``changed`` under us (a conflict for the moderator, never "done")."""

    state: ProbeState
    evidence: dict[str, Any] = field(default_factory=dict)
    message: str | None = None


class NeedsLookup(Exception):
    """The row cannot be sent before a read (e.g. a revoke queued before its grant id was known)."""


class ActionAdapter(Protocol):
    """What exactly-once means on a platform: the write each queued action sends, the read that
    tells whether it took effect, and the prechecks' reads. The outbox dispatcher knows only this."""

    TOKEN_KINDS: frozenset[str]
    """Kinds not idempotent on the server, sent with a recognition token in their body."""
    USER_KINDS: frozenset[str]
    """Kinds addressed by username on the wire (a rename between enqueue and send is followed)."""
    REVIEW_NOTHING: str
    REVIEW_NO_LONGER_OFFERED: str
    STORED_MESSAGES: tuple[str, ...]
    """Templates (marked for translation) of the conflict messages with fields this platform
    stores as English text; the outbox view re-marks a stored text one of them made."""
    ASSIGN_KINDS: frozenset[str]
    """Assign's kinds (not idempotent: read the holder back before sending, after a 400 too)."""
    PRECHECK_KINDS: frozenset[str]
    """Kinds whose precheck before the first send is the probe itself (check-then-act): present is
    done, changed a conflict unless the moderator chose "apply anyway", gone a conflict, absent sends."""

    def refusal(self, kind: str) -> str | None:
        """Why this platform cannot send ``kind`` (one line), or None when it can."""
        ...

    def request_for(self, kind: str, p: Mapping[str, Any]) -> Request: ...

    def probe(self, client: ApiClient, kind: str, p: Mapping[str, Any], *, me: str) -> ProbeResult: ...

    def success_resolution(
        self, kind: str, p: Mapping[str, Any], value: Any, *, my_user_id: int | None
    ) -> tuple[str, Any]: ...

    def token_for(self, op_uuid: str, raw: str) -> str | None: ...

    def verify(self, client: ApiClient, *, cancel: CancelLike | None = None) -> dict[str, Any]: ...

    def permission_facts(
        self, client: ApiClient, username: str, *, sample_group: str | None
    ) -> dict[str, Any]:
        """What the key may do: ``username``, ``user_id``, ``admin``, ``moderator``,
        ``badges_enabled``, ``manage_groups``, ``whisperer`` (None: unknown)."""
        ...

    def read_label(self, what: str, ident: int | str | None = None) -> str: ...

    def admin_user(self, client: ApiClient, user_id: int) -> dict[str, Any] | None: ...

    def user_list(self, client: ApiClient, flag: str) -> Any: ...

    def user_grants(self, client: ApiClient, badge_id: int, username: str) -> list[dict[str, Any]]: ...

    def topic_view(self, client: ApiClient, topic_id: int) -> dict[str, Any] | None: ...

    def accepted_post_numbers(self, view: Mapping[str, Any]) -> set[int]: ...

    def unaccept_state(self, view: Mapping[str, Any], p: Mapping[str, Any]) -> ProbeResult: ...

    def review_item(self, client: ApiClient, reviewable_id: int) -> Any: ...

    def review_state(self, item: Any, p: Mapping[str, Any], *, me: str) -> ProbeResult: ...

    def assign_state(
        self, kind: str, view: Mapping[str, Any] | None, p: Mapping[str, Any]
    ) -> ProbeResult: ...


# ---------------------------------------------------------------- what the services ask the platform


class Lookups(Protocol):
    """A cache miss fetched into the cache, the platform's way (the moderation service asks when
    an action names something the cache does not know yet). Each call reads first and writes in
    its own short transaction; none is called with a write transaction open."""

    def user(self, client: ApiClient, cache: Cache, username: str) -> Found:
        """A member by username (with what the platform gives alongside: badges, groups)."""
        ...

    def badges(self, client: ApiClient, cache: Cache) -> Found:
        """The badge list."""
        ...

    def post(self, client: ApiClient, cache: Cache, post_id: int) -> Found:
        """A post by its id (and its topic)."""
        ...

    def topic(self, client: ApiClient, cache: Cache, topic_id: int) -> Found:
        """A topic with its first posts and accepted answers (and its category when not cached)."""
        ...

    def categories(self, client: ApiClient, cache: Cache) -> Found:
        """Every category."""
        ...

    def group(self, client: ApiClient, cache: Cache, name: str) -> Found:
        """A group by name."""
        ...

    def category_topics(self, client: ApiClient, category_id: int, slug: str | None) -> list[TopicHead]:
        """The newest topics of one category (one page, newest activity first); raises
        :class:`~modconsole.errors.ApiError` when it cannot be read."""
        ...

    def recent_topics(self, client: ApiClient) -> list[TopicHead]:
        """The newest topics site-wide (one page); raises ``ApiError`` when it cannot be read."""
        ...


class Links(Protocol):
    """Addresses of topics and posts in a browser, and pasted links read back."""

    def permalink(
        self,
        site_url: str,
        topic_id: int,
        slug: str | None = None,
        post_number: int | None = None,
        *,
        post_id: int | None = None,
    ) -> str:
        """A topic's (or one of its posts') address. A platform that addresses posts by id uses
        ``post_id`` when given; one that numbers them uses ``post_number``."""
        ...

    def parse(self, path: str) -> LinkRef | None:
        """A link's path below the site read back (None: not a topic or post link)."""
        ...

    def example(self, site_url: str) -> str:
        """A link to a post as the platform spells it (for "a link like …" messages)."""
        ...


# ---------------------------------------------------------------- optional features (Capabilities)


class ReviewQueue(Protocol):
    """The moderation review queue (``Capabilities.review_queue``)."""

    def list_all(self, client: ApiClient, params: Mapping[str, Any] | None = None) -> list[ReviewItem]: ...

    def get_item(self, client: ApiClient, reviewable_id: int) -> ReviewItem | None:
        """One item, or None when it no longer exists (or is not visible)."""
        ...


class LiveFeed(Protocol):
    """Counts between syncs from a cheap live channel (``Capabilities.live_counts``)."""

    @property
    def status_channel(self) -> str: ...

    @property
    def new(self) -> str:
        """Channel: a topic was created."""
        ...

    @property
    def latest(self) -> str:
        """Channel: a topic has new activity."""
        ...

    @property
    def assign(self) -> str:
        """Channel: assignments changed (staff)."""
        ...

    @property
    def review(self) -> str:
        """Channel prefix (``+ "/<user id>"``): the pending review count changed (staff)."""
        ...

    def poll(
        self,
        client: ApiClient,
        client_id: str,
        positions: Mapping[str, int],
        *,
        cancel: CancelLike | None = None,
    ) -> list[BusMessage]: ...

    def pending_review_count(self, client: ApiClient) -> int: ...


class UserNotesApi(Protocol):
    """Staff notes on members (``Capabilities.user_notes``)."""

    def list_notes(
        self, client: ApiClient, user_id: int, *, my_user_id: int | None, cancel: CancelLike | None = None
    ) -> list[RemoteNote] | None:
        """The member's notes; None when the member is gone; raises
        :class:`~modconsole.connectors.types.NotesDisabled` when the feature is off on the site."""
        ...


class UserKeyFlow(Protocol):
    """A member authorises a per-user key in the browser (``Capabilities.user_api_keys``)."""

    def authorization_link(self, site_url: str, params: Mapping[str, str]) -> str:
        """The address to open in the browser with the request's parameters."""
        ...


class MirrorSetup(Protocol):
    """The bulk mirror's shared queries, installed by an admin (``Capabilities.bulk_mirror``)."""

    def install(self, client: ApiClient, group: str) -> MirrorInstall:
        """Create or update the queries and share them with ``group`` (safe to repeat); raises
        :class:`~modconsole.connectors.types.FeatureOff` when the site has the feature off."""
        ...


class AssignList(Protocol):
    """Server-side assign (``Capabilities.assign``): the assigned topics, a page at a time."""

    def assigned_page(self, client: ApiClient, page: int, per_page: int) -> AssignedPage: ...


# ---------------------------------------------------------------- sync


class SyncEntry(Protocol):
    """The platform's sync stages as the rest of the console runs them."""

    @property
    def options(self) -> SyncOptions: ...

    def run_once(self, token: CancelToken, progress: ProgressCallback = ...) -> SyncReport: ...

    def refresh(
        self,
        token: CancelToken,
        *,
        topic_ids: Iterable[int] = ...,
        user_ids: Iterable[int] = ...,
        group_ids: Iterable[int] = ...,
        badge_ids: Iterable[int] = ...,
        progress: ProgressCallback = ...,
    ) -> SyncReport: ...

    def fetch_badge_holders(
        self, token: CancelToken, badge_id: int, progress: ProgressCallback = ...
    ) -> SyncReport: ...

    def fetch_member_badges(
        self, token: CancelToken, user_id: int, progress: ProgressCallback = ...
    ) -> SyncReport: ...


class Connector(Protocol):
    """One community platform, as the workspace opens it."""

    @property
    def platform(self) -> str:
        """The registry name (``"discourse"``)."""
        ...

    @property
    def capabilities(self) -> Capabilities: ...

    def open_client(
        self,
        url: str,
        credentials: Credentials | None,
        *,
        allow_insecure_http: bool = False,
        pacer: HostPacer | None = None,
        retry: RetryPolicy | None = None,
    ) -> ApiClient:
        """The HTTP client for this platform's site (its auth headers, its error mapping)."""
        ...

    def verify(self, client: ApiClient, *, cancel: CancelLike | None = None) -> dict[str, Any]:
        """Who the credentials act as (a JSON object with at least ``username``); raises
        :class:`~modconsole.errors.AuthError` for refused credentials."""
        ...

    def sync_engine(
        self, client: ApiClient, cache: Cache, *, options: SyncOptions | None = None
    ) -> SyncEntry:
        """The sync stages' entry for one cache."""
        ...

    @property
    def actions(self) -> ActionAdapter:
        """The outbox's action adapter."""
        ...

    def web_url(
        self, site_url: str, topic_id: int, slug: str | None = None, post_number: int | None = None
    ) -> str:
        """The address of a topic (or one of its posts, where the platform can name it without a
        read) in a browser: "Open in browser", "Copy link"."""
        ...

    @property
    def lookups(self) -> Lookups:
        """Cache misses fetched the platform's way."""
        ...

    @property
    def links(self) -> Links:
        """Permalinks, and pasted links read back."""
        ...

    @property
    def review(self) -> ReviewQueue | None:
        """The review queue; None where ``capabilities.review_queue`` is not declared."""
        ...

    @property
    def live(self) -> LiveFeed | None:
        """Live counts; None where ``capabilities.live_counts`` is not declared."""
        ...

    @property
    def user_notes(self) -> UserNotesApi | None:
        """Staff notes on members; None where ``capabilities.user_notes`` is not declared."""
        ...

    @property
    def assign(self) -> AssignList | None:
        """Server-side assign; None where ``capabilities.assign`` is not declared."""
        ...

    @property
    def user_keys(self) -> UserKeyFlow | None:
        """Per-user keys authorised in the browser; None where ``capabilities.user_api_keys`` is
        not declared."""
        ...

    @property
    def mirror_setup(self) -> MirrorSetup | None:
        """Installing the bulk mirror; None where ``capabilities.bulk_mirror`` is not declared."""
        ...


__all__ = [
    "ActionAdapter",
    "AssignList",
    "Capabilities",
    "Connector",
    "Links",
    "LiveFeed",
    "Lookups",
    "MirrorSetup",
    "NeedsLookup",
    "ProbeResult",
    "ProbeState",
    "Request",
    "ReviewQueue",
    "SyncEntry",
    "UserKeyFlow",
    "UserNotesApi",
]
