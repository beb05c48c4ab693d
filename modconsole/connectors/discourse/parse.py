"""Tolerant JSON → record conversion (Picard's ``mbjson`` role).

Every ``parse_*`` function takes the decoded payload and the route it came from and returns
frozen dataclasses. The rules (CONTRACT §3–§9):

* unknown fields are ignored; optional fields may be missing or ``null``;
* version differences are accepted: tags as strings or ``{id, name, slug}`` objects; both
  discourse-solved response shapes; timestamps with or without milliseconds (``Z`` or offset);
  ``per_page`` honoured or ignored (30 per page);
* a payload that cannot be understood (wrong root type, a missing id) raises
  :class:`~modconsole.errors.UnexpectedPayload` naming the route — never ``KeyError``/``TypeError``.

Optional values of the wrong type are treated as missing rather than failing the whole page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from modconsole.connectors.fields import bad_payload as bad_payload
from modconsole.connectors.fields import lenient_flag as _bool
from modconsole.connectors.fields import lenient_integer as _int
from modconsole.connectors.fields import lenient_number as _float
from modconsole.connectors.fields import required
from modconsole.connectors.fields import text as _str
from modconsole.connectors.fields import timestamp as parse_timestamp

T = TypeVar("T")

LIKE_ACTION_ID = 2


# ---------------------------------------------------------------- value helpers


def parse_date(value: Any) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _opt_bool(v: Any) -> bool | None:
    return None if v is None else _bool(v)


class Obj:
    """A JSON object with typed, tolerant getters. ``need_*`` raise :class:`UnexpectedPayload`."""

    __slots__ = ("d", "route", "where")

    def __init__(self, d: Any, route: str, where: str = "answer") -> None:
        if not isinstance(d, Mapping):
            raise bad_payload(route, f"{where} is {type(d).__name__}, expected an object")
        self.d: Mapping[str, Any] = d
        self.route = route
        self.where = where

    def __contains__(self, key: str) -> bool:
        return key in self.d

    def get(self, key: str) -> Any:
        return self.d.get(key)

    def oint(self, key: str, default: int | None = None) -> int | None:
        v = _int(self.d.get(key))
        return default if v is None else v

    def int0(self, key: str) -> int:
        v = _int(self.d.get(key))
        return 0 if v is None else v

    def need_int(self, key: str) -> int:
        return required(_int(self.d.get(key)), self.route, f"{self.where}.{key} missing or not a number")

    def ostr(self, key: str) -> str | None:
        return _str(self.d.get(key))

    def need_str(self, key: str) -> str:
        return required(_str(self.d.get(key)), self.route, f"{self.where}.{key} missing or not text")

    def strd(self, key: str, default: str = "") -> str:
        v = _str(self.d.get(key))
        return default if v is None else v

    def flag(self, key: str, default: bool = False) -> bool:
        return _bool(self.d.get(key), default)

    def opt_bool(self, key: str) -> bool | None:
        return _opt_bool(self.d.get(key))

    def ofloat(self, key: str) -> float | None:
        return _float(self.d.get(key))

    def ts(self, key: str) -> datetime | None:
        return parse_timestamp(self.d.get(key))

    def obj(self, key: str) -> Obj | None:
        v = self.d.get(key)
        return Obj(v, self.route, f"{self.where}.{key}") if isinstance(v, Mapping) else None

    def need_obj(self, key: str) -> Obj:
        return Obj(self.d.get(key), self.route, f"{self.where}.{key}")

    def olist(self, key: str) -> list[Any]:
        v = self.d.get(key)
        return v if isinstance(v, list) else []

    def need_list(self, key: str) -> list[Any]:
        v = self.d.get(key)
        if not isinstance(v, list):
            raise bad_payload(self.route, f"{self.where}.{key} missing or not a list")
        return v

    def objs(self, key: str, *, required: bool = False) -> list[Obj]:
        items = self.need_list(key) if required else self.olist(key)
        return [
            Obj(x, self.route, f"{self.where}.{key}[{i}]")
            for i, x in enumerate(items)
            if isinstance(x, Mapping)
        ]

    def ints(self, key: str) -> tuple[int, ...]:
        return tuple(i for i in (_int(x) for x in self.olist(key)) if i is not None)

    def strs(self, key: str) -> tuple[str, ...]:
        return tuple(x for x in self.olist(key) if isinstance(x, str))


def _each(items: Iterable[Obj], fn: Callable[[Obj], T]) -> tuple[T, ...]:
    return tuple(fn(o) for o in items)


def parse_tags(value: Any) -> tuple[str, ...]:
    """Tags as ``["a", "b"]`` (older cores) or ``[{"id", "name", "slug"}]`` (newer)."""
    if not isinstance(value, list):
        return ()
    out: list[str] = []
    for t in value:
        if isinstance(t, str):
            out.append(t)
        elif isinstance(t, Mapping):
            name = t.get("name") or t.get("slug")
            if isinstance(name, str):
                out.append(name)
    return tuple(out)


# ---------------------------------------------------------------- users


@dataclass(frozen=True)
class UserRef:
    """A side-loaded user (``users[]`` of lists, ``user`` of directory items, group members)."""

    id: int
    username: str
    name: str | None = None
    avatar_template: str | None = None
    trust_level: int | None = None


def _user_ref(o: Obj) -> UserRef:
    return UserRef(
        o.need_int("id"),
        o.need_str("username"),
        o.ostr("name"),
        o.ostr("avatar_template"),
        o.oint("trust_level"),
    )


@dataclass(frozen=True)
class GroupRef:
    id: int
    name: str


@dataclass(frozen=True)
class User:
    """``/u/{u}.json`` ``user``, ``/admin/users/{id}.json`` and admin list rows (fields vary)."""

    id: int
    username: str
    name: str | None
    trust_level: int | None
    admin: bool
    moderator: bool
    active: bool | None
    staged: bool
    title: str | None
    created_at: datetime | None
    last_seen_at: datetime | None
    last_posted_at: datetime | None
    suspended_till: datetime | None
    silenced_till: datetime | None
    manual_locked_trust_level: int | None
    post_count: int | None
    topic_count: int | None
    badge_count: int | None
    days_visited: int | None
    time_read: int | None
    email: str | None
    groups: tuple[GroupRef, ...] = ()

    @property
    def is_staff(self) -> bool:
        return self.admin or self.moderator


def _user(o: Obj) -> User:
    groups: list[GroupRef] = []
    for g in o.objs("groups"):
        gid, gname = g.oint("id"), g.ostr("name")
        if gid is not None and gname is not None:
            groups.append(GroupRef(gid, gname))
    if not groups:  # /u/{u}.json may only carry group_users[] {group_id}
        for gu in o.objs("group_users"):
            gid = gu.oint("group_id")
            if gid is not None:
                groups.append(GroupRef(gid, gu.strd("group_name")))
    return User(
        id=o.need_int("id"),
        username=o.need_str("username"),
        name=o.ostr("name"),
        trust_level=o.oint("trust_level"),
        admin=o.flag("admin"),
        moderator=o.flag("moderator"),
        active=o.opt_bool("active"),
        staged=o.flag("staged"),
        title=o.ostr("title"),
        created_at=o.ts("created_at"),
        last_seen_at=o.ts("last_seen_at"),
        last_posted_at=o.ts("last_posted_at"),
        suspended_till=o.ts("suspended_till"),
        silenced_till=o.ts("silenced_till"),
        manual_locked_trust_level=o.oint("manual_locked_trust_level"),
        post_count=o.oint("post_count"),
        topic_count=o.oint("topic_count"),
        badge_count=o.oint("badge_count"),
        days_visited=o.oint("days_visited"),
        time_read=o.oint("time_read"),
        email=o.ostr("email"),
        groups=tuple(groups),
    )


def parse_user(payload: Any, route: str) -> User:
    """``{"user": {…}}`` (``/u/{u}.json``) or a bare user object (admin routes)."""
    root = Obj(payload, route)
    inner = root.obj("user")
    return _user(inner if inner is not None and "id" in inner else root)


def parse_user_list(payload: Any, route: str) -> tuple[User, ...]:
    if not isinstance(payload, list):
        raise bad_payload(route, f"answer is {type(payload).__name__}, expected a list of users")
    return tuple(_user(Obj(x, route, f"[{i}]")) for i, x in enumerate(payload))


@dataclass(frozen=True)
class UserSummary:
    likes_given: int
    likes_received: int
    topics_entered: int
    posts_read_count: int
    days_visited: int
    topic_count: int
    post_count: int
    time_read: int
    solved_count: int | None


def parse_user_summary(payload: Any, route: str) -> UserSummary:
    s = Obj(payload, route).need_obj("user_summary")
    return UserSummary(
        likes_given=s.int0("likes_given"),
        likes_received=s.int0("likes_received"),
        topics_entered=s.int0("topics_entered"),
        posts_read_count=s.int0("posts_read_count"),
        days_visited=s.int0("days_visited"),
        topic_count=s.int0("topic_count"),
        post_count=s.int0("post_count"),
        time_read=s.int0("time_read"),
        solved_count=s.oint("solved_count"),
    )


@dataclass(frozen=True)
class UserEmails:
    email: str | None
    secondary_emails: tuple[str, ...]
    unconfirmed_emails: tuple[str, ...]


def parse_user_emails(payload: Any, route: str) -> UserEmails:
    o = Obj(payload, route)
    return UserEmails(o.ostr("email"), o.strs("secondary_emails"), o.strs("unconfirmed_emails"))


@dataclass(frozen=True)
class DirectoryItem:
    user: UserRef
    values: Mapping[str, int]  # column name → value (likes_received, post_count, solutions, …)


@dataclass(frozen=True)
class DirectoryPage:
    items: tuple[DirectoryItem, ...]
    total_rows: int | None
    load_more: str | None
    last_updated_at: datetime | None


def parse_directory(payload: Any, route: str) -> DirectoryPage:
    o = Obj(payload, route)
    items: list[DirectoryItem] = []
    seen: set[int] = set()
    for it in o.objs("directory_items", required=True):
        u = it.obj("user")
        if u is None:
            raise bad_payload(route, f"{it.where}.user missing")
        ref = _user_ref(u)
        if ref.id in seen:  # page 0 may repeat the caller's own row first
            continue
        seen.add(ref.id)
        values = {k: iv for k, v in it.d.items() if k not in ("id", "user") and (iv := _int(v)) is not None}
        items.append(DirectoryItem(ref, values))
    meta = o.obj("meta")
    return DirectoryPage(
        tuple(items),
        meta.oint("total_rows_directory_items") if meta else None,
        meta.ostr("load_more_directory_items") if meta else None,
        meta.ts("last_updated_at") if meta else None,
    )


# ---------------------------------------------------------------- topics and posts


@dataclass(frozen=True)
class Poster:
    user_id: int | None
    description: str


@dataclass(frozen=True)
class TopicSummary:
    """A ``topic_list.topics[]`` item (no ``updated_at`` or ``deleted_at`` on lists)."""

    id: int
    title: str
    fancy_title: str | None
    slug: str
    category_id: int | None
    archetype: str
    posts_count: int
    reply_count: int
    highest_post_number: int
    views: int
    like_count: int
    created_at: datetime | None
    last_posted_at: datetime | None
    bumped_at: datetime | None
    closed: bool
    archived: bool
    visible: bool
    pinned: bool
    pinned_globally: bool
    tags: tuple[str, ...]
    last_poster_username: str | None
    posters: tuple[Poster, ...]
    has_accepted_answer: bool | None
    excerpt: str | None


def _topic_summary(o: Obj) -> TopicSummary:
    return TopicSummary(
        id=o.need_int("id"),
        title=o.need_str("title"),
        fancy_title=o.ostr("fancy_title"),
        slug=o.strd("slug"),
        category_id=o.oint("category_id"),
        archetype=o.strd("archetype", "regular"),
        posts_count=o.int0("posts_count"),
        reply_count=o.int0("reply_count"),
        highest_post_number=o.int0("highest_post_number"),
        views=o.int0("views"),
        like_count=o.int0("like_count"),
        created_at=o.ts("created_at"),
        last_posted_at=o.ts("last_posted_at"),
        bumped_at=o.ts("bumped_at"),
        closed=o.flag("closed"),
        archived=o.flag("archived"),
        visible=o.flag("visible", True),
        pinned=o.flag("pinned"),
        pinned_globally=o.flag("pinned_globally"),
        tags=parse_tags(o.get("tags")),
        last_poster_username=o.ostr("last_poster_username"),
        posters=tuple(Poster(p.oint("user_id"), p.strd("description")) for p in o.objs("posters")),
        has_accepted_answer=o.opt_bool("has_accepted_answer"),
        excerpt=o.ostr("excerpt"),
    )


DEFAULT_TOPIC_PAGE_SIZE = 30


@dataclass(frozen=True)
class TopicPage:
    """One page of a topic list. ``has_more`` follows ``more_topics_url`` (present only on full pages)."""

    topics: tuple[TopicSummary, ...]
    users: tuple[UserRef, ...]
    more_topics_url: str | None
    per_page: int

    @property
    def has_more(self) -> bool:
        return self.more_topics_url is not None


def parse_topic_list(payload: Any, route: str) -> TopicPage:
    root = Obj(payload, route)
    tl = root.need_obj("topic_list")
    topics = _each(tl.objs("topics", required=True), _topic_summary)
    users = tuple(_user_ref(u) for u in root.objs("users") if u.oint("id") is not None and u.ostr("username"))
    return TopicPage(
        topics, users, tl.ostr("more_topics_url"), tl.oint("per_page") or DEFAULT_TOPIC_PAGE_SIZE
    )


@dataclass(frozen=True)
class AcceptedAnswer:
    """discourse-solved's ``accepted_answer`` (topic view, or the core accept response)."""

    post_number: int | None
    username: str | None
    name: str | None
    excerpt: str | None
    accepter_username: str | None


