"""MessageBus polls (``POST /message-bus/{client_id}/poll``, CONTRACT-ADDITIONS §A5): one function
for the endpoint and the parsing of its answer.

The form carries ``<channel>=<last message id>`` (``-1``: only what comes next; the server answers
with a ``/__status`` message giving each such channel's current id). ``?dlp=t`` turns long-polling
off: the answer comes at once. Each poll spends one unit of the key's rate budget like any request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.types import BusMessage
from modconsole.errors import UnexpectedPayload

__all__ = ["ASSIGN", "LATEST", "NEW", "REVIEW", "STATUS_CHANNEL", "BusMessage", "parse_messages", "poll"]

STATUS_CHANNEL = "/__status"
NEW = "/new"
"""A topic was created (topic tracking)."""
LATEST = "/latest"
"""A topic has new activity."""
ASSIGN = "/staff/topic-assignment"
"""Assign's changes (staff only)."""
REVIEW = "/reviewable_counts"
"""``REVIEW + "/<user id>"``: the pending review count changed (staff only; older cores: no id)."""


def parse_messages(payload: Any, route: str = "POST /message-bus/poll") -> list[BusMessage]:
    """The answer's messages; entries that are not messages are skipped, a non-list is refused."""
    if not isinstance(payload, list):
        raise UnexpectedPayload(
            "The community's live-update channel answered in an unexpected way.",
            route=route,
            status=200,
            detail="the poll's answer is not a JSON array",
            retryable=False,
        )
    out: list[BusMessage] = []
    for m in payload:
        if not isinstance(m, dict) or not isinstance(m.get("channel"), str):
            continue
        try:
            out.append(
                BusMessage(
                    int(m.get("global_id", -1)), int(m.get("message_id", -1)), m["channel"], m.get("data")
                )
            )
        except (TypeError, ValueError):
            continue
    return out


def poll(
    client: ApiClient,
    client_id: str,
    positions: Mapping[str, int],
    *,
    long_poll: bool = False,
    cancel: CancelLike | None = None,
) -> list[BusMessage]:
    """Ask for the messages after ``positions`` (channel → last id). Without ``long_poll`` the server
    answers at once (``dlp=t``): what a user key can afford (§A5)."""
    route = ep.message_bus_poll(client_id)
    payload = client.post_json(
        route.path,
        {channel: str(last) for channel, last in positions.items()},
        params=None if long_poll else {"dlp": "t"},
        cancel=cancel,
    )
    return parse_messages(payload, route.label)
