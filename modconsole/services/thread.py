"""One question with its replies, read from the cache for the thread view (Qt-free).

HTML is returned exactly as cached (``cooked``); the view sanitises it with
:func:`modconsole.html.sanitize` before display.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, text

from modconsole.connectors.base import Links
from modconsole.connectors.registry import default_connector
from modconsole.errors import NotFound

__all__ = ["Author", "ThreadPost", "ThreadView", "load_thread", "topic_url"]


@dataclass(frozen=True, slots=True)
class Author:
    user_id: int | None
    username: str
    name: str
    trust_level: int | None
    company: str
    staff: bool
    badges: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ThreadPost:
    post_id: int
    post_number: int
    author: Author
    created_at: str | None
    cooked: str
    accepted: bool
    by_asker: bool


@dataclass(frozen=True)
class ThreadView:
    topic_id: int
    title: str
    slug: str
    category_id: int | None
    category: str
    asker_id: int | None
    created_at: str | None
    solved: bool
    accepts_answers: bool
    posts: tuple[ThreadPost, ...]

    @property
    def accepted_post_ids(self) -> frozenset[int]:
        return frozenset(p.post_id for p in self.posts if p.accepted)


def topic_url(
    site_url: str,
    topic_id: int,
    slug: str = "topic",
    post_number: int | None = None,
    *,
    links: Links | None = None,
) -> str:
    """A topic's address as the site's platform spells it (``links``: the default platform's)."""
    return (links or default_connector().links).permalink(site_url, topic_id, slug, post_number)


def load_thread(
    conn: Connection, topic_id: int, *, max_posts: int = 500, badges_per_author: int = 3
) -> ThreadView:
    t = conn.execute(
        text(
            "SELECT t.id, t.title, t.slug, t.category_id, COALESCE(c.name, ''), "
            "COALESCE(t.user_id, (SELECT user_id FROM posts WHERE topic_id = t.id AND post_number = 1)), "
            "t.created_at, t.has_accepted_answer, t.accepted_post_id, COALESCE(c.accepts_answers, 1) "
            "FROM topics t LEFT JOIN categories c ON c.id = t.category_id WHERE t.id = :id"
        ),
        {"id": topic_id},
    ).first()
    if t is None:
        raise NotFound("This question is not in the local cache (it may have been deleted).", route="cache")
    posts = conn.execute(
        text(
            "SELECT p.id, p.post_number, p.user_id, COALESCE(u.username, p.username, 'deleted'), "
            "COALESCE(u.name, ''), u.trust_level, COALESCE(co.name, ''), "
            "COALESCE(u.admin, 0) OR COALESCE(u.moderator, 0), "
            "p.created_at, COALESCE(p.cooked, ''), p.accepted_answer, "
            "EXISTS (SELECT 1 FROM solutions s WHERE s.post_id = p.id AND s.gone_since IS NULL) "
            "FROM posts p LEFT JOIN users u ON u.id = p.user_id "
            "LEFT JOIN companies co ON co.id = u.company_id "
            "WHERE p.topic_id = :id AND p.deleted_at IS NULL AND p.gone_since IS NULL "
            "AND p.post_type IN (1, 4) "
            "ORDER BY p.post_number LIMIT :n"
        ),
        {"id": topic_id, "n": max_posts},
    ).all()
    user_ids = sorted({int(r[2]) for r in posts if r[2] is not None})
    badges: dict[int, list[str]] = {}
    if user_ids:
        # Each author's rarest badges first (gold, then silver, then bronze).
        for uid, name in conn.execute(
            text(
                "SELECT ub.user_id, b.name FROM user_badges ub JOIN badges b ON b.id = ub.badge_id "
                "WHERE ub.user_id IN (SELECT value FROM json_each(:ids)) AND ub.gone_since IS NULL "
                "GROUP BY ub.user_id, b.id ORDER BY ub.user_id, COALESCE(b.badge_type_id, 9), b.name"
            ),
            {"ids": json.dumps(user_ids)},
        ):
            lst = badges.setdefault(int(uid), [])
            if len(lst) < badges_per_author:
                lst.append(str(name))
    asker = t[5]
    accepted_post_id = t[8]
    out: list[ThreadPost] = []
    for r in posts:
        uid = int(r[2]) if r[2] is not None else None
        author = Author(
            user_id=uid,
            username=str(r[3]),
            name=str(r[4]),
            trust_level=int(r[5]) if r[5] is not None else None,
            company=str(r[6]),
            staff=bool(r[7]),
            badges=tuple(badges.get(uid, ())) if uid is not None else (),
        )
        accepted = bool(r[10]) or bool(r[11]) or (accepted_post_id is not None and r[0] == accepted_post_id)
        out.append(
            ThreadPost(
                post_id=int(r[0]),
                post_number=int(r[1]),
                author=author,
                created_at=r[8],
                cooked=str(r[9]),
                accepted=accepted,
                by_asker=uid is not None and uid == asker,
            )
        )
    return ThreadView(
        topic_id=int(t[0]),
        title=str(t[1] or "(untitled)"),
        slug=str(t[2] or "topic"),
        category_id=t[3],
        category=str(t[4]),
        asker_id=int(asker) if asker is not None else None,
        created_at=t[6],
        solved=bool(t[7]),
        accepts_answers=bool(t[9]),
        posts=tuple(out),
    )
