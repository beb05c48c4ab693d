"""Who the credentials act as: the first call of every sign-in, sync and outbox push."""

from __future__ import annotations

from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.errors import NotFound, UnexpectedPayload


def verify(client: ApiClient, *, cancel: CancelLike | None = None) -> dict[str, Any]:
    """Check the credentials and return the signed-in user as a JSON object.

    Asks ``GET /session/current.json`` (``current_user``); where that route does not exist
    (404) and the username is known, ``GET /u/{username}.json`` instead. Any 403 here is an
    :class:`AuthError`; a site that is not Discourse gives :class:`UnexpectedPayload`.
    """
    route = ep.session_current()
    try:
        data = client.request_json(route.method, route.path, cancel=cancel, auth_probe=True)
        key = "current_user"
    except NotFound:
        username = client.credentials.username if client.credentials else None
        if not username:
            raise
        route = ep.user(username)
        data = client.request_json(route.method, route.path, cancel=cancel, auth_probe=True)
        key = "user"
    user = data.get(key) if isinstance(data, dict) else None
    if not isinstance(user, dict) or not isinstance(user.get("username"), str):
        raise UnexpectedPayload(
            "This address does not look like a Discourse community.",
            route=route.label,
            status=200,
            detail=f"no {key} in the answer",
            retryable=False,
        )
    return user
