"""What the current key may do, probed once and remembered in the cache's ``settings`` table.

``probe(client, username)`` reads ``/u/{username}.json`` (admin/moderator flags), ``/badges.json``
(404 = badges turned off) and, for moderators, one non-automatic group's ``can_admin_group``
(whether moderators may manage groups), and ``/session/current.json`` for ``whisperer`` (whether
this account may post whispers, staff-only replies: CONTRACT-ADDITIONS §A4.1). The dispatcher
also records what it *observes*: a 403 on a group change means this key cannot manage that
group. Nothing here is authoritative: an unknown answer lets the action be queued, and the server
has the last word.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from modconsole import settings
from modconsole.api.client import ApiClient
from modconsole.connectors.base import ActionAdapter

SETTINGS_KEY = "moderation.permissions"


@dataclass(frozen=True)
class Permissions:
    checked_at: str | None = None
    username: str | None = None
    user_id: int | None = None
    admin: bool | None = None
    moderator: bool | None = None
    badges_enabled: bool | None = None
    manage_groups: bool | None = None  # may moderators manage (non-automatic) groups on this site?
    group_overrides: dict[str, bool] = field(default_factory=dict)  # group id -> observed answer
    whisperer: bool | None = None  # may post whispers (current_user.whisperer); None: never asked

    @property
    def staff(self) -> bool | None:
        if self.admin is None and self.moderator is None:
            return None
        return bool(self.admin or self.moderator)

    @property
    def role(self) -> str:
        if self.admin:
            return "admin"
        if self.moderator:
            return "moderator"
        if self.admin is False and self.moderator is False:
            return "member"
        return "unknown"

    def can_manage_group(self, group_id: int, *, can_admin_group: bool | None = None) -> bool | None:
        seen = self.group_overrides.get(str(group_id))
        if seen is not None:
            return seen
        if self.admin:
            return True
        if can_admin_group is not None:
            return can_admin_group
        if self.moderator:
            return self.manage_groups
        if self.admin is False and self.moderator is False:
            return False
        return None


def load(conn: Connection) -> Permissions:
    return settings.get(conn, PERMISSIONS)


def save(conn: Connection, perms: Permissions) -> None:
    settings.put(conn, PERMISSIONS, perms)


def observe_group(conn: Connection, group_id: int, allowed: bool) -> None:
    cur = load(conn)
    overrides = dict(cur.group_overrides)
    overrides[str(group_id)] = allowed
    save(conn, replace(cur, group_overrides=overrides))


def probe(
    client: ApiClient,
    username: str,
    *,
    sample_group: str | None = None,
    actions: ActionAdapter | None = None,
) -> Permissions:
    """Ask the server what this key may do, through the platform's action adapter (Discourse:
    2–4 GETs; Vanilla: ``/users/me``). Raises ApiError when offline."""
    from modconsole.connectors.registry import DEFAULT_PLATFORM, connector_for
    from modconsole.outbox.store import now_iso

    adapter = actions or connector_for(DEFAULT_PLATFORM).actions
    facts = adapter.permission_facts(client, username, sample_group=sample_group)
    known = {k: v for k, v in facts.items() if k in Permissions.__dataclass_fields__}
    return Permissions(checked_at=now_iso(), **known)


__all__ = ["SETTINGS_KEY", "Permissions", "load", "observe_group", "probe", "save"]


def _decode(value: Any) -> Permissions:
    data = settings.json_object(value, "permissions")
    return Permissions(**{k: v for k, v in data.items() if k in Permissions.__dataclass_fields__})


def _encode(value: Permissions) -> Any:
    return asdict(value)


PERMISSIONS: settings.Key[Permissions] = settings.key(
    "moderation.permissions",
    "What the signed-in key may do (probed once; group answers observed on push).",
    Permissions,
    _decode,
    _encode,
)
