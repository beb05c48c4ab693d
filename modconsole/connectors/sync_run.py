"""What a sync run is made of on any platform: its options and report, the run's state, the cancel
adapter and the timestamp helpers. Each connector's sync stages (``connectors/<platform>/sync/``)
build on these. :class:`SyncOptions` holds every knob the console sets; a platform reads those it
has (:class:`SyncOptionsLike` is what every platform reads; the rest tune Discourse's stages)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from modconsole.changes import Changes
from modconsole.emails import FREE_MAIL_DOMAINS
from modconsole.tasks import CancelToken, Progress, ProgressCallback


@dataclass(frozen=True, slots=True)
class SyncProgress(Progress):
    """One sync progress report with the plan's figures (immutable: it may cross threads).

    ``done``/``total`` stay the stage's own units (pages, topics, posts); ``requests`` this run's.
    """

    phase: str = ""
    """``queue`` (open questions), ``recent`` (recent months), ``history``, ``rest`` (members,
    badges, groups, reports), or ``""`` before anything is known."""
    day_limit: int | None = None
    """The sync's share of the key's day (its day limit minus the reserve); ``None``: no day limit."""
    left_today: int | None = None
    """Requests the sync may still send in the current 24 hours; ``None``: no day limit."""
    cost_left: int | None = None
    """Estimated requests of the work left (``None`` until the first counts are in)."""
    stage_costs: tuple[tuple[str, int], ...] = ()
    """``cost_left`` by stage, in the engine's order."""
    eta_seconds: float | None = None
    """Estimated seconds until the sync is complete, day pauses included (``None``: unknown)."""
    resumes_at: datetime | None = None
    """Set when the day's share is spent: when the sync may go on."""
    history_to: str | None = None
    """The month (``YYYY-MM``) the posts walk has reached, newest first."""


ON_DEMAND_BADGES = "badges:on_demand"
"""Cursor whose ``hw_value`` maps each automatic badge's id to the ``grant_count`` its cached holders
were read at (``null``: never read). Holders are current when that equals the badge's count."""


class SyncOptionsLike(Protocol):
    """The options every platform's sync reads (the Discourse ``SyncOptions`` has them and more)."""

    @property
    def overlap_seconds(self) -> float: ...

    @property
    def rescan_interval_seconds(self) -> float: ...

    @property
    def force_rescan(self) -> bool: ...

    @property
    def page_retries(self) -> int: ...

    @property
    def retry_wait(self) -> float: ...

    @property
    def vendor_domains(self) -> frozenset[str] | None: ...

    @property
    def free_mail_domains(self) -> frozenset[str]: ...

    @property
    def stop_after_queue(self) -> bool: ...


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
    reports: tuple[str, ...] | None = None
    """The admin reports a run mirrors for the dashboard's charts (where the platform has them);
    ``None``: every chart the platform offers."""
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
    queries when this key may run them (:mod:`.bulk`); ``False``: REST only."""
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
class Run:
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
    bulk_grants: bool = False  # the bulk stage mirrored every grant this run (:mod:`.bulk`)
    bulk_source: Any = None  # where this run's mirror queries run (bulk.Source), once found


class ClientCancel:
    """Adapts :class:`CancelToken` to the client's ``CancelLike`` (``is_set``/``wait``)."""

    def __init__(self, token: CancelToken) -> None:
        self._token = token

    def is_set(self) -> bool:
        return self._token.cancelled

    def wait(self, seconds: float) -> bool:
        return self._token.wait(seconds)


# ---------------------------------------------------------------- helpers


def iso(dt: datetime) -> str:
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_iso(value: str) -> datetime | None:
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
