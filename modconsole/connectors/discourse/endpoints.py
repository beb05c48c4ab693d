"""Every Discourse route the console uses, one function each (Picard's ``api_helpers``).

This module is **the only place a Discourse URL is spelled** (``tests/core/test_layers.py``
fails on a route literal anywhere else in ``modconsole/``). A function names one endpoint — one
method on one path — and returns a :class:`Route`; callers keep their own parameters, transport
(:class:`~modconsole.api.client.ApiClient`) and parsing. Path segments that come from people
(usernames, group names, report types) are quoted here.

Every function is used somewhere in ``modconsole/`` (a test checks that too): an endpoint nothing
calls is removed, not kept "for later".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from modconsole.api.client import Params


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint: an HTTP method and a path below the site's base URL."""

    method: str
    path: str

    @property
    def label(self) -> str:
        """``"GET /t/1.json"``: how errors and the outbox log name the call."""
        return f"{self.method} {self.path}"

    def __str__(self) -> str:
        return self.path


def _q(segment: str) -> str:
    return quote(str(segment), safe="")


# ---------------------------------------------------------------- session, site


def session_current() -> Route:
    """Who the credentials act as (``current_user``); CONTRACT §2."""
    return Route("GET", "/session/current.json")


def site() -> Route:
    """Categories the caller can see, groups, user fields."""
    return Route("GET", "/site.json")


def categories() -> Route:
    return Route("GET", "/categories.json")


def search() -> Route:
    return Route("GET", "/search.json")


# ---------------------------------------------------------------- topic lists and topics


def latest() -> Route:
    """The topic list (``order``, ``ascending``, ``status`` as parameters)."""
    return Route("GET", "/latest.json")


def filter_topics() -> Route:
    """``/filter.json?q=…`` (newer cores)."""
    return Route("GET", "/filter.json")


def category_latest(slug: str, category_id: int) -> Route:
    """The latest list of one category (the nomination category of the superuser programme)."""
    return Route("GET", f"/c/{slug}/{int(category_id)}/l/latest.json")


def topic(topic_id: int) -> Route:
    """The topic view: the topic, its first posts and the whole post id ``stream``."""
    return Route("GET", f"/t/{int(topic_id)}.json")


def topic_posts(topic_id: int) -> Route:
    """Posts of a topic by id (``post_ids[]``, at most 100 per call)."""
    return Route("GET", f"/t/{int(topic_id)}/posts.json")


def topic_status(topic_id: int) -> Route:
    """Close/open (archive, pin …) a topic."""
    return Route("PUT", f"/t/{int(topic_id)}/status.json")


def topic_link(site_url: str, topic_id: int, slug: str | None = None, post_number: int | None = None) -> str:
    """The address of a topic (or one of its posts) in a browser."""
    url = f"{site_url.rstrip('/')}/t/{slug or 'topic'}/{int(topic_id)}"
    return f"{url}/{int(post_number)}" if post_number else url


_TOPIC_LINK_PATH = re.compile(r"^/t/(?:[^/]+/)?(\d+)(?:/(\d+))?/?$")


def topic_link_path(path: str) -> re.Match[str] | None:
    """A topic link's path (below the site) read back: group 1 the topic id, group 2 the post
    number when the link names one."""
    return _TOPIC_LINK_PATH.match(path)


# ---------------------------------------------------------------- posts


def latest_posts() -> Route:
    """The newest posts site-wide, 50 per call (``before=`` pages on)."""
    return Route("GET", "/posts.json")


def create_post() -> Route:
    """A new topic (with ``title``) or a reply (with ``topic_id``)."""
    return Route("POST", "/posts.json")


def post(post_id: int) -> Route:
    return Route("GET", f"/posts/{int(post_id)}.json")


def post_action() -> Route:
    """Like (``post_action_type_id=2``) and the other post actions."""
    return Route("POST", "/post_actions.json")


# ---------------------------------------------------------------- discourse-solved


def solution_accept() -> Route:
    return Route("POST", "/solution/accept.json")


def solution_unaccept() -> Route:
    return Route("POST", "/solution/unaccept.json")


# ---------------------------------------------------------------- users


def user(username: str) -> Route:
    """A member's public profile (with ``user_badges`` side-loaded)."""
    return Route("GET", f"/u/{_q(username)}.json")


def user_summary(username: str) -> Route:
    return Route("GET", f"/u/{_q(username)}/summary.json")


def user_emails(username: str) -> Route:
    return Route("GET", f"/u/{_q(username)}/emails.json")


def admin_user(user_id: int) -> Route:
    return Route("GET", f"/admin/users/{int(user_id)}.json")


def admin_user_list(flag: str) -> Route:
    """Staff's user list (``new``, ``active``, ``suspended``, ``silenced`` …), 100 per page."""
    return Route("GET", f"/admin/users/list/{_q(flag)}.json")


def set_trust_level(user_id: int) -> Route:
    return Route("PUT", f"/admin/users/{int(user_id)}/trust_level.json")


def directory_items() -> Route:
    return Route("GET", "/directory_items.json")


def user_api_key_link(site_url: str, params: Params) -> str:
    """Where a member authorises a user API key in the browser."""
    return f"{site_url}/user-api-key/new?{urlencode(dict(params))}"


# ---------------------------------------------------------------- badges


def badges() -> Route:
    """Enabled, listable badges (public)."""
    return Route("GET", "/badges.json")


