"""Every Vanilla API v2 route the console uses, one function each (Picard's ``api_helpers``).

This module is **the only place a Vanilla URL is spelled**. A function names one endpoint — one method
on one path below the site's base URL (``https://<site>``; every path starts with ``/api/v2``) — and
returns a :class:`Route`; callers keep their parameters, transport and parsing. IDs are integers and
are formatted here. Query parameters the contract asks a sync client to always send (CONTRACT §9) are
given by the helpers at the end (``pinOrder=mixed``, ``quoteParent=false``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

API = "/api/v2"

AnswerStatus = Literal["accepted", "rejected", "pending"]


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint: an HTTP method and a path below the site's base URL."""

    method: str
    path: str

    @property
    def label(self) -> str:
        """``"GET /api/v2/discussions"``: how errors and the outbox log name the call."""
        return f"{self.method} {self.path}"

    def __str__(self) -> str:
        return self.path


def _get(path: str) -> Route:
    return Route("GET", API + path)


# ---------------------------------------------------------------- identity and tokens (§2)


def me() -> Route:
    """Who the token acts as; a guest (``userID`` 0) when the token was refused (§2.1)."""
    return _get("/users/me")


def tokens() -> Route:
    """The caller's own personal access tokens (needs ``Garden.Tokens.Add``)."""
    return _get("/tokens")


def revoke_token(token_id: int) -> Route:
    return Route("DELETE", f"{API}/tokens/{int(token_id)}")


# ---------------------------------------------------------------- discussions and comments (§3)


def discussions() -> Route:
    """The discussion list: filters, ``sort``, ``page``/``limit``, ``expand`` as parameters."""
    return _get("/discussions")


def discussion(discussion_id: int) -> Route:
    return _get(f"/discussions/{int(discussion_id)}")


def discussion_link(site_url: str, discussion_id: int, slug: str | None = None) -> str:
    """The address of a discussion in a browser (not an API route): ``/discussion/{id}/{slug}``,
    the form of a discussion's ``url`` field (CONTRACT §3.1, as the demo gives it); the slug is
    optional for Vanilla's router and left out when the cache has none."""
    url = f"{site_url.rstrip('/')}/discussion/{int(discussion_id)}"
    return f"{url}/{slug}" if slug and slug != "topic" else url


def comment_link(site_url: str, comment_id: int) -> str:
    """The address of a comment in a browser (not an API route): ``/discussion/comment/{id}
    #Comment_{id}``, the form of a comment's ``url`` field (CONTRACT §3.3, as the demo gives it)."""
    cid = int(comment_id)
    return f"{site_url.rstrip('/')}/discussion/comment/{cid}#Comment_{cid}"


_COMMENT_LINK_PATH = re.compile(r"^/discussion/comment/(\d+)/?$")
_DISCUSSION_LINK_PATH = re.compile(r"^/discussion/(\d+)(?:/[^/]*)?(?:/p\d+)?/?$")


def link_path(path: str) -> tuple[Literal["comment", "discussion"], int] | None:
    """A discussion's or comment's link path (below the site) read back: which one, and its id."""
    if m := _COMMENT_LINK_PATH.match(path):
        return "comment", int(m.group(1))
    if m := _DISCUSSION_LINK_PATH.match(path):
        return "discussion", int(m.group(1))
    return None


def discussion_edit(discussion_id: int) -> Route:
    """The raw source of a discussion's body (``body`` + ``format``)."""
    return _get(f"/discussions/{int(discussion_id)}/edit")


def comments() -> Route:
    """The comment list (``discussionID``, ``commentID`` range, date filters, ``qna``, ``sort``)."""
    return _get("/comments")


def comment(comment_id: int) -> Route:
    return _get(f"/comments/{int(comment_id)}")


def comment_edit(comment_id: int) -> Route:
    """The raw source of a comment (``body`` + ``format``): where a reply's recognition token is."""
    return _get(f"/comments/{int(comment_id)}/edit")


def post_comment() -> Route:
    """A new comment: ``{"body", "format", "discussionID"}`` → 201 Comment (not idempotent)."""
    return Route("POST", f"{API}/comments")


