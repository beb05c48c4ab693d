"""The demo community server: Discourse's API (as ``shared/discourse/CONTRACT.md`` reads it) over
real HTTP on loopback, backed by the SQLite store of :mod:`modconsole.demo.store`.

Stdlib ``ThreadingHTTPServer`` (keep-alive, Nagle off), one sqlite3 connection per thread and
one lock serialising writes. Discourse's rate limits can be switched on (with a fast clock so
tests never wait a real minute), faults can be injected (latency, 5xx, read-only, dropped or
malformed answers, "applied then dropped" writes, 429s), and live mode keeps producing activity.
What it shares with the Vanilla demo (server lifecycle, faults, limiter, request log, control
routes) is in :mod:`modconsole.demo.httpbase`.
"""

from __future__ import annotations

import email.parser
import email.policy
import email.utils
import gzip
import hashlib
import json
import math
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from modconsole import clock
from modconsole.demo import core, store
from modconsole.demo import message_bus as mb
from modconsole.demo import routes_assign as ra
from modconsole.demo import routes_data_explorer as dex
from modconsole.demo import routes_people as people
from modconsole.demo import routes_read as rd
from modconsole.demo import routes_review as rv
from modconsole.demo import routes_user_notes as un
from modconsole.demo import routes_write as wr
from modconsole.demo.core import (
    DEFAULT_SETTINGS,
    Ctx,
    HttpError,
    bad_credentials,
    error,
    loads_json,
    not_found,
    now_iso,
)
from modconsole.demo.httpbase import (
    Answer,
    DemoRequestHandler,
    DemoServerBase,
    FaultRule,
    RequestRecord,
    json_bytes,
)
from modconsole.demo.serializers import BADGE_TYPES
from modconsole.demo.store import DemoCredentials


@dataclass(frozen=True)
class RateLimitConfig:
    enabled: bool = False
    admin_per_minute: int = 60
    user_per_minute: int = 20
    user_per_day: int = 2880
    ip_per_10_seconds: int = 50
    ip_per_minute: int = 200

    @classmethod
    def off(cls) -> RateLimitConfig:
        return cls(enabled=False)

    @classmethod
    def discourse_defaults(cls) -> RateLimitConfig:
        return cls(enabled=True)


def _echo_headers_error(status: int, method: str, path: str, headers: Any) -> HttpError:
    """What a misconfigured proxy in front of a forum answers: its error text quotes the request it
    got, every header included (the API key too)."""
    dump = "; ".join(f"{k}: {v}" for k, v in headers)
    return HttpError(
        status,
        {"errors": [f"Gateway could not forward {method} {path}. Request headers: {dump}"]},
    )


Handler = Callable[..., Any]
ROUTES: list[tuple[str, re.Pattern[str], Handler, bool]] = []


_PARAM = {None: r"[^/]+", ":int": r"-?\d+", ":path": r"[^.]+?"}  # ':path' is Rails' glob (several segments)


def route(method: str, pattern: str, *, write: bool = False) -> Callable[[Handler], Handler]:
    """Register a handler for ``pattern``; stack ``@route`` lines for the aliases Discourse answers."""
    regex = re.compile(
        "^"
        + re.sub(
            r"\{(\w+)(:int|:path)?\}",
            lambda m: f"(?P<{m.group(1)}>{_PARAM[m.group(2)]})",
            pattern.replace(".", r"\."),
        )
        + "$"
    )

    def deco(fn: Handler) -> Handler:
        ROUTES.append((method, regex, fn, write))
        return fn

    return deco


# ---------------------------------------------------------------- routes
# Each handler: (server, con, ctx, **path params) -> JSON value (200) or raises HttpError.


