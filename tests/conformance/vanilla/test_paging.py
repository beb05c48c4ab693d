"""Paging (CONTRACT §3.4): ``Link`` with first/prev/next/last, the same URLs as ``x-app-page-*``; pages can
be short or empty while ``next`` is offered; a sort on the key turns ``next`` into a key range."""

from __future__ import annotations

from typing import Any

from tests.conformance.vanilla.conftest import Site


def _walk(
    site: Site, who: dict[str, str], path: str, params: dict[str, Any], key: str = "discussionID"
) -> tuple[list[int], list[int]]:
    """(ids over every page following ``next``, the row count of each page)."""
    ids: list[int] = []
    sizes: list[int] = []
    url: str | None = path
    p: dict[str, Any] | None = params
    while url:
        r = site.get(url, who, params=p)
        assert r.status_code == 200, r.text
        rows = r.json()
        sizes.append(len(rows))
        ids += [row[key] for row in rows]
        nxt = r.links.get("next", {}).get("url")
        assert nxt == r.headers.get("x-app-page-next-url")
        url, p = (nxt.replace(site.server.base_url + "/api/v2", ""), None) if nxt else (None, None)
        assert len(sizes) < 500
    return ids, sizes


def test_link_headers_of_a_numbered_page(site: Site) -> None:
    r = site.get("/discussions", site.moderator, params={"page": 2, "limit": 10})
    assert set(r.links) == {"first", "prev", "next", "last"}
    total = int(r.headers["x-app-page-result-count"])
    assert r.links["last"]["url"].endswith(f"page={-(-total // 10)}&limit=10")
    assert r.headers["x-app-page-current"] == "2" and r.headers["x-app-page-limit"] == "10"
    last = site.get(r.links["last"]["url"].replace(site.server.base_url + "/api/v2", ""), site.moderator)
    assert "next" not in last.links


def test_following_next_reads_every_discussion_once(site: Site) -> None:
    ids, _ = _walk(site, site.moderator, "/discussions", {"limit": 25, "sort": "dateInserted"})
    n = int(site.rows("SELECT COUNT(*) FROM topics WHERE deleted_at IS NULL")[0][0])
    assert len(ids) == len(set(ids)) == n


def test_a_members_pages_are_short_but_next_goes_on(site: Site) -> None:
    """Rows of the staff-only category are cut from a member's pages after paging."""
    ids, sizes = _walk(site, site.member, "/discussions", {"limit": 5, "sort": "discussionID"})
    public = int(
        site.rows(
            "SELECT COUNT(*) FROM topics t JOIN categories c ON c.id = t.category_id "
            "WHERE t.deleted_at IS NULL AND c.read_restricted = 0"
        )[0][0]
    )
    assert len(ids) == public
    assert any(0 < s < 5 for s in sizes[:-1]) or 0 in sizes[:-1]


def test_an_empty_page_while_more_rows_exist(site: Site) -> None:
    fid = site.control("POST", "faults", {"spec": "empty_page:GET:/api/v2/comments:count=1"})["id"]
    try:
        r = site.get("/comments", site.moderator, params={"limit": 10})
        assert r.json() == []
        assert "next" in r.links
    finally:
        site.control("DELETE", f"faults/{fid}")
    assert len(site.get("/comments", site.moderator, params={"limit": 10}).json()) == 10


def test_sorting_by_the_key_pages_by_key_range(site: Site) -> None:
    r = site.get("/comments", site.moderator, params={"sort": "commentID", "limit": 50})
    rows = r.json()
    nxt = r.links["next"]["url"]
    assert f"commentID={rows[-1]['commentID'] + 1}.." in nxt.replace("%2E", ".")
    assert "page=1" in nxt and "prev" not in r.links
    ids, _ = _walk(site, site.moderator, "/comments", {"sort": "-commentID", "limit": 100}, "commentID")
    assert ids == sorted(ids, reverse=True)
    n = int(
        site.rows(
            "SELECT COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id WHERE p.post_number > 1 "
            "AND p.post_type = 1 AND p.deleted_at IS NULL AND t.deleted_at IS NULL"
        )[0][0]
    )
    assert len(ids) == len(set(ids)) == n
    users, _ = _walk(site, site.moderator, "/users", {"sort": "userID", "limit": 7}, "userID")
    assert users == sorted(users) and len(users) == int(
        site.rows("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL")[0][0]
    )


def test_incremental_filters_by_date(site: Site) -> None:
    r = site.get(
        "/comments",
        site.moderator,
        params={"dateInserted": ">=2026-10-25", "sort": "commentID", "limit": 100},
    )
    assert r.status_code == 200
    assert all(c["dateInserted"] >= "2026-10-25" for c in r.json())
    assert r.json()


def test_pin_order_first_puts_announcements_before_a_full_page(site: Site) -> None:
    """The trap the contract warns about (§3.1, §9): with pinOrder=first page 1 holds more than `limit`."""
    n_pinned = int(
        site.rows(
            "SELECT COUNT(*) FROM topics WHERE deleted_at IS NULL AND (pinned = 1 OR pinned_globally = 1)"
        )[0][0]
    )
    assert n_pinned > 0
    first = site.get("/discussions", site.moderator, params={"pinOrder": "first", "limit": 10}).json()
    assert len(first) == 10 + n_pinned
    assert all(d["pinned"] for d in first[:n_pinned])
    mixed = site.get("/discussions", site.moderator, params={"pinOrder": "mixed", "limit": 10}).json()
    assert len(mixed) == 10
    r = site.get("/discussions", site.moderator, params={"limit": 501})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "limit"
