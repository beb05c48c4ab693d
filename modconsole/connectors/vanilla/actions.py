"""The outbox's side of the Vanilla connector: what exactly-once means on Vanilla's API v2.

Per kind (CONTRACT §4–§7, §9), the one write it sends, the read that tells whether it took effect,
and how a 2xx answer is read:

* ``accept_answer`` / ``unaccept_answer`` — ``PATCH /comments/{id}/answer`` ``{"status":
  "accepted"|"pending"}``. Idempotent on the server (the same status again is a no-op), and several
  answers may be accepted at once, so accepting never replaces anyone's choice. Probe:
  ``GET /comments/{id}`` → ``attributes.answer.status``. Someone else *rejected* the answer meanwhile
  (a curator's decision) is ``changed``: a conflict for the moderator.
* ``grant_badge`` / ``revoke_badge`` — ``POST /badges/{id}/users`` ``{"userID", "reasonBody"}`` and
  ``DELETE /badges/{id}/users/{userID}``. A repeated grant is *unknown* on a real site (a second
  award, or a 409: the demo's ``duplicate_grant``), so both are check-then-act: the holder list
  ``GET /badges/users?badgeID&userID`` is read before the send and after an ambiguous one. A member
  holds a badge at most once; a grant earned at another time than the one the moderator saw is a
  new award (``changed`` for a revoke).
* ``add_group_member`` / ``remove_group_member`` — ``POST /groups/{id}/members`` ``{"userID",
  "role": "member"}`` and ``DELETE /groups/{id}/members/{userID}``; check-then-act the same way,
  probed through the group's member list.
* ``create_post`` (a reply: a comment) — ``POST /comments`` ``{"discussionID", "body", "format":
  "markdown"}``; not idempotent, so the body carries the invisible ``<!-- mc:<op_uuid> -->``
  token; the probe reads our newest comments in the discussion and their raw source
  (``GET /comments/{id}/edit``) for it — never a blind re-send.
* ``like_post`` (a reaction ``Like``) — ``POST /comments/{id}/reactions`` (the body of a
  discussion, cached as post id −discussionID: ``/discussions/{id}/reactions``); idempotent;
  probed by the record's reaction summary (``hasReacted``).

Every other kind (trust levels, review, assign, closing, new topics) has no Vanilla counterpart in
the console yet: :meth:`VanillaActions.request_for` refuses it in one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.base import ProbeResult, Request
from modconsole.connectors.vanilla import endpoints as ep
from modconsole.connectors.vanilla import parse, session
from modconsole.connectors.vanilla.sync.rows import grant_id
from modconsole.errors import InvalidInput, NotFound, PermissionDenied

NOT_ON_VANILLA = "“{kind}” cannot be sent to a Vanilla community: the console offers it on Discourse only."

SUPPORTED = frozenset(
    {
        "accept_answer",
        "unaccept_answer",
        "grant_badge",
        "revoke_badge",
        "add_group_member",
        "remove_group_member",
        "create_post",
        "like_post",
    }
)
"""The kinds this adapter sends."""

KIND_NAMES = {
    "set_trust_level": "Set trust level",
    "close_topic": "Close topic",
    "create_topic": "New topic",
    "review_perform": "Review",
    "review_claim": "Claim for review",
    "review_unclaim": "Release a review claim",
    "assign_topic": "Assign",
    "unassign_topic": "Unassign",
}
"""How the refusal names a kind Vanilla does not offer in the console."""

PROBE_COMMENTS = 100
"""How many of a discussion's newest comments a reply's verification reads (one page)."""
MAX_PAGES = 50
"""The most pages a probe reads of a list (100 rows each; a short or empty page is not the end)."""

_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.M)


def token_marker(token: str) -> str:
    """The invisible line that lets a comment be found again (kept in the raw source only)."""
    return f"<!-- mc:{token} -->"


def with_token(raw: str, token: str | None) -> str:
    if not token:
        return raw
    return f"{raw.rstrip()}\n\n{token_marker(token)}"


def _i(p: Mapping[str, Any], key: str) -> int:
    return int(p[key])


def _when(value: Any) -> str:
    return f"{str(value)[:16].replace('T', ' ')} UTC" if value else "recently"


def _same_instant(a: Any, b: Any) -> bool:
    """Two timestamps to the second (Vanilla sends RFC 3339 without milliseconds)."""
    return str(a or "")[:19].replace(" ", "T") == str(b or "")[:19].replace(" ", "T")


class VanillaActions:
    """An :class:`~modconsole.connectors.base.ActionAdapter` for Vanilla API v2."""

    TOKEN_KINDS: frozenset[str] = frozenset({"create_post"})
    USER_KINDS: frozenset[str] = frozenset()  # addressed by userID: a rename changes nothing on the wire
    REVIEW_NOTHING = "Vanilla has no review queue in the console."
    REVIEW_NO_LONGER_OFFERED = REVIEW_NOTHING
    ASSIGN_KINDS: frozenset[str] = frozenset()
    STORED_MESSAGES: tuple[str, ...] = ()  # no conflict message with fields to re-mark
    PRECHECK_KINDS: frozenset[str] = frozenset(SUPPORTED - {"create_post", "like_post"})
    """Kinds read back before the first send too (check-then-act): the probe decides — present is
    done, changed a conflict (unless the moderator chose "apply anyway"), absent sends."""

    # ------------------------------------------------------------ the write

    def refusal(self, kind: str) -> str | None:
        return None if kind in SUPPORTED else NOT_ON_VANILLA.format(kind=KIND_NAMES.get(kind, kind))

    def request_for(self, kind: str, p: Mapping[str, Any]) -> Request:
        if kind == "accept_answer":
            return Request.to(ep.answer_status(_i(p, "post_id")), {"status": "accepted"})
        if kind == "unaccept_answer":
            return Request.to(ep.answer_status(_i(p, "post_id")), {"status": "pending"})
        if kind == "grant_badge":
            data: dict[str, Any] = {"userID": _i(p, "user_id")}
            if p.get("reason"):
                data["reasonBody"] = str(p["reason"])
            return Request.to(ep.grant_badge(_i(p, "badge_id")), data)
        if kind == "revoke_badge":
            return Request.to(ep.revoke_badge(_i(p, "badge_id"), _i(p, "user_id")))
        if kind == "add_group_member":
            return Request.to(
                ep.add_group_member(_i(p, "group_id")), {"userID": _i(p, "user_id"), "role": "member"}
            )
        if kind == "remove_group_member":
            return Request.to(ep.remove_group_member(_i(p, "group_id"), _i(p, "user_id")))
        if kind == "create_post":
            body = with_token(str(p["raw"]), p.get("client_token"))
            return Request.to(
                ep.post_comment(), {"discussionID": _i(p, "topic_id"), "body": body, "format": "markdown"}
            )
        if kind == "like_post":
            pid = _i(p, "post_id")
            route = ep.react_to_discussion(-pid) if pid < 0 else ep.react_to_comment(pid)
            return Request.to(route, {"reactionType": "Like"})
        raise InvalidInput(NOT_ON_VANILLA.format(kind=KIND_NAMES.get(kind, kind)))

    def token_for(self, op_uuid: str, raw: str) -> str | None:
        """The op's uuid, or None when a marker appended to this body would not stay invisible (it
        ends inside an open code fence); such a reply is then recognised by author and text."""
        return op_uuid if len(_FENCE.findall(raw)) % 2 == 0 else None

    # ------------------------------------------------------------ the read-back

    def probe(self, client: ApiClient, kind: str, p: Mapping[str, Any], *, me: str) -> ProbeResult:
        if kind in ("accept_answer", "unaccept_answer"):
            return self._answer_probe(client, kind, p)
        if kind in ("grant_badge", "revoke_badge"):
            return self._badge_probe(client, kind, p)
        if kind in ("add_group_member", "remove_group_member"):
            return self._member_probe(client, kind, p)
        if kind == "create_post":
            return self._reply_probe(client, p, me=me)
        if kind == "like_post":
            return self._reaction_probe(client, p)
        raise InvalidInput(NOT_ON_VANILLA.format(kind=kind))

    def _answer_probe(self, client: ApiClient, kind: str, p: Mapping[str, Any]) -> ProbeResult:
        route = ep.comment(_i(p, "post_id"))
        try:
            data = client.get_json(route.path)
        except NotFound:
            return ProbeResult("gone", message="The answer was deleted.")
        answer = ((data or {}).get("attributes") or {}).get("answer") if isinstance(data, dict) else None
        status = str((answer or {}).get("status") or "pending")
        ev = {"status": status, "accept_user_id": (answer or {}).get("acceptUserID")}
        if kind == "accept_answer":
            if status == "accepted":
                return ProbeResult("present", ev)
            if status == "rejected":
                return ProbeResult(
                    "changed",
                    ev,
                    f"Meanwhile answer #{p.get('post_number')} by @{p.get('author') or '?'} was rejected "
                    "by a moderator. Accepting it now would overrule them.",
                )
            return ProbeResult("absent", ev)
        if status == "pending":
            return ProbeResult("present", ev)
        if status == "rejected":
            return ProbeResult(
                "changed",
                ev,
                f"Meanwhile answer #{p.get('post_number')} was rejected by a moderator. "
                "Unaccepting it now would reset their decision to pending.",
            )
        return ProbeResult("absent", ev)

    def _holding(self, client: ApiClient, badge_id: int, user_id: int) -> parse.UserBadge | None:
        route = ep.badge_holders()
        for data in self._pages(client, route.path, {"badgeID": badge_id, "userID": user_id, "limit": 100}):
            for g in parse.user_badges(data, route.label):
                if g.badge_id == badge_id and g.user_id == user_id:
                    return g
        return None

    def _badge_probe(self, client: ApiClient, kind: str, p: Mapping[str, Any]) -> ProbeResult:
        try:
            held = self._holding(client, _i(p, "badge_id"), _i(p, "user_id"))
        except NotFound:
            return ProbeResult(
                "gone", message="The member or the badge no longer exists (or badges are off)."
            )
        earned = None if held is None else held.date_earned.isoformat() if held.date_earned else None
        ev = {"holds": held is not None, "granted_at": earned, "granted_by_id": held and held.insert_user_id}
        if kind == "grant_badge":
            return ProbeResult("present" if held else "absent", ev)
        if held is None:
            return ProbeResult("present", ev)
        seen = p.get("granted_at")
        if seen and earned and not _same_instant(seen, earned):
            return ProbeResult(
                "changed",
                {"ours": {"granted_at": seen}, "theirs": ev},
                f"Meanwhile @{p.get('username')} was awarded “{p.get('badge_name')}” again (a new award, "
                f"granted {_when(earned)}); the award you meant to revoke was already taken back. "
                "Revoking now would take back the new one.",
            )
        return ProbeResult("absent", ev)

    def _pages(self, client: ApiClient, path: str, params: dict[str, Any]) -> Iterator[Any]:
        """A list's pages, following ``Link: rel=next`` (a short or empty page is not the end)."""
        page = 1
        while page <= MAX_PAGES:
            data, headers = client.get_page(path, {**params, "page": page})
            yield data
            if parse.paging(headers).next_url is None:
                return
            page += 1

    def _member_probe(self, client: ApiClient, kind: str, p: Mapping[str, Any]) -> ProbeResult:
        gid, uid = _i(p, "group_id"), _i(p, "user_id")
        route = ep.group_members(gid)
        member = False
        try:
            for data in self._pages(client, route.path, {"limit": 100}):
                if any(m.user_id == uid for m in parse.group_members(data, route.label)):
                    member = True
                    break
        except NotFound:
            return ProbeResult("gone", message="The group no longer exists (or you can no longer see it).")
        want = kind == "add_group_member"
        return ProbeResult("present" if member == want else "absent", {"member": member})

    def _reply_probe(self, client: ApiClient, p: Mapping[str, Any], *, me: str) -> ProbeResult:
        """Our comment among the discussion's newest ones not known at enqueue: by its token in the
        raw source (exact: one op, one token), else by author and identical text."""
        did = _i(p, "topic_id")
        route = ep.comments()
        try:
            data = client.get_json(
                route.path,
                {
                    "discussionID": did,
                    "sort": "-commentID",
                    "limit": PROBE_COMMENTS,
                    "expand": "insertUser",
                    "quoteParent": "false",
                },
            )
        except NotFound:
            return ProbeResult("gone", message="The discussion was deleted.")
        known = {int(x) for x in p.get("known_post_ids") or []}
        mine = [
            c
            for c in (data if isinstance(data, list) else [])
            if isinstance(c, dict)
            and isinstance(c.get("commentID"), int)
            and c["commentID"] not in known
            and str(((c.get("insertUser") or {}).get("name")) or "").lower() == me.lower()
        ]
        token = p.get("client_token")
        marker = token_marker(str(token)) if token else None
        want = str(p.get("raw") or "").strip()
        for c in mine:
            src = client.get_json(ep.comment_edit(int(c["commentID"])).path)
            raw = str((src or {}).get("body") or "") if isinstance(src, dict) else ""
            if (marker in raw) if marker else raw.strip() == want:
                return ProbeResult("present", {"post_id": int(c["commentID"])})
        return ProbeResult("absent", {"checked": len(mine)})

    def _reaction_probe(self, client: ApiClient, p: Mapping[str, Any]) -> ProbeResult:
        pid = _i(p, "post_id")
        route = ep.discussion(-pid) if pid < 0 else ep.comment(pid)
        try:
            data = client.get_json(route.path, {"expand": "reactions"})
        except NotFound:
            return ProbeResult("gone", message="The post was deleted.")
        reactions = (data or {}).get("reactions") if isinstance(data, dict) else None
        acted = any(
            isinstance(r, dict) and str(r.get("urlcode")).lower() == "like" and r.get("hasReacted")
            for r in reactions or []
        )
        return ProbeResult("present" if acted else "absent", {"acted": acted})

    # ------------------------------------------------------------ a 2xx answer

    def success_resolution(
        self, kind: str, p: Mapping[str, Any], value: Any, *, my_user_id: int | None
    ) -> tuple[str, Any]:
        if kind == "grant_badge" and isinstance(value, dict):
            ev = {
                "user_badge_id": grant_id(_i(p, "badge_id"), _i(p, "user_id")),
                "granted_at": value.get("dateEarned"),
                "granted_by_id": value.get("insertUserID"),
            }
            by = value.get("insertUserID")
            if my_user_id is not None and by not in (None, my_user_id):
                return "already_applied", ev  # the server answered with someone else's award
            return "applied", ev
        if kind == "create_post" and isinstance(value, dict):
            return "applied", {"post_id": value.get("commentID"), "topic_id": value.get("discussionID")}
        if kind in ("accept_answer", "unaccept_answer") and isinstance(value, dict):
            answer = (value.get("attributes") or {}).get("answer") or {}
            return "applied", {"status": answer.get("status"), "accept_user_id": answer.get("acceptUserID")}
        if isinstance(value, dict):
            return "applied", {k: v for k, v in value.items() if isinstance(v, str | int | float | bool)}
        return "applied", None

    # ------------------------------------------------------------ the prechecks' reads

    def verify(self, client: ApiClient, *, cancel: CancelLike | None = None) -> dict[str, Any]:
        return session.verify(client, cancel=cancel)

    def permission_facts(
        self, client: ApiClient, username: str, *, sample_group: str | None
    ) -> dict[str, Any]:
        """What the token may do, from ``/users/me`` (its permissions) in one read."""
        me = session.verify(client)
        perms = set(me.get("permissions") or [])
        admin = bool(me.get("admin"))
        return {
            "username": me.get("username") or username,
            "user_id": me.get("id"),
            "admin": admin,
            "moderator": bool(me.get("moderator")),
            "badges_enabled": True,
            "manage_groups": True if admin else ("Groups.Members.Manage" in perms or None),
            "whisperer": False,  # Vanilla has no whispers
        }

    def read_label(self, what: str, ident: int | str | None = None) -> str:
        if what == "grants":
            return ep.badge_holders().label
        if what == "topic":
            return ep.discussion(int(ident or 0)).label
        return f"read {what}" + ("" if ident is None else f" {ident}")

    def admin_user(self, client: ApiClient, user_id: int) -> dict[str, Any] | None:
        try:
            data = client.get_json(ep.user(user_id).path)
        except NotFound:
            return None
        if not isinstance(data, dict):
            return None
        return {"id": data.get("userID"), "username": data.get("name")}

    def user_list(self, client: ApiClient, flag: str) -> Any:
        """Vanilla has no suspended/silenced lists; a banned member is refused by the server."""
        return []

    def user_grants(self, client: ApiClient, badge_id: int, username: str) -> list[dict[str, Any]]:
        raise InvalidInput(NOT_ON_VANILLA.format(kind="badge grants by username"))

    def topic_view(self, client: ApiClient, topic_id: int) -> dict[str, Any] | None:
        try:
            data = client.get_json(ep.discussion(topic_id).path)
        except (NotFound, PermissionDenied):
            return None
        return data if isinstance(data, dict) else None

    def accepted_post_numbers(self, view: Mapping[str, Any]) -> set[int]:
        return set()  # Vanilla numbers nothing: accept and unaccept are probed per answer

    def unaccept_state(self, view: Mapping[str, Any], p: Mapping[str, Any]) -> ProbeResult:
        raise InvalidInput(NOT_ON_VANILLA.format(kind="unaccept by topic"))

    def review_item(self, client: ApiClient, reviewable_id: int) -> Any:
        raise InvalidInput(NOT_ON_VANILLA.format(kind="review"))

    def review_state(self, item: Any, p: Mapping[str, Any], *, me: str) -> ProbeResult:
        raise InvalidInput(NOT_ON_VANILLA.format(kind="review"))

    def assign_state(self, kind: str, view: Mapping[str, Any] | None, p: Mapping[str, Any]) -> ProbeResult:
        raise InvalidInput(NOT_ON_VANILLA.format(kind=kind))


ACTIONS = VanillaActions()
