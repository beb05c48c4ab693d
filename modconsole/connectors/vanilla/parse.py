"""Vanilla API v2 JSON and headers → frozen, typed values (CONTRACT §2–§8).

Rules, as for the Discourse parser: unknown fields are ignored; optional fields may be missing, ``null``
or of the wrong type (then treated as missing); a payload that cannot be understood (wrong root type,
a missing id) raises :class:`~modconsole.errors.UnexpectedPayload` naming the route — never
``KeyError``/``TypeError``. Timestamps are aware UTC datetimes (Vanilla sends RFC 3339 with an offset).

Vanilla-specific values: accepted answers are a *set* per question (several may be accepted); a
comment's answer status is ``accepted``/``rejected``/``pending`` (non-curators see rejected as
pending); a refused token shows only in ``X-WWW-Authenticate`` (:func:`auth_problem`); paging is in
the ``Link`` header (:func:`paging`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar

from modconsole.connectors.fields import bad_payload as bad_payload
from modconsole.connectors.fields import flag as _bool
from modconsole.connectors.fields import integer as _int
from modconsole.connectors.fields import required
from modconsole.connectors.fields import text as _str
from modconsole.connectors.fields import timestamp as timestamp

T = TypeVar("T")

QuestionStatus = Literal["unanswered", "answered", "accepted", "rejected"]
AnswerStatus = Literal["accepted", "rejected", "pending"]
_QUESTION_STATUSES = ("unanswered", "answered", "accepted", "rejected")
_ANSWER_STATUSES = ("accepted", "rejected", "pending")


# ---------------------------------------------------------------- value helpers


def _req_int(obj: Mapping[str, Any], key: str, route: str) -> int:
    return required(_int(obj.get(key)), route, f"{key} is missing or not an integer")


def _obj(value: Any, route: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise bad_payload(route, f"expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, route: str, item: Callable[[Mapping[str, Any], str], T]) -> tuple[T, ...]:
    if not isinstance(value, list):
        raise bad_payload(route, f"expected a list, got {type(value).__name__}")
    return tuple(item(_obj(v, route), route) for v in value)


# ---------------------------------------------------------------- headers: auth and paging


def auth_problem(headers: Mapping[str, str]) -> str | None:
    """Why the server ignored the token (``error_description`` of ``X-WWW-Authenticate``), else None.

    A request with a refused token is answered *as a guest*, never with 401 (CONTRACT §2.1)."""
    raw = next((v for k, v in headers.items() if k.lower() == "x-www-authenticate"), None)
    if raw is None:
        return None
    m = re.search(r'error_description="([^"]*)"', raw)
    return m.group(1) if m else raw.strip() or "invalid token"


@dataclass(frozen=True, slots=True)
class Paging:
    """The paging headers of a list answer. ``next_url`` None = the last page; a short (even empty)
    page with a ``next_url`` is normal: rows the caller may not see were dropped (§3.4)."""

    next_url: str | None
    prev_url: str | None = None
    first_url: str | None = None
    last_url: str | None = None
    current: int | None = None
    limit: int | None = None
    total: int | None = None


_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";,]+)"?')


def paging(headers: Mapping[str, str]) -> Paging:
    low = {k.lower(): v for k, v in headers.items()}
    links = {rel: url for url, rel in _LINK.findall(low.get("link", ""))}
    for rel in ("first", "prev", "next", "last"):
        if not links.get(rel):  # the same URLs are repeated as x-app-page-*-url
            links[rel] = low.get(f"x-app-page-{rel}-url", "")

    def num(name: str) -> int | None:
        v = low.get(name, "")
        return int(v) if v.isdigit() else None

    return Paging(
        next_url=links.get("next") or None,
        prev_url=links.get("prev") or None,
        first_url=links.get("first") or None,
        last_url=links.get("last") or None,
        current=num("x-app-page-current"),
        limit=num("x-app-page-limit"),
        total=num("x-app-page-result-count"),
    )


# ---------------------------------------------------------------- errors (§8)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ErrorBody:
    """Vanilla's error JSON: ``message``, ``status``, per-field ``errors`` (validation), the missing
    ``permissions`` (403)."""

    message: str
    status: int | None
    errors: tuple[FieldProblem, ...] = ()
    permissions: tuple[str, ...] = ()


def error_body(payload: Any) -> ErrorBody | None:
    """The error in ``payload``, or None when it is not Vanilla's error JSON (an HTML page, a proxy)."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("message"), str):
        return None
    errs = payload.get("errors")
    problems = tuple(
        FieldProblem(str(e.get("field", "")), str(e.get("code", "")), str(e.get("message", "")))
        for e in (errs if isinstance(errs, list) else [])
        if isinstance(e, Mapping)
    )
    perms = payload.get("permissions")
    return ErrorBody(
        message=payload["message"],
        status=_int(payload.get("status")),
        errors=problems,
        permissions=tuple(p for p in (perms if isinstance(perms, list) else []) if isinstance(p, str)),
    )