def _accepted(o: Obj | None) -> AcceptedAnswer | None:
    if o is None:
        return None
    return AcceptedAnswer(
        o.oint("post_number"),
        o.ostr("username"),
        o.ostr("name"),
        o.ostr("excerpt"),
        o.ostr("accepter_username"),
    )


@dataclass(frozen=True)
class Post:
    id: int
    topic_id: int | None
    post_number: int | None
    user_id: int | None
    username: str | None
    name: str | None
    created_at: datetime | None
    updated_at: datetime | None
    cooked: str | None
    raw: str | None
    post_type: int
    action_code: str | None
    reply_to_post_number: int | None
    reply_count: int
    reads: int
    version: int
    like_count: int
    hidden: bool
    deleted_at: datetime | None
    user_deleted: bool
    accepted_answer: bool
    topic_accepted_answer: bool | None
    trust_level: int | None
    staff: bool
    topic_title: str | None = None
    topic_slug: str | None = None
    category_id: int | None = None

    @property
    def is_regular(self) -> bool:
        return self.post_type == 1

    @property
    def is_whisper(self) -> bool:
        return self.post_type == 4


def _like_count(o: Obj) -> int:
    direct = o.oint("like_count")
    if direct is not None:
        return direct
    for a in o.objs("actions_summary"):
        if a.oint("id") == LIKE_ACTION_ID:
            return a.int0("count")
    return 0


