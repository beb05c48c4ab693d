"""Discourse's outbox action adapter: what each queued action sends, and the one read that tells
whether it took effect (SYNC.md §6.6). The dispatcher reaches it through the connector
(:class:`~modconsole.connectors.base.ActionAdapter`); this module is the adapter.

All actions are phrased as "ensure this state". For each kind this module knows:

* :func:`request_for` — the single write request (method, path, form data);
* :func:`probe` — the verification read: ``present`` (the effect is on the server), ``absent``
  (it is not: safe to send), ``gone`` (the topic, post, member or badge no longer exists), or
  ``changed`` (our target is no longer there because someone replaced it: the grant we meant to
  revoke was revoked and the badge awarded again; the answer we meant to unaccept was replaced by
  another — a conflict for the moderator, never "done");
* :func:`success_resolution` — whether a 2xx answer shows our write or a pre-existing effect.

Replies (nudges included) and new topics are not idempotent on the server: Discourse has no client
key, and staff skip its duplicate-body check (CONTRACT-ADDITIONS A4.2). So each one carries a
recognition token, an HTML comment ``<!-- mc:<op_uuid> -->`` at the end of its raw body
(:func:`with_token`): Discourse keeps it in ``raw`` and its sanitiser drops comments from
``cooked``, so readers never see it, and the verification read after an ambiguous send finds
exactly our post by it. A like is verified by the post's own ``actions_summary`` (``acted``).

Probes raise :class:`~modconsole.errors.ApiError` when the read itself fails; the dispatcher then
keeps the row ``in_flight`` and tries again later (never a blind re-send).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from modconsole.api.client import ApiClient
from modconsole.connectors.base import NeedsLookup, ProbeResult, ProbeState, Request
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse import review as review_api
from modconsole.connectors.discourse import user_notes as user_notes_api
from modconsole.connectors.discourse.session import verify
from modconsole.errors import NotFound, PermissionDenied
from modconsole.i18n import QT_TRANSLATE_NOOP, Msg

TOKEN_KINDS = frozenset({"create_post", "create_topic"})
"""Kinds whose body carries a recognition token (not idempotent on the server, no natural key)."""


def token_marker(token: str) -> str:
    """The invisible line that lets a post be found again: an HTML comment, kept in ``raw``,
    dropped from ``cooked`` by Discourse's sanitiser."""
    return f"<!-- mc:{token} -->"


_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.M)


def token_for(op_uuid: str, raw: str) -> str | None:
    """The token a body is sent with: the op's uuid, or None when a marker appended to this body
    would not stay invisible (it ends inside an open code fence, where a comment shows as text);
    such a body is then recognised by author and identical text, as before tokens existed."""
    return op_uuid if len(_FENCE.findall(raw)) % 2 == 0 else None


def with_token(raw: str, token: str | None) -> str:
    """The raw body as sent: the moderator's text, then the recognition marker on its own line."""
    if not token:
        return raw
    return f"{raw.rstrip()}\n\n{token_marker(token)}"


def _i(p: Mapping[str, Any], key: str) -> int:
    return int(p[key])