# ---------------------------------------------------------------- identity, users


@dataclass(frozen=True, slots=True)
class Identity:
    """``GET /users/me``: who the token acts as."""

    user_id: int
    name: str
    email: str | None
    is_admin: bool
    permissions: frozenset[str]

    @property
    def is_guest(self) -> bool:
        return self.user_id == 0

    def can(self, permission: str) -> bool:
        return permission in self.permissions


def identity(payload: Any, route: str = "users/me") -> Identity:
    obj = _obj(payload, route)
    perms = obj.get("permissions")
    return Identity(
        user_id=_req_int(obj, "userID", route),
        name=_str(obj.get("name")) or "",
        email=_str(obj.get("email")),
        is_admin=_bool(obj.get("isAdmin")),
        permissions=frozenset(p for p in (perms if isinstance(perms, list) else []) if isinstance(p, str)),
    )


@dataclass(frozen=True, slots=True)
class User:
    user_id: int
    name: str
    email: str | None  # absent unless the caller may see it (Garden.PersonalInfo.View) or it is shown
    role_ids: tuple[int, ...]
    date_inserted: datetime | None
    date_last_active: datetime | None
    banned: bool
    company: str | None  # the ``Company`` profile field (``expand=profileFields``)
    title: str | None
    photo_url: str | None
    role_names: tuple[str, ...] = ()  # "Administrator", "Moderator", … (sites may rename them)

    @property
    def email_domain(self) -> str | None:
        if not self.email or "@" not in self.email:
            return None
        return self.email.rsplit("@", 1)[1].lower()


def user(obj: Mapping[str, Any], route: str) -> User:
    roles = obj.get("roles")
    fields = obj.get("profileFields")
    fields = fields if isinstance(fields, Mapping) else {}
    return User(
        user_id=_req_int(obj, "userID", route),
        name=_str(obj.get("name")) or "",
        email=_str(obj.get("email")) or None,
        role_ids=tuple(
            r["roleID"]
            for r in (roles if isinstance(roles, list) else [])
            if isinstance(r, Mapping) and _int(r.get("roleID")) is not None
        ),
        role_names=tuple(
            r["name"]
            for r in (roles if isinstance(roles, list) else [])
            if isinstance(r, Mapping) and isinstance(r.get("name"), str)
        ),
        date_inserted=timestamp(obj.get("dateInserted")),
        date_last_active=timestamp(obj.get("dateLastActive")),
        banned=_bool(obj.get("banned")),
        company=_str(fields.get("Company")) or None,
        title=_str(fields.get("Title")) or None,
        photo_url=_str(obj.get("photoUrl")),
    )


def users(payload: Any, route: str) -> tuple[User, ...]:
    return _list(payload, route, user)


@dataclass(frozen=True, slots=True)
class Category:
    category_id: int
    name: str
    urlcode: str
    parent_id: int | None
    restricted: bool  # custom permissions: e.g. a staff-only category
    allowed_types: tuple[str, ...]
    count_discussions: int | None = None


def category(obj: Mapping[str, Any], route: str) -> Category:
    parent = _int(obj.get("parentCategoryID"))
    types = obj.get("allowedDiscussionTypes")
    return Category(
        category_id=_req_int(obj, "categoryID", route),
        name=_str(obj.get("name")) or "",
        urlcode=_str(obj.get("urlcode")) or "",
        parent_id=parent if parent is not None and parent > 0 else None,
        restricted=_bool(obj.get("customPermissions")),
        allowed_types=tuple(t for t in (types if isinstance(types, list) else []) if isinstance(t, str)),
        count_discussions=_int(obj.get("countDiscussions")),
    )


def categories(payload: Any, route: str) -> tuple[Category, ...]:
    return _list(payload, route, category)


# ---------------------------------------------------------------- discussions, comments, Q&A, reactions


@dataclass(frozen=True, slots=True)
class ReactionCount:
    urlcode: str
    name: str
    cls: str
    count: int
    has_reacted: bool


def _reactions(value: Any) -> tuple[ReactionCount, ...]:
    out = []
    for r in value if isinstance(value, list) else []:
        if isinstance(r, Mapping) and isinstance(r.get("urlcode"), str):
            out.append(
                ReactionCount(
                    urlcode=r["urlcode"],
                    name=_str(r.get("name")) or r["urlcode"],
                    cls=_str(r.get("class")) or "",
                    count=_int(r.get("count")) or 0,
                    has_reacted=_bool(r.get("hasReacted")),
                )
            )
    return tuple(out)