def admin_badges() -> Route:
    """Every badge with ``manually_grantable`` and the query flags (admins)."""
    return Route("GET", "/admin/badges.json")


def member_badges(username: str) -> Route:
    """One member's grants plus the side-loaded badges."""
    return Route("GET", f"/user-badges/{_q(username)}.json")


def badge_grants() -> Route:
    """Grants of a badge (``badge_id``, ``offset``, optional ``username``), newest first."""
    return Route("GET", "/user_badges.json")


def grant_badge() -> Route:
    return Route("POST", "/user_badges.json")


def revoke_badge(user_badge_id: int) -> Route:
    return Route("DELETE", f"/user_badges/{int(user_badge_id)}.json")


# ---------------------------------------------------------------- groups


def group(name: str) -> Route:
    return Route("GET", f"/groups/{_q(name)}.json")


def group_members(name: str) -> Route:
    """Members of a group by name (``offset``, ``limit``)."""
    return Route("GET", f"/groups/{_q(name)}/members.json")


def add_group_members(group_id: int) -> Route:
    return Route("PUT", f"/groups/{int(group_id)}/members.json")


def remove_group_members(group_id: int) -> Route:
    return Route("DELETE", f"/groups/{int(group_id)}/members.json")


# ---------------------------------------------------------------- admin reports


def report(report_type: str) -> Route:
    """One admin report series (``start_date``, ``end_date`` and filters as parameters)."""
    return Route("GET", f"/admin/reports/{_q(report_type)}.json")


# ---------------------------------------------------------------- review queue (CONTRACT-ADDITIONS §A2)


def review_list() -> Route:
    return Route("GET", "/review.json")


def review_item(reviewable_id: int) -> Route:
    return Route("GET", f"/review/{int(reviewable_id)}.json")


def review_count() -> Route:
    """Pending items the caller may review: ``{"count": N}`` (§A2; the live counts' first read)."""
    return Route("GET", "/review/count.json")


def review_perform(reviewable_id: int, action: str) -> Route:
    """Perform an action on a reviewable (the ``version`` lock travels as data)."""
    return Route("PUT", f"/review/{int(reviewable_id)}/perform/{_q(action)}.json")


def claim_topic() -> Route:
    return Route("POST", "/reviewable_claimed_topics.json")


def unclaim_topic(topic_id: int) -> Route:
    return Route("DELETE", f"/reviewable_claimed_topics/{int(topic_id)}.json")


# ---------------------------------------------------------------- Assign (CONTRACT-ADDITIONS §A3)


def assign() -> Route:
    """Assign a target (``target_id``, ``target_type``) to ``username`` or ``group_name``."""
    return Route("PUT", "/assign/assign.json")


def unassign() -> Route:
    return Route("PUT", "/assign/unassign.json")


# ---------------------------------------------------------------- User Notes (CONTRACT-ADDITIONS §A4.4)


def user_notes() -> Route:
    """A member's staff notes (``GET``, ``?user_id=N``); 404 when the plugin is off."""
    return Route("GET", "/user_notes.json")


def create_user_note() -> Route:
    """Add a note (``user_note[user_id]``, ``user_note[raw]``); not idempotent."""
    return Route("POST", "/user_notes.json")


def delete_user_note(note_id: str, user_id: int) -> Route:
    """Delete a note; succeeds for an unknown note id too."""
    return Route("DELETE", f"/user_notes/{_q(note_id)}.json?{urlencode({'user_id': int(user_id)})}")


# ---------------------------------------------------------------- Data Explorer (the bulk mirror)

_EXPLORER = "/admin/plugins/discourse-data-explorer"


def explorer_queries() -> Route:
    """The admin's list of saved queries (``filter``, ``offset``)."""
    return Route("GET", f"{_EXPLORER}/queries.json")


def explorer_create_query() -> Route:
    return Route("POST", f"{_EXPLORER}/queries.json")


def explorer_query(query_id: int) -> Route:
    return Route("GET", f"{_EXPLORER}/queries/{int(query_id)}.json")


def explorer_update_query(query_id: int) -> Route:
    return Route("PUT", f"{_EXPLORER}/queries/{int(query_id)}.json")


def explorer_schema() -> Route:
    """The database schema (404: the plugin is off)."""
    return Route("GET", f"{_EXPLORER}/schema.json")


def explorer_groups() -> Route:
    return Route("GET", f"{_EXPLORER}/groups.json")


def explorer_run(query_id: int) -> Route:
    """Run a query as an admin."""
    return Route("POST", f"{_EXPLORER}/queries/{int(query_id)}/run.json")


def explorer_run_read_only(query_id: int) -> Route:
    """Run a shared query by GET (newest cores; a user API key with the ``read`` scope)."""
    return Route("GET", f"/data-explorer/queries/{int(query_id)}/run.json")


def group_reports(group_name: str) -> Route:
    """The queries shared with a group."""
    return Route("GET", f"/g/{_q(group_name)}/reports.json")


def group_report_run(group_name: str, query_id: int) -> Route:
    """Run a query shared with a group."""
    return Route("POST", f"/g/{_q(group_name)}/reports/{int(query_id)}/run.json")


# ---------------------------------------------------------------- MessageBus (CONTRACT-ADDITIONS §A5)


def message_bus_poll(client_id: str) -> Route:
    """One poll of the live-update channels (form: ``<channel>=<last id>``; ``?dlp=t``: no long poll)."""
    return Route("POST", f"/message-bus/{_q(client_id)}/poll")