def _post(o: Obj) -> Post:
    return Post(
        id=o.need_int("id"),
        topic_id=o.oint("topic_id"),
        post_number=o.oint("post_number"),
        user_id=o.oint("user_id"),
        username=o.ostr("username"),
        name=o.ostr("name"),
        created_at=o.ts("created_at"),
        updated_at=o.ts("updated_at"),
        cooked=o.ostr("cooked"),
        raw=o.ostr("raw"),
        post_type=o.oint("post_type") or 1,
        action_code=o.ostr("action_code"),
        reply_to_post_number=o.oint("reply_to_post_number"),
        reply_count=o.int0("reply_count"),
        reads=o.int0("reads"),
        version=o.oint("version") or 1,
        like_count=_like_count(o),
        hidden=o.flag("hidden"),
        deleted_at=o.ts("deleted_at"),
        user_deleted=o.flag("user_deleted"),
        accepted_answer=o.flag("accepted_answer"),
        topic_accepted_answer=o.opt_bool("topic_accepted_answer"),
        trust_level=o.oint("trust_level"),
        staff=o.flag("staff") or o.flag("admin") or o.flag("moderator"),
        topic_title=o.ostr("topic_title"),
        topic_slug=o.ostr("topic_slug"),
        category_id=o.oint("category_id"),
    )


