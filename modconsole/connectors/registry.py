"""The connectors by platform name: the workspace opens the one its site names.

A platform joins with one line in :data:`_CONNECTORS` (its connector module stays its own)."""

from __future__ import annotations

from modconsole.api.client import ApiClient, Timeouts
from modconsole.api.ratelimit import Budget, HostPacer, RetryPolicy
from modconsole.connectors.base import Connector
from modconsole.connectors.discourse.connector import CONNECTOR as DISCOURSE
from modconsole.connectors.vanilla import session as vanilla_session
from modconsole.connectors.vanilla.connector import CONNECTOR as VANILLA
from modconsole.errors import InvalidInput

DEFAULT_PLATFORM = "discourse"
AUTO = "auto"
"""A site whose platform is to be found: from its cache's record, else by :func:`detect_platform`."""

_CONNECTORS: dict[str, Connector] = {
    DISCOURSE.platform: DISCOURSE,
    VANILLA.platform: VANILLA,
}


def platforms() -> tuple[str, ...]:
    """The platform names a site may name, sorted."""
    return tuple(sorted(_CONNECTORS))


def connector_for(platform: str) -> Connector:
    """The connector of ``platform`` (case and surrounding blanks ignored)."""
    key = platform.strip().lower()
    try:
        return _CONNECTORS[key]
    except KeyError:
        known = ", ".join(platforms())
        raise InvalidInput(f"Unknown community platform “{platform}” (known: {known}).") from None


def default_connector() -> Connector:
    """The connector of :data:`DEFAULT_PLATFORM`: what a service built without a workspace (a
    test, a headless tool) speaks to."""
    return _CONNECTORS[DEFAULT_PLATFORM]


def stored_messages() -> tuple[str, ...]:
    """Every platform's stored conflict-message templates (``ActionAdapter.STORED_MESSAGES``)."""
    return tuple(t for name in platforms() for t in _CONNECTORS[name].actions.STORED_MESSAGES)


def detect_platform(url: str, *, allow_insecure_http: bool = False) -> str:
    """Which platform the site at ``url`` runs, from one request without credentials: Vanilla
    answers its API v2 (``/api/v2/users/me`` as a guest); anything else is taken for Discourse,
    whose own sign-in then says whether it is. ``--platform`` skips this."""
    with ApiClient(
        url,
        None,
        allow_insecure_http=allow_insecure_http,
        pacer=HostPacer(Budget.unlimited()),
        timeouts=Timeouts(connect=10.0, read=30.0, deadline=45.0),
        retry=RetryPolicy(max_retries=1, base=0.5, cap=2.0),
    ) as client:
        return VANILLA.platform if vanilla_session.is_vanilla(client) else DEFAULT_PLATFORM


__all__ = [
    "AUTO",
    "DEFAULT_PLATFORM",
    "connector_for",
    "default_connector",
    "detect_platform",
    "platforms",
    "stored_messages",
]