def reaction_summary(payload: Any, route: str) -> tuple[ReactionCount, ...]:
    if not isinstance(payload, list):
        raise bad_payload(route, "expected a list of reaction counts")
    return _reactions(payload)


@dataclass(frozen=True, slots=True)
class Question:
    status: QuestionStatus
    date_answered: datetime | None
    date_accepted: datetime | None
    accepted_ids: frozenset[int]  # only when expanded (``expand=acceptedAnswers``), else empty
    rejected_ids: frozenset[int]


def _ids(value: Any) -> frozenset[int]:
    return frozenset(
        a["commentID"]
        for a in (value if isinstance(value, list) else [])
        if isinstance(a, Mapping) and _int(a.get("commentID")) is not None
    )


@dataclass(frozen=True, slots=True)
class Discussion:
    discussion_id: int
    type: str  # 'discussion' | 'question' | 'idea' | …
    name: str
    body_html: str
    category_id: int
    insert_user_id: int | None
    date_inserted: datetime | None
    date_updated: datetime | None  # None until first edited
    date_last_comment: datetime | None
    count_comments: int
    count_views: int
    score: int
    closed: bool
    pinned: bool
    question: Question | None  # for type 'question'
    reactions: tuple[ReactionCount, ...]  # when expanded
    last_user_id: int | None = None  # who commented last (the author while there is no comment)

    @property
    def is_question(self) -> bool:
        return self.type == "question"


def discussion(obj: Mapping[str, Any], route: str) -> Discussion:
    attrs = obj.get("attributes")
    attrs = attrs if isinstance(attrs, Mapping) else {}
    q = attrs.get("question")
    question = None
    if isinstance(q, Mapping):
        st = q.get("status")
        question = Question(
            status=st if st in _QUESTION_STATUSES else "unanswered",
            date_answered=timestamp(q.get("dateAnswered")),
            date_accepted=timestamp(q.get("dateAccepted")),
            accepted_ids=_ids(q.get("acceptedAnswers")),
            rejected_ids=_ids(q.get("rejectedAnswers")),
        )
    return Discussion(
        discussion_id=_req_int(obj, "discussionID", route),
        type=_str(obj.get("type")) or "discussion",
        name=_str(obj.get("name")) or "",
        body_html=_str(obj.get("body")) or "",
        category_id=_req_int(obj, "categoryID", route),
        insert_user_id=_int(obj.get("insertUserID")),
        date_inserted=timestamp(obj.get("dateInserted")),
        date_updated=timestamp(obj.get("dateUpdated")),
        date_last_comment=timestamp(obj.get("dateLastComment")),
        count_comments=_int(obj.get("countComments")) or 0,
        count_views=_int(obj.get("countViews")) or 0,
        score=_int(obj.get("score")) or 0,
        closed=_bool(obj.get("closed")),
        pinned=_bool(obj.get("pinned")),
        question=question,
        reactions=_reactions(obj.get("reactions")),
        last_user_id=_int(obj.get("lastUserID")),
    )


def discussions(payload: Any, route: str) -> tuple[Discussion, ...]:
    return _list(payload, route, discussion)


@dataclass(frozen=True, slots=True)
class Answer:
    status: AnswerStatus
    date_accepted: datetime | None
    accept_user_id: int | None


@dataclass(frozen=True, slots=True)
class Comment:
    comment_id: int
    discussion_id: int
    category_id: int | None
    body_html: str
    insert_user_id: int | None
    date_inserted: datetime | None
    date_updated: datetime | None
    score: int
    parent_comment_id: int | None
    answer: Answer | None  # comments in questions only
    reactions: tuple[ReactionCount, ...]


def comment(obj: Mapping[str, Any], route: str) -> Comment:
    attrs = obj.get("attributes")
    attrs = attrs if isinstance(attrs, Mapping) else {}
    a = attrs.get("answer")
    answer = None
    if isinstance(a, Mapping):
        st = a.get("status")
        answer = Answer(
            status=st if st in _ANSWER_STATUSES else "pending",
            date_accepted=timestamp(a.get("dateAccepted")),
            accept_user_id=_int(a.get("acceptUserID")),
        )
    did = _int(obj.get("discussionID"))
    if did is None and obj.get("parentRecordType", "discussion") == "discussion":
        did = _int(obj.get("parentRecordID"))
    if did is None:
        raise bad_payload(route, "discussionID is missing or not an integer")
    return Comment(
        comment_id=_req_int(obj, "commentID", route),
        discussion_id=did,
        category_id=_int(obj.get("categoryID")),
        body_html=_str(obj.get("body")) or "",
        insert_user_id=_int(obj.get("insertUserID")),
        date_inserted=timestamp(obj.get("dateInserted")),
        date_updated=timestamp(obj.get("dateUpdated")),
        score=_int(obj.get("score")) or 0,
        parent_comment_id=_int(obj.get("parentCommentID")),
        answer=answer,
        reactions=_reactions(obj.get("reactions")),
    )