def parse_post(payload: Any, route: str) -> Post:
    return _post(Obj(payload, route))


def parse_latest_posts(payload: Any, route: str) -> tuple[Post, ...]:
    """``/posts.json``: ``latest_posts[]``, newest first."""
    return _each(Obj(payload, route).objs("latest_posts", required=True), _post)


def parse_topic_posts(payload: Any, route: str) -> tuple[Post, ...]:
    """``/t/{id}/posts.json?post_ids[]=``: ``post_stream.posts[]``."""
    return _each(Obj(payload, route).need_obj("post_stream").objs("posts", required=True), _post)


@dataclass(frozen=True)
class TopicView:
    """``/t/{id}.json``: the topic and one chunk of its posts, plus the ids of all posts."""

    id: int
    title: str
    slug: str
    category_id: int | None
    archetype: str
    user_id: int | None
    posts_count: int
    reply_count: int
    highest_post_number: int
    views: int
    like_count: int
    participant_count: int
    created_at: datetime | None
    last_posted_at: datetime | None
    bumped_at: datetime | None
    closed: bool
    archived: bool
    visible: bool
    pinned: bool
    deleted_at: datetime | None
    has_deleted: bool
    tags: tuple[str, ...]
    chunk_size: int
    posts: tuple[Post, ...]
    stream: tuple[int, ...]
    is_mega_topic: bool
    accepted_answer: AcceptedAnswer | None
    has_accepted_answer: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def missing_post_ids(self) -> tuple[int, ...]:
        """Ids in ``stream`` whose posts were not in this chunk (fetch them in batches)."""
        have = {p.id for p in self.posts}
        return tuple(i for i in self.stream if i not in have)


