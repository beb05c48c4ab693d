"""Platform-neutral values the connectors hand to the services and views (issue #16).

A connector parses its platform's answers into these; the services and the UI read only these, so
no module outside ``modconsole/connectors/<platform>/`` needs a platform's own types. The values of
the optional, capability-declared features (the review queue, live counts, staff notes on
members, assign) live here too: a platform that offers the feature fills them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from modconsole.i18n import QT_TRANSLATE_NOOP

__all__ = [
    "STATUS_NAMES",
    "AssignedPage",
    "Assignee",
    "BusMessage",
    "FeatureOff",
    "Found",
    "LinkRef",
    "MirrorInstall",
    "NotesDisabled",
    "Reason",
    "RemoteNote",
    "ReviewAction",
    "ReviewItem",
    "TopicHead",
]

# ---------------------------------------------------------------- lookups and links

Found = Literal["found", "absent", "failed"]
"""What a lookup of a cache miss came to: ``found`` (now in the cache), ``absent`` (the community
says it does not exist, or it is not the platform's to find by that key), ``failed`` (no answer:
offline, refused, or an answer that could not be read — the cache is unchanged)."""


@dataclass(frozen=True)
class LinkRef:
    """What a pasted link to a topic or post names: a topic (and the post's place in it), or a
    post by its own id (platforms whose post links carry no topic, e.g. a Vanilla comment)."""

    topic_id: int | None = None
    post_number: int | None = None
    """The post's number in the topic; ``None``: the link names the topic (its first post)."""
    post_id: int | None = None


@dataclass(frozen=True)
class TopicHead:
    """A topic as a category's list shows it (no posts)."""

    id: int
    title: str
    slug: str | None = None
    category_id: int | None = None
    closed: bool = False

    def row(self) -> dict[str, Any]:
        """The ``topics`` cache row's columns this head knows (an unknown one is left out, so
        an upsert keeps what the cache has)."""
        row: dict[str, Any] = {"id": self.id, "title": self.title, "closed": self.closed}
        if self.slug is not None:
            row["slug"] = self.slug
        if self.category_id is not None:
            row["category_id"] = self.category_id
        return row


# ---------------------------------------------------------------- the review queue

STATUS_NAMES = {  # marked: the UI shows them in conflict messages (modconsole.i18n)
    0: QT_TRANSLATE_NOOP("core", "pending"),
    1: QT_TRANSLATE_NOOP("core", "approved"),
    2: QT_TRANSLATE_NOOP("core", "rejected"),
    3: QT_TRANSLATE_NOOP("core", "ignored"),
    4: QT_TRANSLATE_NOOP("core", "deleted"),
}


@dataclass(frozen=True)
class ReviewAction:
    id: str
    server_action: str
    label: str
    bundle: str
    confirm_message: str | None = None
    client_action: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "server_action": self.server_action,
            "label": self.label,
            "bundle": self.bundle,
            "confirm_message": self.confirm_message,
            "client_action": self.client_action,
        }


@dataclass(frozen=True)
class Reason:
    """One flag (score) on an item: its type, who raised it, the score it added."""

    type: str
    title: str
    username: str | None
    score: float
    created_at: str | None


@dataclass(frozen=True)
class ReviewItem:
    id: int
    type: str
    status: int
    score: float
    version: int
    created_at: str | None = None
    topic_id: int | None = None
    topic_title: str | None = None
    category_id: int | None = None
    post_id: int | None = None
    post_number: int | None = None
    author: str | None = None
    cooked: str | None = None
    raw: str | None = None
    reasons: tuple[Reason, ...] = ()
    actions: tuple[ReviewAction, ...] = ()
    claimed_by: str | None = None
    claimable: bool = False
    """The site has claiming on (``reviewable_claiming`` optional or required): items carry ``claimed_by``."""
    last_transition_by: str | None = None
    """Who last moved the item out of pending (from its history), for "who acted first"."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, str(self.status))

    def action(self, action_id: str) -> ReviewAction | None:
        return next((a for a in self.actions if action_id in (a.id, a.server_action)), None)


# ---------------------------------------------------------------- staff notes on members


class NotesDisabled(Exception):
    """The community has staff notes on members off (Discourse: the User Notes plugin)."""


@dataclass(frozen=True, slots=True)
class RemoteNote:
    id: str
    user_id: int
    raw: str
    created_by: str | None
    created_by_id: int | None
    created_at: str | None
    can_delete: bool
    post_id: int | None
    post_url: str | None


# ---------------------------------------------------------------- live counts


@dataclass(frozen=True)
class BusMessage:
    """One message of the platform's live channel (Discourse: MessageBus)."""

    global_id: int
    message_id: int
    channel: str
    data: Any


# ---------------------------------------------------------------- assign


@dataclass(frozen=True)
class Assignee:
    """Who holds a topic on the server: a member (name, id) or a group."""

    user: str | None = None
    user_id: int | None = None
    group: str | None = None


@dataclass(frozen=True)
class AssignedPage:
    """One page of the assigned-topics list: ``assigned`` topic → holder; ``honoured`` false when
    the server ignored the filter (an item without a holder: assign off, or not ours to use)."""

    assigned: dict[int, Assignee]
    honoured: bool
    more: bool


# ---------------------------------------------------------------- set-up of a site (admin)


class FeatureOff(Exception):
    """A feature the console needs is switched off on the site; ``setting`` names the admin
    setting that turns it on."""

    def __init__(self, setting: str) -> None:
        super().__init__(setting)
        self.setting = setting


@dataclass(frozen=True)
class MirrorInstall:
    """What installing the bulk mirror's shared queries did: shared with ``group``; ``source``
    names where accepted answers are read from; ``actions`` (query name, "created" | "updated" |
    "unchanged", query id)."""

    group: str
    source: str
    actions: tuple[tuple[str, str, int], ...]
