"""The demo community's Assign (CONTRACT-ADDITIONS §A3) over real HTTP: assign / unassign with
their error bodies, tracking posts that do not bump, who may assign, the fields in topic lists and
the topic view, and the assigned filters and list routes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from modconsole.demo.server import DemoServer
from tests.core.outbox_support import demo_rows
from tests.helpers.waits import WAIT_S

pytestmark = pytest.mark.integration


def _call(server: DemoServer, role: str, method: str, path: str, **kw: Any) -> httpx.Response:
    headers = getattr(server.credentials, role).headers()
    with httpx.Client(base_url=server.base_url, timeout=WAIT_S) as c:
        return c.request(method, path, headers=headers, **kw)


def _topic(server: DemoServer) -> int:
    return int(
        demo_rows(
            server,
            "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id WHERE t.deleted_at IS NULL "
            "AND c.read_restricted = 0 AND t.archetype = 'regular' ORDER BY t.id LIMIT 1",
        )[0][0]
    )


def _assign(server: DemoServer, topic: int, role: str = "moderator", **who: str) -> httpx.Response:
    data = {"target_id": str(topic), "target_type": "Topic", **who}
    return _call(server, role, "PUT", "/assign/assign.json", data=data)


def test_assign_then_repeat_is_a_400_string_and_one_tracking_post(demo_server: DemoServer) -> None:
    topic = _topic(demo_server)
    me = demo_server.credentials.moderator.username
    bumped = demo_rows(demo_server, "SELECT bumped_at FROM topics WHERE id = ?", topic)
    r = _assign(demo_server, topic, username=me)
    assert r.status_code == 200 and r.json() == {"success": "OK"}
    again = _assign(demo_server, topic, username=me)
    assert again.status_code == 400 and again.json() == {"error": f"Topic is already assigned to @{me}"}
    posts = demo_rows(
        demo_server,
        "SELECT post_type, action_code FROM posts WHERE topic_id = ? AND action_code IS NOT NULL",
        topic,
    )
    assert posts == [(4, "assigned")]  # a whisper (assigns_public is off), written once
    assert demo_rows(demo_server, "SELECT bumped_at FROM topics WHERE id = ?", topic) == bumped
    view = _call(demo_server, "moderator", "GET", f"/t/{topic}.json").json()
    assert view["assigned_to_user"]["username"] == me and view["can_assign"] is True
    # a member may not see it, nor assign
    member = _call(demo_server, "member", "GET", f"/t/{topic}.json").json()
    assert "assigned_to_user" not in member
    assert _assign(demo_server, topic, "member", username=me).status_code == 403


def test_reassign_note_change_group_and_unassign(demo_server: DemoServer) -> None:
    topic = _topic(demo_server)
    creds = demo_server.credentials
    assert _assign(demo_server, topic, username=creds.moderator.username).status_code == 200
    assert _assign(demo_server, topic, username=creds.moderator2.username).status_code == 200
    r = _assign(demo_server, topic, username=creds.moderator2.username, note="customer call at 3")
    assert r.status_code == 200
    assert _assign(demo_server, topic, group_name="employees").status_code == 200
    view = _call(demo_server, "moderator", "GET", f"/t/{topic}.json").json()
    assert "assigned_to_user" not in view and view["assigned_to_group"]["name"] == "employees"
    for _ in range(2):  # idempotent
        r = _call(
            demo_server,
            "moderator",
            "PUT",
            "/assign/unassign.json",
            data={"target_id": topic, "target_type": "Topic"},
        )
        assert r.status_code == 200 and r.json() == {"success": "OK"}
    codes = [
        c
        for (c,) in demo_rows(
            demo_server,
            "SELECT action_code FROM posts WHERE topic_id = ? AND action_code IS NOT NULL ORDER BY id",
            topic,
        )
    ]
    assert codes == ["assigned", "reassigned", "note_change", "reassigned_group", "unassigned_group"]


def test_refusals_and_their_bodies(demo_server: DemoServer) -> None:
    topic = _topic(demo_server)
    member = demo_server.credentials.member.username
    r = _assign(demo_server, topic, username=member)
    assert r.status_code == 400
    assert r.json() == {
        "error": f"@{member} can't be assigned since they don't belong to assigned allowed groups."
    }
    r = _assign(demo_server, topic)
    assert r.status_code == 400 and r.json()["error_type"] == "invalid_parameters"
    assert _assign(demo_server, topic, username="nobody_like_this").status_code == 404
    r = _call(
        demo_server,
        "moderator",
        "PUT",
        "/assign/assign.json",
        data={"target_id": 99999999, "target_type": "Topic", "username": member},
    )
    assert r.status_code == 404
    # max_assigned_topics: assigning others counts; assigning yourself is exempt
    demo_server.set_setting("max_assigned_topics", 1)
    other = demo_server.credentials.moderator2.username
    ids = [
        int(i)
        for (i,) in demo_rows(
            demo_server, "SELECT id FROM topics WHERE deleted_at IS NULL ORDER BY id LIMIT 3"
        )
    ]
    assert _assign(demo_server, ids[0], username=other).status_code == 200
    r = _assign(demo_server, ids[1], username=other)
    assert r.status_code == 400
    assert r.json() == {"error": f"@{other} has already reached the maximum number of assigned topics (1)."}
    assert _assign(demo_server, ids[1], "moderator2", username=other).status_code == 200
    # the plugin switched off: every /assign route is a 404 and lists carry nothing
    demo_server.set_setting("assign_enabled", False)
    assert _assign(demo_server, ids[2], username=other).status_code == 404
    latest = _call(demo_server, "moderator", "GET", "/latest.json", params={"per_page": 100}).json()
    assert not any("assigned_to_user" in t for t in latest["topic_list"]["topics"])


def test_lists_filters_and_routes(demo_server: DemoServer) -> None:
    creds = demo_server.credentials
    ids = [
        int(i)
        for (i,) in demo_rows(
            demo_server,
            "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id WHERE t.deleted_at IS NULL "
            "AND c.read_restricted = 0 AND t.archetype = 'regular' ORDER BY t.id LIMIT 3",
        )
    ]
    assert _assign(demo_server, ids[0], username=creds.moderator.username).status_code == 200
    assert _assign(demo_server, ids[1], group_name="employees").status_code == 200
    me = creds.moderator.username
    listed = _call(
        demo_server, "moderator", "GET", "/latest.json", params={"assigned": "*", "per_page": 100}
    ).json()
    items = listed["topic_list"]["topics"]
    assert sorted(t["id"] for t in items) == ids[:2]
    mine = next(t for t in items if t["id"] == ids[0])
    assert mine["assigned_to_user"]["username"] == me and "assigned_to_group" not in mine
    grp = next(t for t in items if t["id"] == ids[1])
    assert grp["assigned_to_group"]["name"] == "employees"
    me_list = _call(demo_server, "moderator", "GET", "/latest.json", params={"assigned": "me"}).json()
    assert [t["id"] for t in me_list["topic_list"]["topics"]] == [ids[0]]
    nobody = _call(
        demo_server, "moderator", "GET", "/latest.json", params={"assigned": "nobody", "per_page": 100}
    ).json()
    assert not {t["id"] for t in nobody["topic_list"]["topics"]} & set(ids[:2])
    filt = _call(demo_server, "moderator", "GET", "/filter.json", params={"q": "assigned:employees"}).json()
    assert [t["id"] for t in filt["topic_list"]["topics"]] == [ids[1]]
    r = _call(
        demo_server, "moderator", "GET", f"/topics/messages-assigned/{me}.json", params={"direct": "true"}
    )
    assert r.status_code == 200 and [t["id"] for t in r.json()["topic_list"]["topics"]] == [ids[0]]
    r = _call(demo_server, "moderator", "GET", f"/topics/messages-assigned/{me}.json")  # and their groups'
    in_group = demo_rows(
        demo_server,
        "SELECT 1 FROM group_users gu JOIN groups g ON g.id = gu.group_id JOIN users u ON u.id = gu.user_id "
        "WHERE g.name = 'employees' AND u.username = ?",
        me,
    )
    assert sorted(t["id"] for t in r.json()["topic_list"]["topics"]) == (ids[:2] if in_group else [ids[0]])
    r = _call(
        demo_server,
        "moderator",
        "GET",
        "/topics/group-topics-assigned/employees.json",
        params={"direct": "true"},
    )
    assert [t["id"] for t in r.json()["topic_list"]["topics"]] == [ids[1]]
    found = _call(demo_server, "moderator", "GET", "/search.json", params={"q": "in:assigned"}).json()
    assert {p["topic_id"] for p in found["posts"]} == set(ids[:2])
    found = _call(demo_server, "moderator", "GET", "/search.json", params={"q": f"assigned:{me}"}).json()
    assert {p["topic_id"] for p in found["posts"]} == {ids[0]}
    # a member may not filter by assignment: the filter is ignored, the list is the usual one
    plain = _call(
        demo_server, "member", "GET", "/latest.json", params={"assigned": "*", "per_page": 100}
    ).json()
    assert len(plain["topic_list"]["topics"]) > 2
    assert _call(demo_server, "member", "GET", f"/topics/messages-assigned/{me}.json").status_code == 403