def parse_topic_view(payload: Any, route: str) -> TopicView:
    o = Obj(payload, route)
    ps = o.need_obj("post_stream")
    posts = _each(ps.objs("posts", required=True), _post)
    mega = o.flag("isMegaTopic") or ps.flag("isMegaTopic")
    acc = _accepted(o.obj("accepted_answer"))
    multi = o.objs("accepted_answers")
    if acc is None and multi:
        acc = _accepted(multi[0])
    return TopicView(
        id=o.need_int("id"),
        title=o.need_str("title"),
        slug=o.strd("slug"),
        category_id=o.oint("category_id"),
        archetype=o.strd("archetype", "regular"),
        user_id=o.oint("user_id"),
        posts_count=o.int0("posts_count"),
        reply_count=o.int0("reply_count"),
        highest_post_number=o.int0("highest_post_number"),
        views=o.int0("views"),
        like_count=o.int0("like_count"),
        participant_count=o.int0("participant_count"),
        created_at=o.ts("created_at"),
        last_posted_at=o.ts("last_posted_at"),
        bumped_at=o.ts("bumped_at"),
        closed=o.flag("closed"),
        archived=o.flag("archived"),
        visible=o.flag("visible", True),
        pinned=o.flag("pinned"),
        deleted_at=o.ts("deleted_at"),
        has_deleted=o.flag("has_deleted"),
        tags=parse_tags(o.get("tags")),
        chunk_size=o.oint("chunk_size") or 20,
        posts=posts,
        stream=ps.ints("stream"),
        is_mega_topic=mega,
        accepted_answer=acc,
        has_accepted_answer=acc is not None or o.flag("has_accepted_answer"),
        raw=o.d,
    )


# ---------------------------------------------------------------- categories and site


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    slug: str
    color: str | None
    text_color: str | None
    description: str | None
    position: int | None
    parent_category_id: int | None
    read_restricted: bool
    topic_count: int | None
    post_count: int | None
    enable_accepted_answers: bool | None
    subcategory_ids: tuple[int, ...] = ()


def _category(o: Obj) -> Category:
    cf = o.obj("custom_fields")
    accepted = o.opt_bool("enable_accepted_answers")
    if accepted is None and cf is not None and "enable_accepted_answers" in cf:
        accepted = cf.opt_bool("enable_accepted_answers")
    return Category(
        id=o.need_int("id"),
        name=o.need_str("name"),
        slug=o.strd("slug"),
        color=o.ostr("color"),
        text_color=o.ostr("text_color"),
        description=o.ostr("description_text") or o.ostr("description"),
        position=o.oint("position"),
        parent_category_id=o.oint("parent_category_id"),
        read_restricted=o.flag("read_restricted"),
        topic_count=o.oint("topic_count"),
        post_count=o.oint("post_count"),
        enable_accepted_answers=accepted,
        subcategory_ids=o.ints("subcategory_ids"),
    )


def parse_categories(payload: Any, route: str) -> tuple[Category, ...]:
    """``/categories.json`` → ``category_list.categories[]`` (subcategories included when sent)."""
    cl = Obj(payload, route).need_obj("category_list")
    out: list[Category] = []
    for c in cl.objs("categories", required=True):
        out.append(_category(c))
        out.extend(_category(s) for s in c.objs("subcategory_list"))
    return tuple(out)


@dataclass(frozen=True)
class UserField:
    id: int
    name: str


@dataclass(frozen=True)
class SiteInfo:
    """``/site.json``: categories (all the caller can see), groups, user fields, trust levels."""

    categories: tuple[Category, ...]
    groups: tuple[GroupRef, ...]
    user_fields: tuple[UserField, ...]
    trust_levels: Mapping[str, int]
    can_tag_topics: bool


