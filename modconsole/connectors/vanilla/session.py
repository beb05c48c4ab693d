"""Signing in to Vanilla: the client's reading of refused tokens and rate limits, and who am I.

A refused personal access token (bad, expired, revoked) is no 401 on Vanilla: the request runs as a
guest and the answer carries ``X-WWW-Authenticate`` (CONTRACT §2.1). :func:`response_check` turns
that header into the same "bad key" :class:`~modconsole.errors.AuthError` the Discourse path raises,
on every call, before a guest's 403 or a guest's (public) data could be taken for the moderator's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike, clamp_wait
from modconsole.connectors.vanilla import endpoints as ep
from modconsole.connectors.vanilla import parse
from modconsole.errors import (
    ApiError,
    AuthError,
    NetworkError,
    RateLimited,
    ServerUnavailable,
    UnexpectedPayload,
)

BAD_KEY = "The API key or username was not accepted by the community. Check them, or create a new key."
"""Word for word the Discourse path's message for a refused key (``api.client.error_for_response``)."""

RATE_LIMIT_WAIT = 60.0
"""Vanilla's per-IP block lifts after a minute and no ``Retry-After`` is documented (CONTRACT §8, §9)."""


def response_check(route: str, status: int, headers: Mapping[str, str]) -> ApiError | None:
    """Vanilla's own reading of an answer before the common mapping (``ApiClient(response_check=)``)."""
    problem = parse.auth_problem(headers)
    if problem is not None:
        return AuthError(BAD_KEY, route=route, status=status, detail=f"token refused: {problem}")
    if status == 429 and not any(k.lower() == "retry-after" for k in headers):
        return RateLimited(
            "The community is limiting requests from this computer's address; waiting a minute "
            "before trying again.",
            retry_after=clamp_wait(RATE_LIMIT_WAIT),
            code="ip_minute",
            route=route,
            status=status,
            detail=f"429 on {route}",
        )
    return None


def verify(client: ApiClient, *, cancel: CancelLike | None = None) -> dict[str, Any]:
    """``GET /api/v2/users/me``: the token's owner as a JSON object (``id``, ``username``, ``admin``,
    ``moderator``, ``email``, ``permissions``). A guest answer is a refused token: :class:`AuthError`."""
    route = ep.me()
    data = client.request_json(route.method, route.path, cancel=cancel, auth_probe=True)
    if not isinstance(data, Mapping) or not isinstance(data.get("userID"), int):
        raise UnexpectedPayload(
            "This address does not look like a Vanilla community.",
            route=route.label,
            status=200,
            detail="no userID in the answer",
            retryable=False,
        )
    me = parse.identity(data, route.label)
    if me.is_guest:
        raise AuthError(BAD_KEY, route=route.label, status=200, detail="signed in as a guest")
    return {
        "id": me.user_id,
        "username": me.name,
        "email": me.email,
        "admin": me.is_admin,
        "moderator": me.is_admin or me.can("Garden.Moderation.Manage") or me.can("Garden.Curation.Manage"),
        "permissions": sorted(me.permissions),
    }


def is_vanilla(client: ApiClient, *, cancel: CancelLike | None = None) -> bool:
    """Whether the site speaks Vanilla's API v2: ``GET /api/v2/users/me`` without a token answers a
    guest (``userID`` 0) there, and 404 or a web page elsewhere (Discourse). One request.
    An unreachable site raises (no platform can be told from silence)."""
    route = ep.me()
    try:
        data = client.request_json(route.method, route.path, cancel=cancel)
    except (NetworkError, ServerUnavailable):
        raise
    except ApiError:
        return False
    return isinstance(data, Mapping) and isinstance(data.get("userID"), int)