# ---------------------------------------------------------------- Q&A (§4)


def answer_status(comment_id: int) -> Route:
    """Accept, reject or reset an answer: ``{"status": "accepted"|"rejected"|"pending"}`` → 200 Comment.
    Idempotent: the same status again changes nothing."""
    return Route("PATCH", f"{API}/comments/{int(comment_id)}/answer")


# ---------------------------------------------------------------- reactions (§7)


def reaction_types() -> Route:
    return _get("/reactions")


def discussion_reactions(discussion_id: int) -> Route:
    """Who reacted to a discussion (``type=<urlcode>`` optional)."""
    return _get(f"/discussions/{int(discussion_id)}/reactions")


def comment_reactions(comment_id: int) -> Route:
    return _get(f"/comments/{int(comment_id)}/reactions")


def react_to_discussion(discussion_id: int) -> Route:
    """``{"reactionType": urlcode}`` → 201 summary; repeating is a no-op, another type replaces."""
    return Route("POST", f"{API}/discussions/{int(discussion_id)}/reactions")


def react_to_comment(comment_id: int) -> Route:
    return Route("POST", f"{API}/comments/{int(comment_id)}/reactions")


def unreact_discussion(discussion_id: int, user_id: int) -> Route:
    return Route("DELETE", f"{API}/discussions/{int(discussion_id)}/reactions/{int(user_id)}")


def unreact_comment(comment_id: int, user_id: int) -> Route:
    return Route("DELETE", f"{API}/comments/{int(comment_id)}/reactions/{int(user_id)}")


# ---------------------------------------------------------------- badges (§5)


def badges() -> Route:
    return _get("/badges")


def badge(badge_id: int) -> Route:
    return _get(f"/badges/{int(badge_id)}")


def badge_holders() -> Route:
    """Holders (``badgeID``, ``userID`` filters): what to read back before replaying a grant."""
    return _get("/badges/users")


def users_badges(user_id: int) -> Route:
    return _get(f"/users/{int(user_id)}/badges")


def grant_badge(badge_id: int) -> Route:
    """``{"userID", "reasonBody"?}`` → 201 UserBadge."""
    return Route("POST", f"{API}/badges/{int(badge_id)}/users")


def bulk_grant_badge(badge_id: int) -> Route:
    """``{"userID": [...], "reasonBody"?}`` → 201 per-user outcomes."""
    return Route("POST", f"{API}/badges/{int(badge_id)}/bulk-users")


def revoke_badge(badge_id: int, user_id: int) -> Route:
    return Route("DELETE", f"{API}/badges/{int(badge_id)}/users/{int(user_id)}")


# ---------------------------------------------------------------- users, categories, groups (§6)


def users() -> Route:
    return _get("/users")


def user(user_id: int) -> Route:
    return _get(f"/users/{int(user_id)}")


def profile_fields() -> Route:
    """Profile field definitions (the ``Company`` field)."""
    return _get("/profile-fields")


def categories() -> Route:
    return _get("/categories")


def roles() -> Route:
    return _get("/roles")


def groups() -> Route:
    return _get("/groups")


def group_members(group_id: int) -> Route:
    return _get(f"/groups/{int(group_id)}/members")


def add_group_member(group_id: int) -> Route:
    """``{"userID", "role": "member"|"leader"}`` → GroupMember."""
    return Route("POST", f"{API}/groups/{int(group_id)}/members")


def remove_group_member(group_id: int, user_id: int) -> Route:
    return Route("DELETE", f"{API}/groups/{int(group_id)}/members/{int(user_id)}")


# ---------------------------------------------------------------- parameters a sync always sends (§9)


def discussion_sync_params() -> dict[str, str]:
    """``pinOrder=mixed``: with ``first`` announcements are prepended and a page can exceed ``limit``."""
    return {"pinOrder": "mixed"}


def comment_sync_params() -> dict[str, str]:
    """``quoteParent=false``: otherwise a threaded reply's body holds its parent quoted."""
    return {"quoteParent": "false"}
