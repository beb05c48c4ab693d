"""The connectors by platform name: the workspace opens the one its site names.

A platform joins with one line in :data:`_CONNECTORS` (its connector module stays its own)."""

from __future__ import annotations

from modconsole.connectors.base import Connector
from modconsole.connectors.discourse.connector import CONNECTOR as DISCOURSE
from modconsole.errors import InvalidInput

DEFAULT_PLATFORM = "discourse"

_CONNECTORS: dict[str, Connector] = {
    DISCOURSE.platform: DISCOURSE,
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


__all__ = ["DEFAULT_PLATFORM", "connector_for", "platforms"]