@route("GET", "/latest.json")
def _latest(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return rd.list_from_params(ctx, s.settings, con, "/latest")


@route("GET", "/c/{path:path}.json")  # registered last (decorators apply bottom-up): '/l/latest' wins
@route("GET", "/c/{path:path}/l/latest.json")
@route("GET", "/c/{path:path}/l/latest")
def _cat_latest(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, path: str) -> Any:
    """``/c/*category_slug_path_with_id``: Discourse finds the category by a trailing id, else by the slug
    path (``parent/child``), and answers any path but the canonical ``parent/child/id`` with a 301 to it
    (ListController#set_category): ``/c/{id}.json`` or a stale slug reach the same list after a redirect."""
    cat = rd.visible_category(ctx, rd.category_by_slug_path_with_id(con, path))
    canonical = rd.category_slug_path_with_id(con, cat)
    if path != canonical:
        raise rd.redirect(f"/c/{canonical}" + ctx.path[len("/c/") + len(path) :], ctx)
    return rd.list_from_params(ctx, s.settings, con, f"/c/{cat['slug']}/{cat['id']}/l/latest", category=cat)


@route("GET", "/filter.json")
def _filter(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return rd.filter_list(ctx, s.settings, con)


@route("GET", "/search.json")
def _search(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return rd.search_route(con, ctx, s.settings)


@route("GET", "/t/{slug}/{id:int}.json")
def _topic_slug(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, slug: str, id: str) -> Any:
    return rd.topic_view(con, ctx, s.settings, int(id))


@route("GET", "/t/{id:int}.json")
def _topic(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return rd.topic_view(con, ctx, s.settings, int(id))


@route("GET", "/t/{id:int}/posts.json")
def _topic_posts(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return rd.topic_posts(con, ctx, s.settings, int(id))


@route("GET", "/t/{id:int}/post_ids.json")
def _topic_post_ids(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return rd.topic_post_ids(con, ctx, s.settings, int(id))


@route("GET", "/posts.json")
def _posts(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return rd.latest_posts(con, ctx, s.settings)


@route("GET", "/posts/{id:int}.json")
def _post(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return rd.single_post(con, ctx, s.settings, int(id))


@route("GET", "/posts/by_number/{topic_id:int}/{post_number:int}.json")
def _post_by_number(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, topic_id: str, post_number: str) -> Any:
    """The same post addressed by topic and number (PostsController#by_number)."""
    row = con.execute(
        "SELECT id FROM posts WHERE topic_id = ? AND post_number = ?", (int(topic_id), int(post_number))
    ).fetchone()
    if row is None:
        raise not_found()
    return rd.single_post(con, ctx, s.settings, int(row[0]))


@route("GET", "/categories.json")
def _categories(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return rd.categories_route(con, ctx)


@route("GET", "/site.json")
def _site(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return rd.site_route(con, ctx, s.settings)


@route("GET", "/session/current.json")
def _session_current(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    """Who the key acts as. Discourse answers 404 when nobody is logged in."""
    if ctx.user is None:
        raise not_found()
    u = ctx.user
    return {
        "current_user": {
            "id": u["id"],
            "username": u["username"],
            "name": u["name"],
            "avatar_template": "/letter_avatar_proxy/v4/letter/"
            f"{u['username'][0].lower()}/8c91f0/{{size}}.png",
            "admin": bool(u["admin"]),
            "moderator": bool(u["moderator"]),
            "staff": bool(u["admin"] or u["moderator"]),
            "trust_level": u["trust_level"],
            "title": u["title"],
            "can_grant_badges": bool(u["admin"] or u["moderator"]),
            "whisperer": ctx.whisperer,
        }
    }


@route("GET", "/u/{username}.json")
@route("GET", "/users/{username}.json")
def _user(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, username: str, filter: str = "") -> Any:
    return people.user_route(con, ctx, username)


# config/routes.rb sends these pages of a profile to users#show too: as JSON each is the same user resource
# (`/u/{username}/activity.json` alone is posts#user_posts_feed, not the profile)
for _root in ("u", "users"):
    for _page in (
        "flagged-posts",
        "deleted-posts",
        "notifications",
        "notifications/{filter}",
        "activity/{filter}",
    ):
        route("GET", f"/{_root}/{{username}}/{_page}.json")(_user)


@route("GET", "/u/{username}/card.json")
@route("GET", "/users/{username}/card.json")
def _card(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, username: str) -> Any:
    """UsersController#show_card: the profile's card (no badges list, no associated accounts), with the
    solved plugin's `accepted_answers`."""
    user = people.user_route(con, ctx, username)["user"]
    user.pop("associated_accounts", None)
    user["accepted_answers"] = people.user_stats(con, int(user["id"]))["solved_count"]
    return {"user": user}


@route("GET", "/u/{username}/summary.json")
@route("GET", "/users/{username}/summary.json")
def _summary(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, username: str) -> Any:
    return people.summary_route(con, ctx, username)


@route("GET", "/u/{username}/emails.json")
@route("GET", "/users/{username}/emails.json")
def _emails(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, username: str) -> Any:
    return people.emails_route(con, ctx, s.settings, username)


@route("GET", "/u/by-external/{external_id}.json")
@route("GET", "/users/by-external/{external_id}.json")
@route("GET", "/u/by-external/{provider}/{external_id}.json")
@route("GET", "/users/by-external/{provider}/{external_id}.json")
def _user_by_external(
    s: DemoServer, con: sqlite3.Connection, ctx: Ctx, external_id: str, provider: str | None = None
) -> Any:
    """UsersController#show by an SSO / auth-provider id. The demo community signs nobody in through
    DiscourseConnect or OAuth, so no member has an external id: every lookup is Discourse's 404."""
    raise not_found()


@route("GET", "/admin/users/list/{flag}.json")
@route("GET", "/admin/users/list.json")
@route("GET", "/admin/users.json")
def _admin_list(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, flag: str = "") -> Any:
    """``list/{flag}``; ``list`` and the bare index run the same query without a flag (all, newest first)."""
    return people.admin_list_route(con, ctx, s.settings, flag)


@route("GET", "/admin/users/{id:int}.json")
@route("GET", "/admin/users/{id:int}/{username}.json")
@route("GET", "/admin/users/{id:int}/{username}/badges.json")
@route("GET", "/admin/users/{id:int}/{username}/tl3_requirements.json")
def _admin_user(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str, username: str = "") -> Any:
    """Admin::UsersController#show: by id; the username segment (and the page suffix) is ignored."""
    ctx.require_staff()
    show = ctx.admin or bool(s.settings.get("moderators_view_emails"))
    d = people.admin_user_json(con, people.user_by_id(con, int(id)), show_email=show, full=True)
    if un.enabled(s.settings) and isinstance(d, dict):  # the plugin's user custom field
        d["user_notes_count"] = un.count(con, int(id))
    return d


@route("GET", "/directory_items.json")
def _directory(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return people.directory_route(con, ctx, s.settings)


@route("PUT", "/admin/users/{id:int}/trust_level.json", write=True)
@route("PUT", "/admin/users/{id:int}/trust_level", write=True)
def _trust_level(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return people.trust_level_route(con, ctx, int(id))


@route("PUT", "/admin/users/{id:int}/suspend.json", write=True)
def _suspend(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return people.suspend_route(con, ctx, int(id))


@route("DELETE", "/admin/users/{id:int}.json", write=True)
def _delete_user(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return people.delete_user_route(con, ctx, int(id))


@route("GET", "/badges.json")
def _badges(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    # BadgesController#index keeps the list out of search engines
    raise HttpError(
        200, people.badges_route(con, ctx, s.settings, admin=False), headers={"X-Robots-Tag": "noindex"}
    )


@route("GET", "/badges/{id:int}.json")
@route("GET", "/badges/{id:int}/{slug}.json")
def _badge(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str, slug: str = "") -> Any:
    return people.badge_route(con, ctx, s.settings, int(id))


@route("GET", "/admin/badges.json")
def _admin_badges(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return people.badges_route(con, ctx, s.settings, admin=True)


@route("PUT", "/admin/badges/{id:int}.json", write=True)
def _update_badge(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return people.update_badge_route(con, ctx, s.settings, int(id))


@route("POST", "/admin/badges/award/{id}.json", write=True)
@route("POST", "/admin/badges/award/{id}", write=True)
def _award(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    id = id.removesuffix(".json")  # the bare route is registered first and also sees "…/12.json"
    return people.award_csv_route(con, ctx, s.settings, int(id) if id.isdigit() else None)


@route("GET", "/admin/badges/types.json")
def _badge_types(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return {"badge_types": BADGE_TYPES}


@route("DELETE", "/admin/badges/{id:int}.json", write=True)
def _delete_badge(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    people.delete_badge_route(con, ctx, s.settings, int(id))
    raise HttpError(200, "", content_type="text/plain; charset=utf-8")  # Rails' `render body: nil`


@route("GET", "/user-badges/{username}.json")
def _user_badges(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, username: str) -> Any:
    return people.user_badges_of_user(con, ctx, s.settings, username)


@route("GET", "/user_badges.json")
def _user_badges_index(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return people.user_badges_index(con, ctx, s.settings)


@route("POST", "/user_badges.json", write=True)
def _grant(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return people.grant_route(con, ctx, s.settings, s.base_url)


@route("DELETE", "/user_badges/{id:int}.json", write=True)
def _revoke(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return people.revoke_route(con, ctx, s.settings, int(id))


@route("GET", "/groups/{name}.json")
@route("GET", "/g/{name}.json")
def _group(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, name: str, filter: str = "") -> Any:
    return people.group_route(con, ctx, s.settings, name)


# config/routes.rb: these member pages of a group are all groups#show (the same group resource as JSON)
for _root in ("groups", "g"):
    for _page in (
        "activity",
        "activity/{filter}",
        "requests",
        "messages",
        "messages/inbox",
        "messages/archive",
        "manage",
        "manage/profile",
        "manage/members",
        "manage/membership",
        "manage/interaction",
        "manage/email",
        "manage/categories",
        "manage/tags",
        "manage/logs",
    ):
        route("GET", f"/{_root}/{{name}}/{_page}.json")(_group)


@route("GET", "/groups/by-id/{id:int}.json")
def _group_by_id(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    """The same group by id (openapi ``getGroupById``)."""
    row = con.execute("SELECT name FROM groups WHERE id = ?", (int(id),)).fetchone()
    if row is None:
        raise not_found()
    return people.group_route(con, ctx, s.settings, str(row[0]))


@route("GET", "/groups/{name}/members.json")
@route("GET", "/g/{name}/members.json")
def _members(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, name: str) -> Any:
    return people.members_route(con, ctx, name)


@route("PUT", "/groups/{id:int}/members.json", write=True)
@route("PUT", "/g/{id:int}/members.json", write=True)
@route("PUT", "/admin/groups/{id:int}/members.json", write=True)
def _add_members(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    _admin_alias(ctx)
    return people.add_members_route(con, ctx, s.settings, int(id))


@route("DELETE", "/groups/{id:int}/members.json", write=True)
@route("DELETE", "/g/{id:int}/members.json", write=True)
@route("DELETE", "/admin/groups/{id:int}/members.json", write=True)
def _remove_members(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    _admin_alias(ctx)
    return people.remove_members_route(con, ctx, s.settings, int(id))


@route("POST", "/admin/users/{id:int}/groups.json", write=True)
@route("POST", "/admin/users/{id:int}/groups", write=True)
def _admin_user_add_group(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    """Admin::UsersController#add_group, the documented admin alias of ``PUT /groups/{id}/members``
    (``group_id`` in the body): same membership change, but an empty 200, also when already a member."""
    _admin_user_group(s, con, ctx, int(id), ctx.int_param("group_id"), add=True)


@route("DELETE", "/admin/users/{id:int}/groups/{group_id:int}.json", write=True)
@route("DELETE", "/admin/users/{id:int}/groups/{group_id:int}", write=True)
def _admin_user_remove_group(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str, group_id: str) -> Any:
    """Admin::UsersController#remove_group, the admin alias of ``DELETE /groups/{id}/members``."""
    _admin_user_group(s, con, ctx, int(id), int(group_id), add=False)


def _admin_user_group(
    s: DemoServer, con: sqlite3.Connection, ctx: Ctx, uid: int, gid: int | None, *, add: bool
) -> None:
    if not ctx.admin:  # AdminConstraint: the route does not exist for anyone else
        raise not_found()
    user = people.user_by_id(con, uid)
    group = con.execute("SELECT automatic FROM groups WHERE id = ?", (gid,)).fetchone()
    if gid is None or group is None:
        raise not_found()
    if group[0]:
        raise error(422, "You cannot modify an automatic group")
    ctx.body = {**ctx.body, "usernames": user["username"]}
    try:
        if add:
            people.add_members_route(con, ctx, s.settings, gid)
        else:
            people.remove_members_route(con, ctx, s.settings, gid)
    except HttpError as exc:
        if not (isinstance(exc.body, dict) and exc.body.get("error_type") == "member_already_exist"):
            raise
    raise HttpError(200, "", content_type="text/plain; charset=utf-8")  # Rails' `render body: nil`


_ADMIN_ONLY = re.compile(r"^/admin/(?:badges|groups|users/-?\d+/groups)(?:[/.]|$)")


def _admin_constraint(ctx: Ctx) -> None:
    """config/routes.rb mounts ``/admin`` behind StaffConstraint, and its admin-only parts (badges, groups,
    a member's groups) behind AdminConstraint: for anyone a constraint refuses, the route does not exist,
    so Discourse answers 404 "not found" (Admin::ReportsController spec: "denies access with a 404
    response"), not 403. Plugin engines mounted under ``/admin/plugins/…`` check access themselves (Data
    Explorer's query_controller_spec: a non-admin "cannot access admin endpoints" → 403)."""
    if not ctx.staff or (_ADMIN_ONLY.match(ctx.path) and not ctx.admin):
        raise not_found()


def _admin_alias(ctx: Ctx) -> None:
    """``/admin/groups/{id}/members`` ("aliases so old API code works") sits behind AdminConstraint: for
    anyone but an admin the route does not exist, so Rails answers 404."""
    if ctx.path.startswith("/admin/") and not ctx.admin:
        raise not_found()


@route("POST", "/solution/accept.json", write=True)
def _accept(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return people.accept_route(con, ctx, s.settings)


@route("POST", "/solution/unaccept.json", write=True)
def _unaccept(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return people.unaccept_route(con, ctx, s.settings)


@route("GET", "/solution/by_user.json")
def _by_user(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return people.by_user_route(con, ctx, s.settings)


# PostsController#create_params: what the admin-API memo signs (an unknown parameter such as `wpid` is not)
_CREATE_PARAMS = (
    "raw",
    "topic_id",
    "title",
    "archetype",
    "category",
    "category_id",
    "target_recipients",
    "target_usernames",
    "reply_to_post_number",
    "whisper",
    "tags",
    "tags[]",
    "created_at",
    "external_id",
)
CREATE_MEMO_SECONDS = 120.0


@route("POST", "/posts.json", write=True)
def _create_post(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    """PostsController#create. Through an admin API key the result is memoised for 120 s under a signature
    of the acting user, the create parameters and the client (IP, user agent, referrer): the same create
    sent again inside that window answers the first result instead of posting twice
    (posts_controller_spec "memoizes duplicate requests")."""
    nested = ctx.bool_param("nested_post")
    if ctx.key_kind != "admin":
        return wr.nested(wr.create_post_route(con, ctx, s.settings), nested)
    signed = {k: ctx.body.get(k, ctx.query.get(k)) for k in _CREATE_PARAMS if k in ctx.body or k in ctx.query}
    sig = hashlib.sha1(
        json.dumps(
            [
                ctx.uid,
                signed,
                ctx.headers.get("x-forwarded-for", ""),
                ctx.headers.get("user-agent", ""),
                ctx.headers.get("referer", ""),
            ],
            sort_keys=True,
            default=str,
        ).encode()
    ).hexdigest()
    now = clock.timestamp()
    with s._memo_lock:
        for k in [k for k, (until, _) in s._memo.items() if until <= now]:
            del s._memo[k]
        hit = s._memo.get(sig)
    if hit is not None:
        return wr.nested(json.loads(hit[1]), nested)
    value = wr.create_post_route(con, ctx, s.settings)
    with s._memo_lock:
        s._memo[sig] = (now + CREATE_MEMO_SECONDS, json.dumps(value))
    return wr.nested(value, nested)


@route("PUT", "/posts/{id:int}.json", write=True)
def _edit_post(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return wr.edit_post_route(con, ctx, s.settings, int(id))


@route("DELETE", "/posts/{id:int}.json", write=True)
def _delete_post(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return wr.delete_post_route(con, ctx, s.settings, int(id))


@route("PUT", "/t/{id:int}.json", write=True)
@route("PUT", "/t/-/{id:int}.json", write=True)
@route("PUT", "/t/{slug}/{id:int}.json", write=True)
def _update_topic(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str, slug: str = "-") -> Any:
    return wr.update_topic_route(con, ctx, s.settings, int(id))


@route("PUT", "/t/{id:int}/status.json", write=True)
@route("PUT", "/t/{slug}/{id:int}/status.json", write=True)
def _status(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str, slug: str = "-") -> Any:
    return wr.status_route(con, ctx, s.settings, int(id))


@route("DELETE", "/t/{id:int}.json", write=True)
def _delete_topic(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return wr.delete_topic_route(con, ctx, s.settings, int(id))


@route("PUT", "/t/{id:int}/recover.json", write=True)
@route("POST", "/t/{id:int}/recover.json", write=True)
def _recover(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return wr.recover_topic_route(con, ctx, s.settings, int(id))


@route("POST", "/post_actions.json", write=True)
def _like(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return wr.like_route(con, ctx, s.settings)


@route("DELETE", "/post_actions/{id:int}.json", write=True)
def _unlike(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, id: str) -> Any:
    return wr.unlike_route(con, ctx, s.settings, int(id))


@route("GET", "/admin/reports/{rtype}.json")
def _report(s: DemoServer, con: sqlite3.Connection, ctx: Ctx, rtype: str) -> Any:
    return people.report_route(con, ctx, rtype)


@route("HEAD", "/user-api-key/new")
@route("GET", "/user-api-key/new")
def _uak_new(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    if ctx.method == "HEAD":
        raise HttpError(200, "", headers={"Auth-Api-Version": "4"}, content_type="text/html; charset=utf-8")
    raise wr.uak_new_page(ctx, s.settings)


@route("POST", "/user-api-key", write=True)
@route("POST", "/user-api-key.json", write=True)
def _uak_create(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    raise wr.uak_create(con, ctx, s.settings)


@route("POST", "/user-api-key/revoke", write=True)
@route("POST", "/user-api-key/revoke.json", write=True)
def _uak_revoke(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    return wr.uak_revoke(con, ctx)


@route("GET", "/_demo/ping")
def _ping(s: DemoServer, con: sqlite3.Connection, ctx: Ctx) -> Any:
    """A trivial fixed-body route (the benchmark's baseline)."""
    return {"ok": True}


dex.register(route)  # the Data Explorer plugin (off unless the data_explorer_enabled setting is on)
rv.register(route)  # the review queue (flags, queued posts, claiming)
mb.register(route)  # MessageBus polls (live counts between syncs)
ra.register(route, rd)  # Assign (on by default in the demo; the assign_enabled setting)
un.register(route)  # User Notes (off unless the user_notes_enabled setting is on, as on Discourse)


# ---------------------------------------------------------------- the server


class DemoServer(DemoServerBase):
    thread_name = "demo-server"
    settings_key = "site_settings"
    default_settings = DEFAULT_SETTINGS

    def __init__(
        self,
        db_path: str | Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: RateLimitConfig | None = None,
        clock_speed: float = 1.0,
        seed: int = 0,
    ) -> None:
        super().__init__(db_path, host=host, port=port, clock_speed=clock_speed, seed=seed)
        self.limits = limits or RateLimitConfig.off()
        self._memo: dict[str, tuple[float, str]] = {}  # admin-API create memo: signature → (until, JSON)
        self._memo_lock = threading.Lock()
        con = self.connection()
        self.credentials: DemoCredentials = store.load_credentials(con)
        # server-side helper indexes (per-user like counts, solutions by post); harmless to other readers
        con.execute("CREATE INDEX IF NOT EXISTS demo_server_likes_user ON likes(user_id)")
        con.execute(
            "CREATE INDEX IF NOT EXISTS demo_server_posts_reply ON posts(topic_id, reply_to_post_number)"
        )
        con.execute("CREATE INDEX IF NOT EXISTS demo_server_topics_pinned ON topics(pinned) WHERE pinned = 1")
        con.commit()
        self._load_settings(con)
        self.data_explorer = dex.DataExplorer(self)
        rv.seed(con, seed=self._meta(con, "seed", 1), now=core.parse_iso(self._meta(con, "now", now_iso())))
        ra.ensure_schema(con)
        un.ensure_schema(con)
        con.commit()
        self.message_bus = mb.MessageBus(con)

    @staticmethod
    def _meta(con: sqlite3.Connection, key: str, default: Any) -> Any:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return loads_json(row[0] if row else None, default)

    # -- lifecycle (the rest in DemoServerBase)
    def _handler_class(self) -> type[_RequestHandler]:
        return _RequestHandler

    def _on_start(self) -> None:
        self.message_bus.reopen()

    def _on_stop(self) -> None:
        self.message_bus.close()

    def _after_commit(self, con: sqlite3.Connection) -> None:
        self.message_bus.observe(con)

    def set_limits(self, limits: RateLimitConfig) -> None:
        self.limits = limits
        self._limiter.clear()

    # -- live mode
    def start_live(self, events_per_minute: float = 30.0, seed: int = 0) -> None:
        from modconsole.demo.live import LiveActivity

        self.stop_live()
        self._live = LiveActivity(self, events_per_minute=events_per_minute, seed=seed)
        self._live.start()

    # -- rate limits
    def _limit_error(self, wait_virtual: float, code: str) -> HttpError:
        real = wait_virtual / self.clock_speed
        return HttpError(
            429,
            {
                "errors": [
                    "You’ve performed this action too many times. Please wait "
                    f"{max(1, math.ceil(real))} seconds before trying again."
                ],
                "error_type": "rate_limit",
                "extras": {"wait_seconds": round(real, 3), "time_left": f"{max(1, math.ceil(real))} seconds"},
            },
            headers={"Retry-After": str(max(1, math.ceil(real))), "Discourse-Rate-Limit-Error-Code": code},
        )

    def _ip_limit_error(self, wait_virtual: float, code: str) -> HttpError:
        real = max(1, math.ceil(wait_virtual / self.clock_speed))
        return HttpError(
            429,
            "Slow down, too many requests from this IP address. Please retry again in "
            f"{real} seconds. Error code: {code}.\n",
            headers={"Retry-After": str(real), "Discourse-Rate-Limit-Error-Code": code},
            content_type="text/plain; charset=utf-8",
        )

    def _date_limit_error(self, seconds: float) -> HttpError:
        """A 429 whose ``Retry-After`` is an HTTP-date (RFC 9110 allows both forms)."""
        when = clock.now() + timedelta(seconds=seconds)
        return HttpError(
            429,
            {"errors": ["You’ve performed this action too many times."], "error_type": "rate_limit"},
            headers={
                "Retry-After": email.utils.format_datetime(when.astimezone(UTC), usegmt=True),
                "Discourse-Rate-Limit-Error-Code": "admin_api_key_rate_limit",
            },
        )

    def check_ip_limits(self, ip: str) -> list[str]:
        lim = self.limits
        buckets: list[str] = []
        for bucket, limit, window, code in (
            (f"ip10:{ip}", lim.ip_per_10_seconds, 10.0, "ip_10_secs_limit"),
            (f"ip60:{ip}", lim.ip_per_minute, 60.0, "ip_60_secs_limit"),
        ):
            wait = self._limiter.hit(bucket, limit, window)
            if wait is not None:
                for b in buckets:
                    self._limiter.rollback(b)
                raise self._ip_limit_error(wait, code)
            buckets.append(bucket)
        return buckets

    def check_key_limits(self, ctx: Ctx, key: str) -> None:
        lim = self.limits
        if ctx.key_kind == "admin":
            wait = self._limiter.hit("admin_api_min", lim.admin_per_minute, 60.0)
            if wait is not None:
                raise self._limit_error(wait, "admin_api_key_rate_limit")
        elif ctx.key_kind == "user":
            wait = self._limiter.hit(f"uak60:{key}", lim.user_per_minute, 60.0)
            if wait is not None:
                raise self._limit_error(wait, "user_api_key_limiter_60_secs")
            wait = self._limiter.hit(f"uakday:{key}", lim.user_per_day, 86400.0)
            if wait is not None:
                self._limiter.rollback(f"uak60:{key}")
                raise self._limit_error(wait, "user_api_key_limiter_1_day")

    # -- auth
    def authenticate(self, con: sqlite3.Connection, ctx: Ctx) -> str | None:
        h = ctx.headers
        key = h.get("api-key")
        ukey = h.get("user-api-key")
        if key:
            row = con.execute(
                "SELECT * FROM api_keys WHERE key = ? AND kind = 'admin' AND revoked_at IS NULL", (key,)
            ).fetchone()
            if row is None:
                raise bad_credentials()
            name, uid = h.get("api-username"), h.get("api-user-id")
            if row["user_id"] is not None:
                user = con.execute("SELECT * FROM users WHERE id = ?", (row["user_id"],)).fetchone()
                if (
                    user is None
                    or (name and name.lower() != user["username"].lower())
                    or (uid and uid != str(user["id"]))
                ):
                    raise bad_credentials()
            elif name:
                user = con.execute("SELECT * FROM users WHERE username = ?", (name,)).fetchone()
            elif uid:
                user = con.execute("SELECT * FROM users WHERE id = ?", (uid,)).fetchone()
            else:
                raise bad_credentials()
            kind = "admin"
            scopes = row["scopes"]
        elif ukey:
            row = con.execute(
                "SELECT * FROM api_keys WHERE key = ? AND kind = 'user' AND revoked_at IS NULL", (ukey,)
            ).fetchone()
            if row is None:
                raise bad_credentials()
            user = con.execute("SELECT * FROM users WHERE id = ?", (row["user_id"],)).fetchone()
            kind = "user"
            scopes = row["scopes"]
            key = ukey
        else:
            return None
        if (
            user is None
            or user["deleted_at"] is not None
            or not user["active"]
            or (user["suspended_till"] and user["suspended_till"] > now_iso())
        ):
            raise bad_credentials()
        ctx.user = dict(user)
        ctx.key_kind = kind
        ctx.scopes = scopes or "global"
        if (
            kind == "user"
            and ctx.method not in ("GET", "HEAD")
            and "write" not in ctx.scopes.split(",")
            and not (ctx.path.startswith("/solution/") and "solved:answer" in ctx.scopes)
            and not ctx.path.startswith("/message-bus/")  # a read: its scope decides what it sees
        ):
            raise error(403, "You are not permitted to view the requested resource.", "invalid_access")
        return key

    # -- dispatch
    def dispatch(self, ctx: Ctx) -> tuple[Any, bool]:
        """Route and run a request; returns (JSON value, was_write)."""
        path = ctx.path
        matched_path = False
        for method, regex, fn, is_write in ROUTES:
            m = regex.match(path)
            if not m:
                continue
            matched_path = True
            if method != ctx.method and not (ctx.method == "HEAD" and method == "GET"):
                continue
            if path.startswith("/admin/") and not path.startswith("/admin/plugins/"):
                _admin_constraint(ctx)
            con = self.connection()
            if is_write:
                with self.write_lock:
                    try:
                        out = fn(self, con, ctx, **m.groupdict())
                        con.commit()
                        self.message_bus.observe(con)
                    except HttpError as exc:
                        if 300 <= exc.status < 400 or exc.status == 200:
                            con.commit()
                        else:
                            con.rollback()
                        raise
                    except BaseException:
                        con.rollback()
                        raise
                return out, True
            if con.in_transaction:
                con.rollback()
            return fn(self, con, ctx, **m.groupdict()), False
        if matched_path:
            raise not_found()
        raise not_found()


# ---------------------------------------------------------------- HTTP handler


def _parse_body(headers: Any, raw: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    ctype = (headers.get("Content-Type") or "").lower()
    if not raw:
        return {}, {}
    if "application/json" in ctype:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise error(400, "The request body is not valid JSON.", "invalid_parameters") from None
        if not isinstance(data, dict):
            raise error(400, "The request body must be a JSON object.", "invalid_parameters")
        return data, {}
    if "multipart/form-data" in ctype:
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + headers.get("Content-Type").encode() + b"\r\n\r\n" + raw
        )
        if not msg.is_multipart():
            raise error(400, "Malformed multipart body.", "invalid_parameters")
        fields: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not name:
                continue
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                payload = b""
            if part.get_filename():
                files[str(name)] = payload
            else:
                fields[str(name)] = payload.decode("utf-8", "replace")
        return fields, files
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise error(400, "The request body is not valid UTF-8.", "invalid_parameters") from None
    parsed = parse_qs(text, keep_blank_values=True, strict_parsing=False)
    if text.strip() and not parsed and "=" not in text:
        raise error(400, "Malformed request body.", "invalid_parameters")
    body: dict[str, Any] = {}
    for k, v in parsed.items():
        body[k] = v if k.endswith("[]") or len(v) > 1 else v[0]
    return body, {}


GZIP_MIN_BYTES = 1024
"""Bodies shorter than this go out as they are (compressing them saves nothing worth the CPU)."""


def _accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header admits gzip (``gzip;q=0`` refuses it)."""
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().lower()
            if not q.startswith("q="):
                return True
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False
    return False


class _RequestHandler(DemoRequestHandler[DemoServer]):
    server_version = "demo-discourse/1.0"
    secret_params = ("api_key", "user_api_key")  # left out of the request log

    def _send(self, ans: Answer, *, head: bool = False) -> None:
        body, headers = ans.body, dict(ans.headers)
        if len(body) >= GZIP_MIN_BYTES and _accepts_gzip(self.headers.get("Accept-Encoding")):
            # Discourse's nginx compresses JSON for clients that ask (gzip_min_length, level 1–5);
            # answering uncompressed made the demo's "bytes received" figures several times too high
            body = gzip.compress(body, compresslevel=1, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self.send_response(ans.status)
        self.send_header("Content-Type", ans.content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    @staticmethod
    def _answer(value: Any, status: int = 200) -> Answer:
        return Answer(status, json_bytes(value))

    @staticmethod
    def _error_answer(exc: HttpError) -> Answer:
        if isinstance(exc.body, str | bytes):
            body = exc.body.encode() if isinstance(exc.body, str) else exc.body
        else:
            body = json.dumps(exc.body).encode()
        return Answer(exc.status, body, exc.content_type, dict(exc.headers))

    def _serve(
        self, demo: DemoServer, method: str, path: str, query: str, raw: bytes
    ) -> tuple[Answer, str | None, str | None]:
        headers = {k.lower(): v for k, v in self.headers.items()}
        ctx = Ctx(
            method=method,
            path=path,
            query=parse_qs(query, keep_blank_values=True),
            body={},
            headers=headers,
            xhr=headers.get("x-requested-with", "").lower() == "xmlhttprequest",
        )
        if path.endswith("/") and len(path) > 1:
            ctx.path = path = path.rstrip("/")
        drop: str | None = None
        try:
            fault = demo.pick_fault(method, path)
            if fault is not None:
                if fault.kind == "latency":
                    demo._delay(fault.seconds)
                elif fault.kind == "status":
                    raise error(
                        fault.status,
                        "Internal Server Error" if fault.status >= 500 else "Error",
                        "server_error" if fault.status >= 500 else None,
                    )
                elif fault.kind == "read_only":
                    raise error(503, "The site is in read only mode. Interactions are disabled.", "read_only")
                elif fault.kind == "malformed":
                    return Answer(200, b'{"topic_list": {"topics": [{"id": 1, "title": "trunc'), None, None
                elif fault.kind == "rate_limit":
                    raise demo._limit_error(fault.seconds * demo.clock_speed, "admin_api_key_rate_limit")
                elif fault.kind == "rate_limit_ip":
                    raise demo._ip_limit_error(fault.seconds * demo.clock_speed, "ip_10_secs_limit")
                elif fault.kind == "rate_limit_date":  # Retry-After as an HTTP-date `seconds` ahead
                    raise demo._date_limit_error(fault.seconds)
                elif fault.kind == "echo_headers":  # a gateway that echoes the request in its error body
                    raise _echo_headers_error(fault.status, method, path, self.headers.items())
                elif fault.kind == "drop" and method not in ("GET", "HEAD"):
                    # the connection dies before the write reaches the handler: nothing is applied
                    return Answer(200, b'{"success":"OK","note":"never delivered"}'), None, "drop"
                else:
                    drop = fault.kind
            ip_buckets: list[str] = []
            if demo.limits.enabled:
                ip_buckets = demo.check_ip_limits(self.client_address[0])
            body, files = _parse_body(self.headers, raw)
            ctx.body, ctx.files = body, files
            con = demo.connection()
            key = demo.authenticate(con, ctx)
            ctx.whisperer = core.is_whisperer(con, ctx.user, demo.settings)
            if demo.limits.enabled and key is not None:
                if ctx.key_kind == "admin":
                    for b in ip_buckets:
                        demo._limiter.rollback(b)
                demo.check_key_limits(ctx, key)
            value, _ = demo.dispatch(ctx)
            ans = self._answer(value)
        except HttpError as exc:
            ans = self._error_answer(exc)
        except Exception as exc:  # a bug: answer 500 JSON, never a stack trace, keep serving
            ans = self._answer(
                {"errors": [f"Internal server error ({type(exc).__name__})"], "error_type": "server_error"},
                500,
            )
        if drop == "drop" and ans.status >= 400:
            drop = "drop"
        return ans, (ctx.user["username"] if ctx.user else None), drop

    def _control(self, demo: DemoServer, method: str, path: str, query: str, raw: bytes) -> Answer:
        try:
            import ipaddress

            if not ipaddress.ip_address(self.client_address[0]).is_loopback:
                raise error(403, "control routes are loopback-only", "invalid_access")
            key = self.headers.get("Api-Key")
            admin = demo.credentials.admin
            if key != admin.key:
                raise error(403, "control routes need the demo admin key", "invalid_access")
            body, _ = _parse_body(self.headers, raw)
            value = demo.control(method, path, body, lambda msg: error(400, msg, "invalid_parameters"))
            if value is not None:
                return self._answer(value)
            if path == "/_demo/limits" and method == "PUT":
                preset = body.get("preset")
                if preset == "discourse":
                    lim = RateLimitConfig.discourse_defaults()
                elif preset == "off":
                    lim = RateLimitConfig.off()
                else:
                    try:
                        lim = replace(
                            demo.limits,
                            **{k: v for k, v in body.items() if k in RateLimitConfig.__dataclass_fields__},
                        )
                    except TypeError as exc:
                        raise error(400, str(exc), "invalid_parameters") from None
                demo.set_limits(lim)
                if "clock_speed" in body:
                    demo.set_clock_speed(float(body["clock_speed"]))
                return self._answer({"limits": asdict(demo.limits), "clock_speed": demo.clock_speed})
            if path == "/_demo/data_explorer":
                return self._answer(demo.data_explorer.control(method, body))
            raise not_found()
        except HttpError as exc:
            return self._error_answer(exc)
        except Exception as exc:
            return self._answer({"errors": [f"Internal server error ({type(exc).__name__})"]}, 500)


# ---------------------------------------------------------------- embedding


def start_embedded(size: str = "small", paths: Any = None) -> DemoServer:
    """Start the demo community in-process on a free loopback port (``modconsole --demo``)."""
    from modconsole.paths import Paths

    p = paths or Paths.default()
    db = ensure_db(p.demo_dir / f"{size}.sqlite3", size=size)
    server = DemoServer(db)
    server.start()
    return server


def ensure_db(path: Path, *, size: str = "small", seed: int = 1) -> Path:
    """Generate the community at ``path`` with the generator when it does not exist yet.

    It is generated as of "now" on the one clock (to the minute), so a new demo community is as
    fresh as the console that opens it: its open questions are hours old, not weeks."""
    if not path.exists():
        from modconsole.demo import generator

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        if tmp.exists():
            tmp.unlink()
        now = clock.now().replace(second=0, microsecond=0)
        generator.generate(tmp, size=size, seed=seed, now=now)  # type: ignore[attr-defined,unused-ignore]
        tmp.replace(path)
    return path


__all__ = ["DemoServer", "FaultRule", "RateLimitConfig", "RequestRecord", "ensure_db", "start_embedded"]
