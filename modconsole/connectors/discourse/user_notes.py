"""Staff notes on members (the bundled ``discourse-user-notes`` plugin, CONTRACT-ADDITIONS §A4.4).

The plugin is **off by default**; then its routes answer 404 — the same answer as for an unknown
member. :func:`list_notes` tells the two apart with one more read: the caller's own notes (the
caller surely exists), so a 404 there means the plugin is off (:class:`NotesDisabled`). A 403 means
the caller is not staff (notes are staff-only).
"""

from __future__ import annotations

from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.types import NotesDisabled, RemoteNote
from modconsole.errors import NotFound


def parse_note(d: dict[str, Any], user_id: int) -> RemoteNote | None:
    if not isinstance(d, dict) or not d.get("id"):
        return None
    raw_by = d.get("created_by")
    by: dict[str, Any] = raw_by if isinstance(raw_by, dict) else {}
    pid = d.get("post_id")
    return RemoteNote(
        id=str(d["id"]),
        user_id=int(d.get("user_id") or user_id),
        raw=str(d.get("raw") or ""),
        created_by=str(by["username"]) if by.get("username") else None,
        created_by_id=int(by["id"]) if isinstance(by.get("id"), int) else None,
        created_at=str(d["created_at"]) if d.get("created_at") else None,
        can_delete=bool(d.get("can_delete")),
        post_id=int(pid) if isinstance(pid, int) else None,
        post_url=str(d["post_url"]) if d.get("post_url") else None,
    )


def fetch(client: ApiClient, user_id: int, *, cancel: CancelLike | None = None) -> list[RemoteNote]:
    """``GET /user_notes.json?user_id=N``: the member's notes, newest first. Raises ``NotFound``
    for an unknown member *or* a plugin that is off (one answer for both)."""
    data = client.get_json(ep.user_notes().path, {"user_id": int(user_id)}, cancel=cancel)
    raw = data.get("user_notes") if isinstance(data, dict) else None
    notes = [parse_note(d, user_id) for d in raw] if isinstance(raw, list) else []
    return [n for n in notes if n is not None]


def list_notes(
    client: ApiClient, user_id: int, *, my_user_id: int | None, cancel: CancelLike | None = None
) -> list[RemoteNote] | None:
    """The member's notes; ``None`` when the member is gone; :class:`NotesDisabled` when the
    plugin is off (a 404 that also comes for the caller's own id)."""
    try:
        return fetch(client, user_id, cancel=cancel)
    except NotFound:
        if my_user_id is None or int(my_user_id) == int(user_id):
            raise NotesDisabled from None
        try:
            fetch(client, int(my_user_id), cancel=cancel)
        except NotFound:
            raise NotesDisabled from None
        return None


__all__ = ["NotesDisabled", "RemoteNote", "fetch", "list_notes", "parse_note"]
