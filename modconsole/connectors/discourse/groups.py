"""Group endpoints (CONTRACT §6)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import (
    Group,
    GroupMember,
    GroupMembersPage,
    MembershipChange,
    parse_group,
    parse_group_members,
    parse_membership_change,
)

MEMBERS_PAGE = 50


def group(client: ApiClient, name: str, *, cancel: CancelLike | None = None) -> Group:
    """``GET /groups/{name}.json``."""
    route = ep.group(name)
    return parse_group(client.get_json(route.path, cancel=cancel), route.label)


def members(
    client: ApiClient,
    name: str,
    *,
    offset: int = 0,
    limit: int = MEMBERS_PAGE,
    cancel: CancelLike | None = None,
) -> GroupMembersPage:
    """``GET /groups/{name}/members.json?offset=&limit=``."""
    route = ep.group_members(name)
    data = client.get_json(route.path, {"offset": offset, "limit": limit}, cancel=cancel)
    return parse_group_members(data, route.label)


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
    route = ep.add_group_members(group_id)
    data = client.put_json(
        route.path, {"usernames": _usernames(usernames), "notify_users": notify}, cancel=cancel
    )
    return parse_membership_change(data, route.label)


def remove_members(
    client: ApiClient, group_id: int, usernames: Sequence[str], *, cancel: CancelLike | None = None
) -> MembershipChange:
    """``DELETE /groups/{id}/members.json``."""
    route = ep.remove_group_members(group_id)
    data = client.delete_json(route.path, {"usernames": _usernames(usernames)}, cancel=cancel)
    return parse_membership_change(data, route.label)