def parse_site(payload: Any, route: str) -> SiteInfo:
    o = Obj(payload, route)
    cats = _each(o.objs("categories", required=True), _category)
    groups = tuple(GroupRef(g.need_int("id"), g.need_str("name")) for g in o.objs("groups"))
    fields = tuple(UserField(f.need_int("id"), f.strd("name")) for f in o.objs("user_fields"))
    tl = o.obj("trust_levels")
    levels = {k: iv for k, v in tl.d.items() if (iv := _int(v)) is not None} if tl else {}
    return SiteInfo(cats, groups, fields, levels, o.flag("can_tag_topics"))


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchResult:
    posts: tuple[Post, ...]
    topics: tuple[TopicSummary, ...]
    users: tuple[UserRef, ...]
    more_full_page_results: bool


def parse_search(payload: Any, route: str) -> SearchResult:
    o = Obj(payload, route)
    gd = o.obj("grouped_search_result")
    return SearchResult(
        posts=_each(o.objs("posts"), _post),
        topics=_each(o.objs("topics"), _topic_summary),
        users=tuple(_user_ref(u) for u in o.objs("users") if u.oint("id") is not None and u.ostr("username")),
        more_full_page_results=bool(gd and gd.flag("more_full_page_results")),
    )


# ---------------------------------------------------------------- badges


@dataclass(frozen=True)
class Badge:
    id: int
    name: str
    slug: str | None
    description: str | None
    badge_type_id: int | None  # 1 gold, 2 silver, 3 bronze
    badge_grouping_id: int | None
    grant_count: int | None
    enabled: bool
    listable: bool
    multiple_grant: bool
    allow_title: bool
    system: bool
    manually_grantable: bool | None  # admin list only
    has_query: bool | None  # admin list only: an automatic (SQL) badge
    icon: str | None
    image_url: str | None


def _badge(o: Obj) -> Badge:
    return Badge(
        id=o.need_int("id"),
        name=o.need_str("name"),
        slug=o.ostr("slug"),
        description=o.ostr("description"),
        badge_type_id=o.oint("badge_type_id"),
        badge_grouping_id=o.oint("badge_grouping_id"),
        grant_count=o.oint("grant_count"),
        enabled=o.flag("enabled", True),
        listable=o.flag("listable", True),
        multiple_grant=o.flag("multiple_grant"),
        allow_title=o.flag("allow_title"),
        system=o.flag("system"),
        manually_grantable=o.opt_bool("manually_grantable"),
        has_query=(bool(o.ostr("query")) if "query" in o else None),
        icon=o.ostr("icon"),
        image_url=o.ostr("image_url") or o.ostr("image"),
    )


def parse_badges(payload: Any, route: str) -> tuple[Badge, ...]:
    """``/badges.json`` and ``/admin/badges.json``: ``badges[]``."""
    return _each(Obj(payload, route).objs("badges", required=True), _badge)


@dataclass(frozen=True)
class UserBadge:
    id: int
    badge_id: int | None
    user_id: int | None
    username: str | None
    granted_at: datetime | None
    granted_by_id: int | None
    post_id: int | None
    post_number: int | None
    topic_id: int | None


def _user_badge(o: Obj, users: Mapping[int, UserRef]) -> UserBadge:
    uid = o.oint("user_id")
    user = o.obj("user")
    if uid is None and user is not None:
        uid = user.oint("id")
    username = o.ostr("username") or (user.ostr("username") if user else None)
    if username is None and uid is not None and uid in users:
        username = users[uid].username
    badge = o.obj("badge")
    bid = o.oint("badge_id")
    if bid is None and badge is not None:
        bid = badge.oint("id")
    return UserBadge(
        id=o.need_int("id"),
        badge_id=bid,
        user_id=uid,
        username=username,
        granted_at=o.ts("granted_at"),
        granted_by_id=o.oint("granted_by_id"),
        post_id=o.oint("post_id"),
        post_number=o.oint("post_number"),
        topic_id=o.oint("topic_id"),
    )


def _users_by_id(o: Obj) -> dict[int, UserRef]:
    return {
        r.id: r
        for r in (_user_ref(u) for u in o.objs("users") if u.oint("id") is not None and u.ostr("username"))
    }