def request_for(kind: str, p: Mapping[str, Any]) -> Request:
    if kind == "grant_badge":
        data: dict[str, Any] = {"username": p["username"], "badge_id": _i(p, "badge_id")}
        if p.get("reason"):
            data["reason"] = p["reason"]
        return Request.to(ep.grant_badge(), data)
    if kind == "revoke_badge":
        if not p.get("user_badge_id"):
            raise NeedsLookup
        return Request.to(ep.revoke_badge(_i(p, "user_badge_id")))
    if kind == "accept_answer":
        return Request.to(ep.solution_accept(), {"id": _i(p, "post_id")})
    if kind == "unaccept_answer":
        return Request.to(ep.solution_unaccept(), {"id": _i(p, "post_id")})
    if kind == "add_group_member":
        return Request.to(
            ep.add_group_members(_i(p, "group_id")), {"usernames": p["username"], "notify_users": False}
        )
    if kind == "remove_group_member":
        return Request.to(ep.remove_group_members(_i(p, "group_id")), {"usernames": p["username"]})
    if kind == "set_trust_level":
        return Request.to(ep.set_trust_level(_i(p, "user_id")), {"level": _i(p, "level")})
    if kind == "create_topic":
        data = {"title": p["title"], "raw": with_token(str(p["raw"]), p.get("client_token"))}
        if p.get("category_id") is not None:
            data["category"] = _i(p, "category_id")
        return Request.to(ep.create_post(), data)
    if kind == "create_post":
        data = {"topic_id": _i(p, "topic_id"), "raw": with_token(str(p["raw"]), p.get("client_token"))}
        if p.get("reply_to_post_number") is not None:
            data["reply_to_post_number"] = _i(p, "reply_to_post_number")
        if p.get("whisper"):  # post_type 4, staff-only (CONTRACT-ADDITIONS §A4.1); 403 for a non-whisperer
            data["whisper"] = "true"
        return Request.to(ep.create_post(), data)
    if kind == "like_post":
        return Request.to(ep.post_action(), {"id": _i(p, "post_id"), "post_action_type_id": 2})
    if kind == "close_topic":
        return Request.to(ep.topic_status(_i(p, "topic_id")), {"status": "closed", "enabled": "true"})
    if kind == "review_perform":  # the version lock travels with it (CONTRACT-ADDITIONS §A2.4)
        action = str(p.get("server_action") or p["action_id"])
        return Request.to(ep.review_perform(_i(p, "reviewable_id"), action), {"version": _i(p, "version")})
    if kind == "review_claim":
        return Request.to(ep.claim_topic(), {"reviewable_claimed_topic[topic_id]": _i(p, "topic_id")})
    if kind == "review_unclaim":
        return Request.to(ep.unclaim_topic(_i(p, "topic_id")))
    if kind in ASSIGN_KINDS:
        return assign_request(kind, p)
    if kind in NOTE_KINDS:
        return note_request(kind, p)
    raise ValueError(f"unknown outbox kind {kind!r}")


# ---------------------------------------------------------------- reads


def review_item(client: ApiClient, reviewable_id: int) -> review_api.ReviewItem | None:
    """The review item as the server shows it now, or None when it is gone (a precheck read)."""
    return review_api.get_item(client, reviewable_id)


def user_list(client: ApiClient, flag: str) -> Any:
    """Staff's list of members with ``flag`` (``suspended``, ``silenced``): who may not be acted on."""
    return client.get_json(ep.admin_user_list(flag).path)


def read_label(what: str, ident: int | str | None = None) -> str:
    """How the outbox log names a read: ``what`` is ``admin_user``, ``user_list``, ``grants``,
    ``review_item`` or ``topic``; ``ident`` the id (or flag) it is about."""
    if what == "admin_user":
        return ep.admin_user(int(ident or 0)).label
    if what == "user_list":
        return ep.admin_user_list(str(ident)).label
    if what == "grants":
        return ep.badge_grants().label
    if what == "review_item":
        return ep.review_item(int(ident or 0)).label
    if what == "topic":
        return ep.topic(int(ident or 0)).label
    raise ValueError(f"unknown read {what!r}")


def user_grants(client: ApiClient, badge_id: int, username: str) -> list[dict[str, Any]]:
    """Every grant of ``badge_id`` held by ``username`` (``GET /user_badges.json?badge_id&username``)."""
    data = client.get_json(ep.badge_grants().path, {"badge_id": int(badge_id), "username": username})
    info = data.get("user_badge_info") if isinstance(data, dict) else None
    items = info.get("user_badges") if isinstance(info, dict) else None
    if items is None and isinstance(data, dict):
        items = data.get("user_badges")
    grants = [
        g for g in (items or []) if isinstance(g, dict) and int(g.get("badge_id", badge_id)) == int(badge_id)
    ]
    return grants


def admin_user(client: ApiClient, user_id: int) -> dict[str, Any] | None:
    """``GET /admin/users/{id}.json``, or None when the member no longer exists."""
    try:
        data = client.get_json(ep.admin_user(user_id).path)
    except NotFound:
        return None
    if isinstance(data, dict) and isinstance(data.get("admin_user"), dict):
        data = data["admin_user"]
    return data if isinstance(data, dict) else None


def topic_view(client: ApiClient, topic_id: int) -> dict[str, Any] | None:
    try:
        data = client.get_json(ep.topic(topic_id).path)
    except NotFound:
        return None
    if not isinstance(data, dict) or data.get("deleted_at"):
        return None
    return data


