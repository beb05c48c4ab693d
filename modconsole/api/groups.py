"""Group endpoints (CONTRACT §6)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from urllib.parse import quote

from modconsole.api.client import ApiClient
from modconsole.api.parse import (
    Group,
    GroupMember,
    GroupMembersPage,
    MembershipChange,
    parse_group,
    parse_group_members,
    parse_membership_change,
)
from modconsole.api.ratelimit import CancelLike

MEMBERS_PAGE = 50


def group(client: ApiClient, name: str, *, cancel: CancelLike | None = None) -> Group:
    """``GET /groups/{name}.json``."""
    route = f"/groups/{quote(name, safe='')}.json"
    return parse_group(client.get_json(route, cancel=cancel), f"GET {route}")


def members(
    client: ApiClient,
    name: str,
    *,
    offset: int = 0,
    limit: int = MEMBERS_PAGE,
    cancel: CancelLike | None = None,
) -> GroupMembersPage:
    """``GET /groups/{name}/members.json?offset=&limit=``."""
    route = f"/groups/{quote(name, safe='')}/members.json"
    data = client.get_json(route, {"offset": offset, "limit": limit}, cancel=cancel)
    return parse_group_members(data, f"GET {route}")


def iter_members(
    client: ApiClient, name: str, *, limit: int = MEMBERS_PAGE, cancel: CancelLike | None = None
) -> Iterator[GroupMember]:
    """Every member, paging by ``offset`` until ``meta.total`` (or a short page)."""
    offset = 0
    while True:
        page = members(client, name, offset=offset, limit=limit, cancel=cancel)
        yield from page.members
        offset += len(page.members)
        if not page.members or len(page.members) < limit or (page.total is not None and offset >= page.total):
            return


def _usernames(usernames: Sequence[str]) -> str:
    names = [u.strip() for u in usernames if u and u.strip()]
    if not names:
        raise ValueError("no usernames given")
    return ",".join(names)


def add_members(
    client: ApiClient,
    group_id: int,
    usernames: Sequence[str],
    *,
    notify: bool = False,
    cancel: CancelLike | None = None,
) -> MembershipChange:
    """``PUT /groups/{id}/members.json`` (422 ``Rejected`` when all are already members)."""
    route = f"/groups/{int(group_id)}/members.json"
    data = client.put_json(route, {"usernames": _usernames(usernames), "notify_users": notify}, cancel=cancel)
    return parse_membership_change(data, f"PUT {route}")


def remove_members(
    client: ApiClient, group_id: int, usernames: Sequence[str], *, cancel: CancelLike | None = None
) -> MembershipChange:
    """``DELETE /groups/{id}/members.json``."""
    route = f"/groups/{int(group_id)}/members.json"
    data = client.delete_json(route, {"usernames": _usernames(usernames)}, cancel=cancel)
    return parse_membership_change(data, f"DELETE {route}")