@dataclass(frozen=True)
class UserBadgeList:
    """``/user-badges/{u}.json`` and ``/user_badges.json``: grants plus side-loaded badges/users."""

    user_badges: tuple[UserBadge, ...]
    badges: tuple[Badge, ...]
    users: tuple[UserRef, ...]
    grant_count: int | None = None


def parse_user_badges(payload: Any, route: str) -> UserBadgeList:
    o = Obj(payload, route)
    users = _users_by_id(o)
    info = o.obj("user_badge_info")
    grants_src = info if info is not None else o
    grants = _each(grants_src.objs("user_badges", required=True), lambda x: _user_badge(x, users))
    return UserBadgeList(
        grants,
        _each(o.objs("badges"), _badge),
        tuple(users.values()),
        info.oint("grant_count") if info is not None else None,
    )


def parse_granted_badge(payload: Any, route: str) -> UserBadge:
    """``POST /user_badges.json`` → ``{"user_badge": {…}, …}``."""
    o = Obj(payload, route)
    return _user_badge(o.need_obj("user_badge"), _users_by_id(o))


# ---------------------------------------------------------------- groups


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    full_name: str | None
    automatic: bool
    user_count: int | None
    visibility_level: int | None
    members_visibility_level: int | None
    grant_trust_level: int | None
    title: str | None
    primary_group: bool
    public_admission: bool
    public_exit: bool
    can_admin_group: bool | None


def parse_group(payload: Any, route: str) -> Group:
    root = Obj(payload, route)
    g = root.obj("group") or root
    return Group(
        id=g.need_int("id"),
        name=g.need_str("name"),
        full_name=g.ostr("full_name"),
        automatic=g.flag("automatic"),
        user_count=g.oint("user_count"),
        visibility_level=g.oint("visibility_level"),
        members_visibility_level=g.oint("members_visibility_level"),
        grant_trust_level=g.oint("grant_trust_level"),
        title=g.ostr("title"),
        primary_group=g.flag("primary_group"),
        public_admission=g.flag("public_admission"),
        public_exit=g.flag("public_exit"),
        can_admin_group=g.opt_bool("can_admin_group"),
    )


@dataclass(frozen=True)
class GroupMember:
    id: int
    username: str
    name: str | None
    owner: bool
    trust_level: int | None
    added_at: datetime | None
    last_seen_at: datetime | None


@dataclass(frozen=True)
class GroupMembersPage:
    members: tuple[GroupMember, ...]
    owners: tuple[GroupMember, ...]
    total: int | None
    limit: int | None
    offset: int | None


def parse_group_members(payload: Any, route: str) -> GroupMembersPage:
    o = Obj(payload, route)
    owner_ids = {x.oint("id") for x in o.objs("owners")}

    def member(m: Obj, owner: bool = False) -> GroupMember:
        return GroupMember(
            m.need_int("id"),
            m.need_str("username"),
            m.ostr("name"),
            owner or m.flag("owner") or m.oint("id") in owner_ids,
            m.oint("trust_level"),
            m.ts("added_at"),
            m.ts("last_seen_at"),
        )

    meta = o.obj("meta")
    return GroupMembersPage(
        _each(o.objs("members", required=True), member),
        tuple(member(m, True) for m in o.objs("owners")),
        meta.oint("total") if meta else None,
        meta.oint("limit") if meta else None,
        meta.oint("offset") if meta else None,
    )


@dataclass(frozen=True)
class MembershipChange:
    """``PUT/DELETE /groups/{id}/members.json``."""

    usernames: tuple[str, ...]
    skipped_usernames: tuple[str, ...]
    emails: tuple[str, ...]


def parse_membership_change(payload: Any, route: str) -> MembershipChange:
    o = Obj(payload, route)
    if "success" not in o and "usernames" not in o:
        raise bad_payload(route, "no success/usernames in answer")
    return MembershipChange(o.strs("usernames"), o.strs("skipped_usernames"), o.strs("emails"))


# ---------------------------------------------------------------- solved


@dataclass(frozen=True)
class SolutionResult:
    """Accept/unaccept outcome. The standalone plugin sends ``{"success":"OK"}`` (``answer`` None);
    core-bundled accept returns the accepted-answer object (``answer`` set)."""

    answer: AcceptedAnswer | None


def parse_solution_result(payload: Any, route: str) -> SolutionResult:
    if payload is None:
        return SolutionResult(None)
    o = Obj(payload, route)
    if o.get("success") in ("OK", True) and "post_number" not in o:
        return SolutionResult(None)
    inner = o.obj("accepted_answer") or o
    if "post_number" in inner or "username" in inner:
        return SolutionResult(_accepted(inner))
    raise bad_payload(route, "neither success nor an accepted answer")


