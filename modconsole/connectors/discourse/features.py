"""Discourse's optional features as the connector offers them (declared in its ``Capabilities``):
the review queue (:mod:`.review`), live counts (:mod:`.message_bus`), staff notes on members
(:mod:`.user_notes`), Assign's assigned-topics list, user API keys and the Data Explorer mirror's
set-up (:mod:`.sync.bulk`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse import message_bus, review, user_notes
from modconsole.connectors.types import (
    AssignedPage,
    Assignee,
    BusMessage,
    FeatureOff,
    MirrorInstall,
    RemoteNote,
    ReviewItem,
)

__all__ = ["ASSIGN", "LIVE", "MIRROR", "NOTES", "REVIEW", "USER_KEYS"]


class DiscourseReview:
    """``/review.json``, ``/review/{id}.json``, ``/review/count.json`` (CONTRACT-ADDITIONS §A2)."""

    def list_all(self, client: ApiClient, params: Mapping[str, Any] | None = None) -> list[ReviewItem]:
        return review.list_all(client, params)

    def get_item(self, client: ApiClient, reviewable_id: int) -> ReviewItem | None:
        return review.get_item(client, reviewable_id)


class DiscourseLive:
    """MessageBus polled with ``dlp=t`` (CONTRACT-ADDITIONS §A5)."""

    status_channel = message_bus.STATUS_CHANNEL
    new = message_bus.NEW
    latest = message_bus.LATEST
    assign = message_bus.ASSIGN
    review = message_bus.REVIEW

    def poll(
        self,
        client: ApiClient,
        client_id: str,
        positions: Mapping[str, int],
        *,
        cancel: CancelLike | None = None,
    ) -> list[BusMessage]:
        return message_bus.poll(client, client_id, positions, cancel=cancel)

    def pending_review_count(self, client: ApiClient) -> int:
        return review.pending_count(client)


class DiscourseNotes:
    """The ``discourse-user-notes`` plugin (CONTRACT-ADDITIONS §A4.4)."""

    def list_notes(
        self, client: ApiClient, user_id: int, *, my_user_id: int | None, cancel: CancelLike | None = None
    ) -> list[RemoteNote] | None:
        return user_notes.list_notes(client, user_id, my_user_id=my_user_id, cancel=cancel)


def _assignee(item: Mapping[str, Any]) -> Assignee | None:
    u = item.get("assigned_to_user")
    g = item.get("assigned_to_group")
    if isinstance(u, Mapping) and u.get("username"):
        uid = u.get("id")
        return Assignee(user=str(u["username"]), user_id=int(uid) if isinstance(uid, int) else None)
    if isinstance(g, Mapping) and g.get("name"):
        return Assignee(group=str(g["name"]))
    return None


class DiscourseAssign:
    """Assign's list filter: ``/latest.json?assigned=*&order=created&ascending=true`` (oldest
    first, so a bump mid-walk cannot hide a topic). Where Assign is off, or the key may not use
    the filter, Discourse answers the plain latest list: an item without an assignee says so."""

    def assigned_page(self, client: ApiClient, page: int, per_page: int) -> AssignedPage:
        data = client.get_json(
            ep.latest().path,
            {"assigned": "*", "order": "created", "ascending": "true", "per_page": per_page, "page": page},
        )
        tl = data.get("topic_list") if isinstance(data, dict) else None
        items = [
            t for t in (tl or {}).get("topics") or [] if isinstance(t, dict) and isinstance(t.get("id"), int)
        ]
        assigned: dict[int, Assignee] = {}
        for item in items:
            who = _assignee(item)
            if who is None:
                return AssignedPage(assigned, honoured=False, more=False)
            assigned[int(item["id"])] = who
        return AssignedPage(
            assigned, honoured=True, more=bool(items) and bool((tl or {}).get("more_topics_url"))
        )


class DiscourseUserKeys:
    """``/user-api-key/new`` (CONTRACT §2): the member authorises the console's key."""

    def authorization_link(self, site_url: str, params: Mapping[str, str]) -> str:
        return ep.user_api_key_link(site_url, params)


class DiscourseMirror:
    """The Data Explorer mirror queries (``modconsole setup bulk-sync``)."""

    def install(self, client: ApiClient, group: str) -> MirrorInstall:
        from modconsole.connectors.discourse.sync import bulk  # the setup command only

        try:
            done = bulk.install(client, group)
        except bulk.PluginOff:
            raise FeatureOff(bulk.SETTING) from None
        return MirrorInstall(done.group, done.solved_schema, done.actions)


REVIEW = DiscourseReview()
LIVE = DiscourseLive()
NOTES = DiscourseNotes()
ASSIGN = DiscourseAssign()
USER_KEYS = DiscourseUserKeys()
MIRROR = DiscourseMirror()