def accepted_post_numbers(view: Mapping[str, Any]) -> set[int]:
    nums: set[int] = set()
    aa = view.get("accepted_answer")
    if isinstance(aa, dict) and aa.get("post_number") is not None:
        nums.add(int(aa["post_number"]))
    for a in view.get("accepted_answers") or []:
        if isinstance(a, dict) and a.get("post_number") is not None:
            nums.add(int(a["post_number"]))
    return nums


def _grant_present(p: Mapping[str, Any], grants: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not p.get("multiple_grant"):
        return grants[0] if grants else None
    if p.get("reason_post_id") is not None:
        return next((g for g in grants if g.get("post_id") == p["reason_post_id"]), None)
    before = int(p.get("grant_count_before") or 0)
    return grants[0] if len(grants) > before else None


def replacing_grants(p: Mapping[str, Any], grants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Grants a revoke did not mean, newest last: the grant identity (``user_badge_id``) tells the
    grant the moderator saw from a new one. For a single-grant badge every other grant is new;
    for a multiple-grant badge only a later one (a higher id) — older grants were there already."""
    ubid = p.get("user_badge_id")
    if ubid is None:
        return []
    others = [g for g in grants if isinstance(g.get("id"), int) and g["id"] != int(ubid)]
    if p.get("multiple_grant"):
        others = [g for g in others if g["id"] > int(ubid)]
    return sorted(others, key=lambda g: int(g["id"]))


def _when(value: Any) -> str:
    return f"{str(value)[:16].replace('T', ' ')} UTC" if value else "recently"


def revoke_state(p: Mapping[str, Any], grants: list[dict[str, Any]]) -> ProbeResult:
    """Whether a revoke is still to do (``absent``), done (``present``), or overtaken by a new
    grant (``changed``): the grant meant is gone, yet the member holds the badge again."""
    ubid = p.get("user_badge_id")
    if any(ubid is None or g.get("id") == ubid for g in grants):
        return ProbeResult("absent", {"user_badge_id": ubid})
    newer = replacing_grants(p, grants)
    if not newer:
        return ProbeResult("present", {"grants": len(grants)})
    new = newer[-1]
    seen = {"id": ubid, "granted_at": p.get("granted_at")}
    theirs = {k: new.get(k) for k in ("id", "granted_at", "granted_by_id", "post_id")}
    return ProbeResult(
        "changed",
        {"ours": seen, "theirs": theirs},
        f"Meanwhile @{p.get('username')} was awarded “{p.get('badge_name')}” again "
        f"(a new award, granted {_when(new.get('granted_at'))}); the award you meant to revoke "
        "was already taken back. Revoking now would take back the new one.",
    )


def post_id_for_number(view: Mapping[str, Any], post_number: int) -> int | None:
    """The id of post ``post_number`` if the topic view's loaded posts include it."""
    for x in (view.get("post_stream") or {}).get("posts") or []:
        if isinstance(x, dict) and x.get("post_number") == post_number and isinstance(x.get("id"), int):
            return int(x["id"])
    return None


def unaccept_state(view: Mapping[str, Any], p: Mapping[str, Any]) -> ProbeResult:
    """Whether an unaccept is still to do (``absent``: our post is accepted), done (``present``:
    no answer is accepted), or overtaken (``changed``: another answer replaced ours meanwhile)."""
    nums = accepted_post_numbers(view)
    ours = int(p["post_number"])
    if ours in nums:
        return ProbeResult("absent", {"accepted_post_numbers": sorted(nums)})
    if not nums:
        return ProbeResult("present", {"accepted_post_numbers": []})
    theirs = dict(view.get("accepted_answer") or {})
    theirs.pop("excerpt", None)
    n = theirs.get("post_number") or min(nums)
    theirs["post_number"] = n
    theirs["post_id"] = post_id_for_number(view, int(n))
    by = f" by @{theirs['accepter_username']}" if theirs.get("accepter_username") else ""
    author = f" by @{theirs['username']}" if theirs.get("username") else ""
    return ProbeResult(
        "changed",
        {"accepted_post_numbers": sorted(nums), "theirs": theirs, "ours": {"post_number": ours}},
        f"Meanwhile post #{n}{author} was accepted{by} in place of #{ours}. "
        "Unaccepting now would remove their choice.",
    )


# The review kinds' conflict messages. They are stored as English text (``last_error``); the
# Outbox view re-marks a stored text that one of these templates produced (STORED_MESSAGES), so
# the UI shows it translated.
REVIEW_GONE = QT_TRANSLATE_NOOP("core", "The review item no longer exists (or you can no longer see it).")
REVIEW_HANDLED_BY = QT_TRANSLATE_NOOP(
    "core", "@{user} already handled this item ({status}) before your “{action}” arrived."
)
REVIEW_HANDLED = QT_TRANSLATE_NOOP(
    "core", "Another moderator already handled this item ({status}) before your “{action}” arrived."
)
REVIEW_CHANGED = QT_TRANSLATE_NOOP(
    "core",
    "The item changed since you read it (version {seen} → {now}); it is still waiting for review. "
    "Retry reads it again and sends your choice if it is still offered.",
)
REVIEW_CLAIMED_FIRST = QT_TRANSLATE_NOOP("core", "@{user} claimed this item first.")
REVIEW_NO_LONGER_OFFERED = QT_TRANSLATE_NOOP(
    "core", "“{action}” is no longer offered for this item; it offers {offered} now."
)
REVIEW_NOTHING = QT_TRANSLATE_NOOP("core", "nothing")
STORED_MESSAGES: tuple[str, ...] = (
    REVIEW_HANDLED_BY,
    REVIEW_HANDLED,
    REVIEW_CHANGED,
    REVIEW_CLAIMED_FIRST,
    REVIEW_NO_LONGER_OFFERED,
)
"""Templates of conflict messages with fields, as stored in ``last_error`` (see above)."""


def review_state(item: review_api.ReviewItem | None, p: Mapping[str, Any], *, me: str) -> ProbeResult:
    """Whether a review perform is still to do (``absent``: the item is pending at the version we
    send, so the lock lets at most one of our sends through), done (``present``: we moved it out of
    pending), ``gone``, or ``changed``: someone else handled it, or it changed (a new flag, an
    edit) since we read it — the moderator decides."""
    if item is None:
        return ProbeResult("gone", message=REVIEW_GONE)
    ev = {"status": item.status_name, "version": item.version, "by": item.last_transition_by}
    label = p.get("label") or p.get("action_id")
    if item.status != 0:
        if item.last_transition_by and item.last_transition_by.lower() == me.lower():
            return ProbeResult("present", ev)
        if item.last_transition_by:
            text = Msg(REVIEW_HANDLED_BY, user=item.last_transition_by, status=item.status_name, action=label)
        else:
            text = Msg(REVIEW_HANDLED, status=item.status_name, action=label)
        return ProbeResult("changed", ev, text)
    if item.version == int(p.get("version") or 0):
        return ProbeResult("absent", ev)
    return ProbeResult("changed", ev, Msg(REVIEW_CHANGED, seen=p.get("version"), now=item.version))


def claim_state(kind: str, item: review_api.ReviewItem | None, *, me: str) -> ProbeResult:
    """A claim is done when we hold it; someone else holding it is a conflict. A release is done
    when nobody holds it (the claim is on the topic; performing releases it too)."""
    if item is None:
        return ProbeResult("gone", message=REVIEW_GONE)
    holder = item.claimed_by
    ev = {"claimed_by": holder}
    mine = bool(holder) and str(holder).lower() == me.lower()
    if kind == "review_unclaim":
        return ProbeResult("present" if not holder else "absent", ev)
    if mine:
        return ProbeResult("present", ev)
    if holder:
        return ProbeResult("changed", ev, Msg(REVIEW_CLAIMED_FIRST, user=holder))
    return ProbeResult("absent", ev)


def probe(client: ApiClient, kind: str, p: Mapping[str, Any], *, me: str) -> ProbeResult:
    """Read the server's state for this action (one GET, two for replies)."""
    if kind in ASSIGN_KINDS:
        return assign_probe(client, kind, p)
    if kind in NOTE_KINDS:
        return note_probe(client, kind, p, me=me)
    if kind == "review_perform":
        return review_state(review_api.get_item(client, int(p["reviewable_id"])), p, me=me)
    if kind in ("review_claim", "review_unclaim"):
        return claim_state(kind, review_api.get_item(client, int(p["reviewable_id"])), me=me)
    if kind in ("grant_badge", "revoke_badge"):
        try:
            grants = user_grants(client, int(p["badge_id"]), str(p["username"]))
        except NotFound:
            return ProbeResult(
                "gone", message="The member or the badge no longer exists (or badges are off)."
            )
        if kind == "grant_badge":
            g = _grant_present(p, grants)
            return (
                ProbeResult("present", {"user_badge": g})
                if g
                else ProbeResult("absent", {"grants": len(grants)})
            )
        return revoke_state(p, grants)
    if kind in ("accept_answer", "unaccept_answer", "close_topic"):
        view = topic_view(client, int(p["topic_id"]))
        if view is None:
            return ProbeResult("gone", message="The topic was deleted or is no longer visible.")
        if kind == "close_topic":
            return ProbeResult(
                "present" if view.get("closed") else "absent", {"closed": bool(view.get("closed"))}
            )
        if kind == "unaccept_answer":
            return unaccept_state(view, p)
        nums = accepted_post_numbers(view)
        stream = (view.get("post_stream") or {}).get("stream")
        if isinstance(stream, list) and int(p["post_id"]) not in stream:
            return ProbeResult("gone", {"accepted": sorted(nums)}, "The post was deleted.")
        has = int(p["post_number"]) in nums
        return ProbeResult("present" if has else "absent", {"accepted_post_numbers": sorted(nums)})
    if kind in ("add_group_member", "remove_group_member", "set_trust_level"):
        u = admin_user(client, int(p["user_id"]))
        if u is None:
            return ProbeResult("gone", message="The member was deleted.")
        if kind == "set_trust_level":
            ok = u.get("trust_level") == int(p["level"])
            return ProbeResult("present" if ok else "absent", {"trust_level": u.get("trust_level")})
        groups = {int(g["id"]) for g in u.get("groups") or [] if isinstance(g, dict) and "id" in g}
        member = int(p["group_id"]) in groups
        want = kind == "add_group_member"
        return ProbeResult("present" if member == want else "absent", {"member": member})
    if kind == "like_post":
        try:
            post = client.get_json(ep.post(int(p["post_id"])).path)
        except NotFound:
            return ProbeResult("gone", message="The post was deleted.")
        acted = any(
            isinstance(a, dict) and a.get("id") == 2 and a.get("acted")
            for a in (post or {}).get("actions_summary") or []
        )
        return ProbeResult("present" if acted else "absent", {"acted": acted})
    if kind == "create_post":
        view = topic_view(client, int(p["topic_id"]))
        if view is None:
            return ProbeResult("gone", message="The topic was deleted.")
        stream = [int(x) for x in (view.get("post_stream") or {}).get("stream") or []]
        known = set(p.get("known_post_ids") or [])
        # the newest posts not known at enqueue: ours is among them (a busy topic gets a few after it)
        ids = [x for x in stream if x not in known][-PROBE_POSTS:]
        if not ids:
            return ProbeResult("absent", {"checked": 0})
        data = client.get_json(
            ep.topic_posts(int(p["topic_id"])).path,
            {"post_ids[]": [str(x) for x in ids], "include_raw": "true"},
        )
        posts = ((data or {}).get("post_stream") or {}).get("posts") or []
        match = _match_post(posts, me, p)
        return (
            ProbeResult("present", {"post_id": match})
            if match
            else ProbeResult("absent", {"checked": len(ids)})
        )
    if kind == "create_topic":
        before: int | None = None
        checked = 0
        for _ in range(PROBE_PAGES):  # the newest posts site-wide, with raw, a page of 50 at a time
            data = client.get_json(ep.latest_posts().path, {"before": before} if before is not None else None)
            page = [x for x in (data or {}).get("latest_posts") or [] if isinstance(x, dict)]
            firsts = [
                x
                for x in page
                if x.get("post_number") == 1 and (p.get("client_token") or x.get("topic_title") == p["title"])
            ]
            match = _match_post(firsts, me, p)
            if match:
                return ProbeResult("present", {"post_id": match})
            checked += len(page)
            ids = [int(x["id"]) for x in page if isinstance(x.get("id"), int)]
            if not p.get("client_token") or not ids or min(ids) <= 1:
                break
            before = min(ids) - 1
        return ProbeResult("absent", {"checked": checked})
    raise ValueError(f"unknown outbox kind {kind!r}")


PROBE_POSTS = 100
"""How many of a topic's newest posts a reply's verification reads (one request)."""
PROBE_PAGES = 4
"""How many pages of the site's newest posts a new topic's verification reads (50 each)."""


def _match_post(posts: list[Any], me: str, p: Mapping[str, Any]) -> int | None:
    """Our post among ``posts``: by its recognition token when it was sent with one (exact: one
    op, one token), else (rows sent before tokens existed) by author and identical body."""
    token = p.get("client_token")
    marker = token_marker(str(token)) if token else None
    want = str(p.get("raw") or "").strip()
    for x in posts:
        if not isinstance(x, dict) or str(x.get("username") or "").lower() != me.lower():
            continue
        raw = str(x.get("raw") or "")
        if (marker in raw) if marker else raw.strip() == want:
            return int(x["id"])
    return None


def success_resolution(
    kind: str, p: Mapping[str, Any], value: Any, *, my_user_id: int | None
) -> tuple[str, Any]:
    """``('applied' | 'already_applied', evidence)`` for a 2xx answer."""
    if kind == "grant_badge" and isinstance(value, dict):
        ub = value.get("user_badge") if isinstance(value.get("user_badge"), dict) else None
        if ub is not None:
            ev = {
                "user_badge_id": ub.get("id"),
                "granted_at": ub.get("granted_at"),
                "granted_by_id": ub.get("granted_by_id"),
            }
            if my_user_id is not None and ub.get("granted_by_id") not in (None, my_user_id):
                return "already_applied", ev
            return "applied", ev
    if (
        kind == "remove_group_member"
        and isinstance(value, dict)
        and not value.get("usernames")
        and value.get("skipped_usernames")
    ):
        return "already_applied", {"skipped": value.get("skipped_usernames")}
    if kind == "add_user_note" and isinstance(value, dict) and isinstance(value.get("user_note"), dict):
        return "applied", {"note_id": value["user_note"].get("id")}
    if kind in ("create_topic", "create_post") and isinstance(value, dict):
        return "applied", {"post_id": value.get("id"), "topic_id": value.get("topic_id")}
    if kind == "review_perform" and isinstance(value, dict):
        res = value.get("reviewable_perform_result", value)
        return "applied", _excerpt_obj(res)
    return "applied", _excerpt_obj(value)


def _excerpt_obj(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if isinstance(v, str | int | float | bool) or v is None}
    return None


# ---------------------------------------------------------------- Assign (CONTRACT-ADDITIONS §A3)
# Assign refuses a repeated assign with a 400 sentence and writes a tracking post for every change:
# it is not idempotent. So the probe is the topic view's ``assigned_to_user`` / ``assigned_to_group``:
# read before the first send (a teammate may have taken the topic meanwhile) and after an ambiguous
# send or a 400, never a blind re-send.

ASSIGN_KINDS = frozenset({"assign_topic", "unassign_topic"})

ASSIGN_GONE = QT_TRANSLATE_NOOP("core", "The topic was deleted or is no longer visible.")
ASSIGN_TAKEN = QT_TRANSLATE_NOOP(
    "core",
    "Meanwhile the topic was assigned to {holder}; assigning it to {target} now would take it from them.",
)
UNASSIGN_TAKEN = QT_TRANSLATE_NOOP(
    "core", "Meanwhile the topic was assigned to {holder}; unassigning it now would take it from them."
)


def assignee_label(user: str | None, group: str | None) -> str:
    """``@name`` of a user, ``group`` for a group (how Discourse names both: @ and the name)."""
    if user:
        return f"@{user}"
    return f"@{group}" if group else ""


def assign_request(kind: str, p: Mapping[str, Any]) -> Request:
    """``PUT /assign/assign.json`` (to ``username`` or ``group_name``, with the note) or
    ``PUT /assign/unassign.json``; the target is always the topic (``target_type`` capitalised)."""
    data: dict[str, Any] = {"target_id": _i(p, "topic_id"), "target_type": "Topic"}
    if kind == "unassign_topic":
        return Request.to(ep.unassign(), data)
    if p.get("username"):
        data["username"] = p["username"]
    else:
        data["group_name"] = p["group_name"]
    if p.get("note"):
        data["note"] = p["note"]
    return Request.to(ep.assign(), data)


def view_assignee(view: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(username, group name, note) the topic view shows as its assignment."""
    u = view.get("assigned_to_user")
    g = view.get("assigned_to_group")
    user = str(u["username"]) if isinstance(u, dict) and u.get("username") else None
    group = str(g["name"]) if isinstance(g, dict) and g.get("name") and user is None else None
    note = view.get("assignment_note")
    return user, group, (str(note) if note else None)


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").lower() == (b or "").lower()


def assign_state(kind: str, view: Mapping[str, Any] | None, p: Mapping[str, Any]) -> ProbeResult:
    """Whether an assign is done (``present``: the topic is held by our target, with our note),
    still to do (``absent``: nobody holds it, or whoever the moderator saw when queueing it — a
    deliberate re-assign), or taken meanwhile (``changed``: someone else holds it now — named). An
    unassign is done when nobody holds it, to do while the holder is the one seen, and ``changed``
    when someone else took it since."""
    if view is None:
        return ProbeResult("gone", message=ASSIGN_GONE)
    user, group, note = view_assignee(view)
    ev = {"user": user, "group": group}
    raw_seen = p.get("seen")
    seen: Mapping[str, Any] = raw_seen if isinstance(raw_seen, dict) else {}
    held = bool(user or group)
    held_as_seen = _same(user, seen.get("user")) and _same(group, seen.get("group"))
    holder = assignee_label(user, group)
    if kind == "unassign_topic":
        if not held:
            return ProbeResult("present", ev)
        if held_as_seen or "seen" not in p:
            return ProbeResult("absent", ev)
        return ProbeResult("changed", ev, Msg(UNASSIGN_TAKEN, holder=holder))
    target_user, target_group = p.get("username"), p.get("group_name")
    ours = _same(user, target_user) and _same(group, target_group if not target_user else None)
    if ours and _same(note, p.get("note")):
        return ProbeResult("present", ev)
    if ours or not held or held_as_seen:
        return ProbeResult("absent", ev)
    target = assignee_label(target_user, target_group)
    return ProbeResult("changed", ev, Msg(ASSIGN_TAKEN, holder=holder, target=target))


def assign_probe(client: ApiClient, kind: str, p: Mapping[str, Any]) -> ProbeResult:
    """One read: the topic view (it carries the assignment for those who may assign)."""
    return assign_state(kind, topic_view(client, int(p["topic_id"])), p)


STORED_MESSAGES = (*STORED_MESSAGES, ASSIGN_TAKEN, UNASSIGN_TAKEN)


# ---------------------------------------------------------------- User Notes (CONTRACT-ADDITIONS §A4.4)
# Adding a note is not idempotent (every POST adds one, with a fresh server id) and the note's text
# is shown to staff as written, so no recognition token can hide in it. Instead the precheck before
# the first send records the ids of the member's notes (``known_note_ids``, saved with the row before
# it goes out); after an ambiguous send our note is the one that is new since, written by us, with
# our text. Deleting is idempotent on the server (an unknown id succeeds); its probe is whether the
# note is still listed.

NOTE_KINDS = frozenset({"add_user_note", "delete_user_note"})

NOTES_GONE = QT_TRANSLATE_NOOP("core", "The member no longer exists, or the community turned User Notes off.")


def note_request(kind: str, p: Mapping[str, Any]) -> Request:
    """``POST /user_notes.json`` (the member, the text, the post it is about) or
    ``DELETE /user_notes/{id}.json?user_id=N``."""
    if kind == "delete_user_note":
        return Request.to(ep.delete_user_note(str(p["note_id"]), _i(p, "user_id")))
    data: dict[str, Any] = {"user_note[user_id]": _i(p, "user_id"), "user_note[raw]": str(p["raw"])}
    if p.get("post_id") is not None:
        data["user_note[post_id]"] = _i(p, "post_id")
    return Request.to(ep.create_user_note(), data)


def note_state(
    kind: str, notes: list[user_notes_api.RemoteNote] | None, p: Mapping[str, Any], *, me: str
) -> ProbeResult:
    """An add is ``present`` when a note new since the precheck (not in ``known_note_ids``) was
    written by ``me`` with our text; ``absent`` otherwise (and always before the precheck recorded
    the known ids: nothing was sent yet). A delete is ``present`` once the note is not listed. No
    list (the member is gone, or the plugin was turned off): ``gone``."""
    if notes is None:
        return ProbeResult("gone", message=NOTES_GONE)
    ev: dict[str, Any] = {"note_ids": [n.id for n in notes]}
    if kind == "delete_user_note":
        listed = any(n.id == str(p["note_id"]) for n in notes)
        return ProbeResult("absent" if listed else "present", ev)
    known = p.get("known_note_ids")
    if not isinstance(known, list):
        return ProbeResult("absent", ev)
    raw = str(p["raw"]).strip()
    for n in notes:
        if n.id not in known and (n.created_by or "").lower() == me.lower() and n.raw.strip() == raw:
            return ProbeResult("present", {**ev, "note_id": n.id})
    return ProbeResult("absent", ev)


def note_probe(client: ApiClient, kind: str, p: Mapping[str, Any], *, me: str) -> ProbeResult:
    """One read: the member's notes (a 404 — member gone or plugin off — is ``gone``)."""
    try:
        notes: list[user_notes_api.RemoteNote] | None = user_notes_api.fetch(client, _i(p, "user_id"))
    except NotFound:
        notes = None
    return note_state(kind, notes, p, me=me)


STORED_MESSAGES = (*STORED_MESSAGES, NOTES_GONE)


def permission_facts(client: ApiClient, username: str, *, sample_group: str | None = None) -> dict[str, Any]:
    """What this key may do (2–4 GETs): ``/u/{username}.json`` (admin/moderator), ``/badges.json``
    (404 = badges off), for a moderator one non-automatic group's ``can_admin_group``, and
    ``/session/current.json`` for ``whisperer``. Raises ApiError when offline."""
    data = client.get_json(ep.user(username).path)
    user: dict[str, Any] = data.get("user", {}) if isinstance(data, dict) else {}
    admin, moderator = bool(user.get("admin")), bool(user.get("moderator"))
    try:
        client.get_json(ep.badges().path)
        badges = True
    except NotFound:
        badges = False
    manage: bool | None = True if admin else (False if not moderator else None)
    if moderator and not admin and sample_group:
        try:
            g = client.get_json(ep.group(sample_group).path)
            cag = (g or {}).get("group", {}).get("can_admin_group")
            manage = bool(cag) if cag is not None else None
        except (NotFound, PermissionDenied):
            manage = None
    return {
        "whisperer": _whisperer(client),
        "username": str(user.get("username") or username),
        "user_id": int(user["id"]) if isinstance(user.get("id"), int) else None,
        "admin": admin,
        "moderator": moderator,
        "badges_enabled": badges,
        "manage_groups": manage,
    }


def _whisperer(client: ApiClient) -> bool:
    """``current_user.whisperer`` (admins and members of ``whispers_allowed_groups``, while whispers
    are on). A core that does not say (older, or no such route) is taken as "no": the composer then
    offers no whisper toggle, and the server would have the last word anyway."""
    try:
        data = client.get_json(ep.session_current().path)
    except (NotFound, PermissionDenied):
        return False
    me = data.get("current_user") if isinstance(data, dict) else None
    return bool(me.get("whisperer")) if isinstance(me, dict) else False


def refusal(kind: str) -> str | None:
    """Every outbox kind is a Discourse write."""
    return None


PRECHECK_KINDS: frozenset[str] = frozenset()
"""Kinds whose precheck is just the probe (none here: Discourse's prechecks are the dispatcher's own)."""


USER_KINDS = frozenset(
    {"grant_badge", "revoke_badge", "add_group_member", "remove_group_member", "set_trust_level"}
)
"""Kinds addressed by username on the wire (a rename between enqueue and send is followed)."""


__all__ = [
    "ASSIGN_KINDS",
    "NOTE_KINDS",
    "PRECHECK_KINDS",
    "REVIEW_NOTHING",
    "REVIEW_NO_LONGER_OFFERED",
    "STORED_MESSAGES",
    "TOKEN_KINDS",
    "USER_KINDS",
    "NeedsLookup",
    "ProbeResult",
    "ProbeState",
    "Request",
    "accepted_post_numbers",
    "admin_user",
    "assign_probe",
    "assign_request",
    "assign_state",
    "assignee_label",
    "claim_state",
    "note_probe",
    "note_request",
    "note_state",
    "permission_facts",
    "post_id_for_number",
    "probe",
    "read_label",
    "refusal",
    "replacing_grants",
    "request_for",
    "review_item",
    "review_state",
    "revoke_state",
    "success_resolution",
    "token_for",
    "token_marker",
    "topic_view",
    "unaccept_state",
    "user_grants",
    "user_list",
    "verify",
    "with_token",
]