def parse_success(payload: Any, route: str) -> None:
    """``{"success": "OK"}`` or an empty 200."""
    if payload is None or payload == "":
        return
    o = Obj(payload, route)
    if o.get("success") not in ("OK", True, "ok"):
        raise bad_payload(route, "no success flag")


# ---------------------------------------------------------------- reports


@dataclass(frozen=True)
class ReportPoint:
    x: date
    y: float


@dataclass(frozen=True)
class ReportSeries:
    """One line of a report; ``req`` names it in stacked reports (plain reports: ``req`` = type)."""

    req: str
    label: str | None
    points: tuple[ReportPoint, ...]


@dataclass(frozen=True)
class Report:
    type: str
    title: str | None
    start_date: date | None
    end_date: date | None
    series: tuple[ReportSeries, ...]
    prev_series: tuple[ReportSeries, ...]
    total: float | None
    prev30_days: float | None
    average: bool
    percent: bool
    higher_is_better: bool
    error: str | None

    @property
    def points(self) -> tuple[ReportPoint, ...]:
        """The points of a single-series report (the first series of a stacked one)."""
        return self.series[0].points if self.series else ()


def _points(items: Iterable[Any], route: str, where: str) -> tuple[ReportPoint, ...]:
    out: list[ReportPoint] = []
    for i, it in enumerate(items):
        o = Obj(it, route, f"{where}[{i}]")
        x, y = parse_date(o.get("x")), o.ofloat("y")
        if x is None or y is None:
            continue  # table rows or gaps: not chartable
        out.append(ReportPoint(x, y))
    return tuple(out)


def _series(data: Any, kind: str, route: str, where: str) -> tuple[ReportSeries, ...]:
    if not isinstance(data, list) or not data:
        return ()
    if all(isinstance(d, Mapping) and isinstance(d.get("data"), list) for d in data):
        return tuple(
            ReportSeries(
                str(d.get("req") or f"series{i}"),
                _str(d.get("label")),
                _points(d["data"], route, f"{where}[{i}].data"),
            )
            for i, d in enumerate(data)
        )
    return (ReportSeries(kind, None, _points(data, route, where)),)


def parse_report(payload: Any, route: str) -> Report:
    r = Obj(payload, route).need_obj("report")
    kind = r.strd("type", "report")
    data = r.get("data")
    if data is not None and not isinstance(data, list):
        raise bad_payload(route, "report.data is not a list")
    return Report(
        type=kind,
        title=r.ostr("title"),
        start_date=parse_date(r.get("start_date")),
        end_date=parse_date(r.get("end_date")),
        series=_series(data, kind, route, "report.data"),
        prev_series=_series(r.get("prev_data"), kind, route, "report.prev_data"),
        total=r.ofloat("total"),
        prev30_days=r.ofloat("prev30Days"),
        average=r.flag("average"),
        percent=r.flag("percent"),
        higher_is_better=r.flag("higher_is_better", True),
        error=r.ostr("error"),
    )


__all__ = [
    "AcceptedAnswer",
    "Badge",
    "Category",
    "DirectoryItem",
    "DirectoryPage",
    "Group",
    "GroupMember",
    "GroupMembersPage",
    "GroupRef",
    "MembershipChange",
    "Obj",
    "Post",
    "Poster",
    "Report",
    "ReportPoint",
    "ReportSeries",
    "SearchResult",
    "SiteInfo",
    "SolutionResult",
    "TopicPage",
    "TopicSummary",
    "TopicView",
    "User",
    "UserBadge",
    "UserBadgeList",
    "UserEmails",
    "UserField",
    "UserRef",
    "UserSummary",
    "bad_payload",
    "parse_badges",
    "parse_categories",
    "parse_date",
    "parse_directory",
    "parse_granted_badge",
    "parse_group",
    "parse_group_members",
    "parse_latest_posts",
    "parse_membership_change",
    "parse_post",
    "parse_report",
    "parse_search",
    "parse_site",
    "parse_solution_result",
    "parse_success",
    "parse_tags",
    "parse_timestamp",
    "parse_topic_list",
    "parse_topic_posts",
    "parse_topic_view",
    "parse_user",
    "parse_user_badges",
    "parse_user_emails",
    "parse_user_list",
    "parse_user_summary",
]