def comments(payload: Any, route: str) -> tuple[Comment, ...]:
    return _list(payload, route, comment)


@dataclass(frozen=True, slots=True)
class Reaction:
    """One user's reaction to a record (``GET …/reactions``)."""

    user_id: int
    urlcode: str
    date_inserted: datetime | None


def reaction(obj: Mapping[str, Any], route: str) -> Reaction:
    rt = obj.get("reactionType")
    code = _str(rt.get("urlcode")) if isinstance(rt, Mapping) else None
    if code is None:
        raise bad_payload(route, "reactionType.urlcode is missing")
    return Reaction(_req_int(obj, "userID", route), code, timestamp(obj.get("dateInserted")))


def reactions(payload: Any, route: str) -> tuple[Reaction, ...]:
    return _list(payload, route, reaction)


# ---------------------------------------------------------------- badges, groups, tokens


@dataclass(frozen=True, slots=True)
class Badge:
    badge_id: int
    name: str
    key: str
    body: str
    points: int
    cls: str
    class_level: int | None
    enabled: bool
    photo_url: str | None
    recipients: int | None


def badge(obj: Mapping[str, Any], route: str) -> Badge:
    return Badge(
        badge_id=_req_int(obj, "badgeID", route),
        name=_str(obj.get("name")) or "",
        key=_str(obj.get("key")) or "",
        body=_str(obj.get("body")) or "",
        points=_int(obj.get("points")) or 0,
        cls=_str(obj.get("class")) or "",
        class_level=_int(obj.get("classLevel")),
        enabled=obj.get("enabled") is not False,
        photo_url=_str(obj.get("photoUrl")),
        recipients=_int(obj.get("countRecipients")),
    )


def badges(payload: Any, route: str) -> tuple[Badge, ...]:
    return _list(payload, route, badge)


@dataclass(frozen=True, slots=True)
class UserBadge:
    user_id: int
    badge_id: int
    reason: str
    date_earned: datetime | None
    insert_user_id: int | None


def user_badge(obj: Mapping[str, Any], route: str) -> UserBadge:
    return UserBadge(
        user_id=_req_int(obj, "userID", route),
        badge_id=_req_int(obj, "badgeID", route),
        reason=_str(obj.get("reasonBody")) or "",
        date_earned=timestamp(obj.get("dateEarned")) or timestamp(obj.get("dateInserted")),
        insert_user_id=_int(obj.get("insertUserID")),
    )


def user_badges(payload: Any, route: str) -> tuple[UserBadge, ...]:
    return _list(payload, route, user_badge)


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    """One user's line of a bulk grant: ``updated`` False = nothing changed (already held, unknown user)."""

    user_id: int
    updated: bool
    message: str | None


def bulk_outcomes(payload: Any, route: str) -> tuple[BulkOutcome, ...]:
    return _list(
        payload,
        route,
        lambda o, r: BulkOutcome(_req_int(o, "userID", r), _bool(o.get("updated")), _str(o.get("message"))),
    )


@dataclass(frozen=True, slots=True)
class Group:
    group_id: int
    name: str
    description: str
    privacy: str
    count_members: int | None


def groups(payload: Any, route: str) -> tuple[Group, ...]:
    return _list(
        payload,
        route,
        lambda o, r: Group(
            group_id=_req_int(o, "groupID", r),
            name=_str(o.get("name")) or "",
            description=_str(o.get("description")) or "",
            privacy=_str(o.get("privacy")) or "public",
            count_members=_int(o.get("countMembers")),
        ),
    )


@dataclass(frozen=True, slots=True)
class GroupMember:
    group_id: int | None
    user_id: int
    role: str  # 'member' | 'leader'
    date_inserted: datetime | None


def group_member(obj: Mapping[str, Any], route: str) -> GroupMember:
    return GroupMember(
        group_id=_int(obj.get("groupID")),
        user_id=_req_int(obj, "userID", route),
        role=_str(obj.get("role")) or "member",
        date_inserted=timestamp(obj.get("dateInserted")),
    )


def group_members(payload: Any, route: str) -> tuple[GroupMember, ...]:
    return _list(payload, route, group_member)


@dataclass(frozen=True, slots=True)
class Token:
    token_id: int
    name: str | None
    date_inserted: datetime | None
    date_last_used: datetime | None


def tokens(payload: Any, route: str) -> tuple[Token, ...]:
    return _list(
        payload,
        route,
        lambda o, r: Token(
            _req_int(o, "accessTokenID", r),
            _str(o.get("name")),
            timestamp(o.get("dateInserted")),
            timestamp(o.get("dateLastUsed")),
        ),
    )
