"""Stages over the forum's content: categories, discussions, comments and their answer statuses.

Requests (CONTRACT §3): a full pass walks ``/discussions?sort=discussionID`` and
``/comments?sort=commentID`` with cursor paging (stable under inserts, no deep offsets), 100 rows a
page, ``pinOrder=mixed`` and ``quoteParent=false``; answer statuses come with the comments, so the
accepted set of every question costs nothing extra. An incremental run reads the discussions whose
``dateLastComment`` moved, the comments tail by ``dateInserted`` (new comments of *sunk*
discussions too, whose ``dateLastComment`` is frozen), and one page that fingerprints the accepted
answers (:class:`AnswersStage`): an accept or unaccept bumps nothing on Vanilla."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, text

from modconsole.cache import repo
from modconsole.connectors.vanilla import endpoints as ep
from modconsole.connectors.vanilla import parse
from modconsole.connectors.vanilla.sync import rows
from modconsole.connectors.vanilla.sync.base import PAGE, VStage, chunks, csv


def usernames(conn: Connection, ids: Iterable[int | None]) -> dict[int, str]:
    want = sorted({int(i) for i in ids if i})
    if not want:
        return {}
    return {
        int(r[0]): str(r[1])
        for r in conn.execute(
            text("SELECT id, username FROM users WHERE id IN (SELECT value FROM json_each(:ids))"),
            {"ids": json.dumps(want)},
        )
    }


class CategoriesStage(VStage):
    """``GET /categories?outputFormat=flat`` (≤ 100 a page): every category, unseen ones gone."""

    def sync(self) -> None:
        pass_id = self.pass_mark("categories")

        def apply(conn: Connection, page: tuple[parse.Category, ...], last: bool) -> None:
            self.changed("categories", repo.upsert_categories(conn, [rows.category_row(c) for c in page]))
            repo.mark_seen(conn, "categories", [c.category_id for c in page], pass_id)
            if last:
                self.changed("categories", repo.mark_unseen_gone(conn, "categories", pass_id, self.now()))

        self.walk(
            "categories", ep.categories(), {"outputFormat": "flat", "limit": PAGE}, parse.categories, apply
        )


class DiscussionsStage(VStage):
    """Discussions (questions among them) → topics and their opening posts."""

    EXPAND = "reactions,acceptedAnswers"

    def full(self, pass_id: str) -> None:
        params = {
            "sort": "discussionID",
            "limit": PAGE,
            "expand": self.EXPAND,
            **ep.discussion_sync_params(),
        }
        with self.cache.read() as conn:  # what the categories count, for the progress reports
            total = conn.execute(
                text("SELECT sum(topic_count) FROM categories WHERE gone_since IS NULL")
            ).scalar()
        self.walk(
            "discussions",
            ep.discussions(),
            params,
            parse.discussions,
            lambda conn, page, _last: self.write_in(conn, page, pass_id),
            total=int(total) if total else None,
        )

    def open_questions(self, pass_id: str) -> None:
        """The queue first: every open question (``status`` unanswered, answered or rejected — the
        classic Unanswered page counts rejected too, CONTRACT §4), with provisional queue fields
        until its comments arrive (:func:`provisional_queue`)."""
        params = {
            "type": "question",
            "status": "unanswered,answered,rejected",
            "sort": "discussionID",
            "limit": PAGE,
            "expand": self.EXPAND,
            **ep.discussion_sync_params(),
        }

        def apply(conn: Connection, page: tuple[parse.Discussion, ...], _last: bool) -> None:
            self.write_in(conn, page, pass_id)
            provisional_queue(conn, page)

        self.walk("queue", ep.discussions(), params, parse.discussions, apply)

    def since(self, watermark: str) -> set[int]:
        """Discussions created or commented on since ``watermark`` (newest first, stops past it)."""
        params = {
            "dateLastComment": f">={watermark}",
            "sort": "-dateLastComment",
            "limit": PAGE,
            "expand": self.EXPAND,
            **ep.discussion_sync_params(),
        }
        seen: set[int] = set()
        for page in self.pages(ep.discussions(), params, parse.discussions):
            self.write(page)
            seen.update(d.discussion_id for d in page)
        return seen

    def edited_since(self, watermark: str) -> set[int]:
        params = {
            "dateUpdated": f">={watermark}",
            "limit": PAGE,
            "expand": self.EXPAND,
            **ep.discussion_sync_params(),
        }
        seen: set[int] = set()
        for page in self.pages(ep.discussions(), params, parse.discussions):
            self.write(page)
            seen.update(d.discussion_id for d in page)
        return seen

    def by_ids(self, ids: Iterable[int]) -> None:
        """Re-read these discussions (a CSV of ids, 100 a request); ids not answered are gone."""
        for part in chunks(ids):
            params = {
                "discussionID": csv(part),
                "limit": PAGE,
                "expand": self.EXPAND,
                **ep.discussion_sync_params(),
            }
            got: set[int] = set()
            for page in self.pages(ep.discussions(), params, parse.discussions):
                self.write(page)
                got.update(d.discussion_id for d in page)
            missing = set(part) - got
            if missing:
                with self.cache.write() as conn:
                    n = conn.execute(
                        text(
                            "UPDATE topics SET gone_since = :now WHERE gone_since IS NULL "
                            "AND id IN (SELECT value FROM json_each(:ids))"
                        ),
                        {"now": self.now(), "ids": json.dumps(sorted(missing))},
                    ).rowcount
                    if n:
                        self.changed("topics", missing)

    def write(self, page: Sequence[parse.Discussion], pass_id: str | None = None) -> None:
        if page:
            with self.cache.write() as conn:
                self.write_in(conn, page, pass_id)

    def write_in(
        self, conn: Connection, page: Sequence[parse.Discussion], pass_id: str | None = None
    ) -> None:
        if not page:
            return
        names = usernames(conn, (d.insert_user_id for d in page))
        changed = repo.upsert_topics(conn, [rows.topic_row(d) for d in page])
        posts = repo.upsert_posts(
            conn, [rows.opening_post_row(d, names.get(d.insert_user_id or 0)) for d in page]
        )
        ids = [d.discussion_id for d in page]
        if pass_id is not None:
            repo.mark_seen(conn, "topics", ids, pass_id)
        conn.execute(
            text("UPDATE topics SET gone_since = NULL WHERE id IN (SELECT value FROM json_each(:ids))"),
            {"ids": json.dumps(ids)},
        )
        touched = changed | {-p for p in posts}
        repo.refresh_fts(conn, topic_ids=changed, post_ids=posts)
        repo.refresh_derived(conn, touched)
        self.changed("topics", touched)
        self.changed("posts", posts)


def provisional_queue(conn: Connection, page: Sequence[parse.Discussion]) -> None:
    """Queue fields from what a question says, for questions whose comments are not cached yet.

    Vanilla's Q&A status tells who replied: ``unanswered`` — nobody but the asker (all
    ``countComments`` are the asker's); ``answered``/``rejected`` — someone else did, first at
    ``dateAnswered``. ``others_replies`` is then 1 (a lower bound), ``last_reply_by_asker`` compares
    ``lastUserID`` with the asker. ``refresh_derived`` replaces them all once the comments are cached.
    """
    params = []
    for d in page:
        if d.question is None:
            continue
        replies = d.count_comments
        answered = d.question.status != "unanswered"
        last = rows.ts(d.date_last_comment) if replies else None
        params.append(
            {
                "id": d.discussion_id,
                "fr": rows.ts(d.question.date_answered or d.date_last_comment) if answered else None,
                "fid": d.last_user_id if answered and d.last_user_id != d.insert_user_id else None,
                "ar": max(0, replies - (1 if answered else 0)),
                "orep": 1 if answered else 0,
                "lra": last,
                "lrba": (d.last_user_id == d.insert_user_id) if replies else None,
            }
        )
    if params:
        conn.execute(
            text(
                "UPDATE topics SET first_response_at = :fr, first_responder_id = :fid, asker_replies = :ar, "
                "others_replies = :orep, last_reply_at = :lra, last_reply_by_asker = :lrba "
                "WHERE id = :id AND NOT EXISTS "
                "(SELECT 1 FROM posts p WHERE p.topic_id = topics.id AND p.id > 0)"
            ),
            params,
        )


class CommentsStage(VStage):
    """Comments → posts, and their answer statuses → the solutions set of each question."""

    EXPAND = "reactions"

    def params(self, **more: Any) -> dict[str, Any]:
        return {"limit": PAGE, "expand": self.EXPAND, **ep.comment_sync_params(), **more}

    def full(self, pass_id: str) -> None:
        with self.cache.read() as conn:
            total = conn.execute(
                text("SELECT sum(reply_count) FROM topics WHERE gone_since IS NULL")
            ).scalar()
        self.walk(
            "comments",
            ep.comments(),
            self.params(sort="commentID"),
            parse.comments,
            lambda conn, page, _last: self.walk_page(conn, page, pass_id),
            total=int(total) if total else None,
        )

    def walk_page(self, conn: Connection, page: Sequence[parse.Comment], pass_id: str) -> None:
        """One page of the full walk (in the page's transaction, with its checkpoint)."""
        self.write_in(conn, page, pass_id, walk=True)

    def tail(self, watermark: str) -> set[int]:
        """New comments since ``watermark`` anywhere (sunk discussions too); returns their discussions."""
        found: set[int] = set()
        for page in self.pages(
            ep.comments(), self.params(sort="commentID", dateInserted=f">={watermark}"), parse.comments
        ):
            self.write(page)
            found.update(c.discussion_id for c in page)
        return found

    def edited_since(self, watermark: str) -> set[int]:
        found: set[int] = set()
        for page in self.pages(
            ep.comments(), self.params(sort="dateUpdated", dateUpdated=f">={watermark}"), parse.comments
        ):
            self.write(page)
            found.update(c.discussion_id for c in page)
        return found

    def write(self, page: Sequence[parse.Comment], pass_id: str | None = None) -> None:
        if page:
            with self.cache.write() as conn:
                self.write_in(conn, page, pass_id)

    def write_in(
        self,
        conn: Connection,
        page: Sequence[parse.Comment],
        pass_id: str | None = None,
        *,
        walk: bool = False,
    ) -> None:
        """One page of comments. ``walk``: a page of the full walk by comment id, where a
        discussion's comments span many pages: the derived fields — queue fields (until then the
        provisional ones stand, :func:`provisional_queue`) and rollups (posts by member and month,
        by day) — are computed once, when the full pass closes (``repo.rebuild_derived`` in the
        engine's ``_gone``, after what went is marked), instead of again for every page that adds
        to a discussion, a month or a day."""
        if not page:
            return
        numbers = self.numbers(conn, page)
        names = usernames(
            conn,
            [c.insert_user_id for c in page] + [c.answer.accept_user_id for c in page if c.answer],
        )
        post_rows = [
            rows.comment_row(c, numbers[c.comment_id], names.get(c.insert_user_id or 0)) for c in page
        ]
        changed = repo.upsert_posts(conn, post_rows)
        if pass_id is not None:
            repo.mark_seen(conn, "posts", [c.comment_id for c in page], pass_id)
        accepted = [c for c in page if c.answer is not None and c.answer.status == "accepted"]
        sol = repo.upsert_solutions(
            conn,
            [
                rows.solution_row(c, numbers[c.comment_id], names.get(c.answer.accept_user_id or 0))
                for c in accepted
                if c.answer is not None
            ],
        )
        accepted_ids = {c.comment_id for c in accepted}
        not_accepted = [c.comment_id for c in page if c.comment_id not in accepted_ids]
        removed = {
            int(r[0])
            for r in conn.execute(
                text(
                    "DELETE FROM solutions WHERE post_id IN (SELECT value FROM json_each(:ids)) "
                    "RETURNING topic_id"
                ),
                {"ids": json.dumps(not_accepted)},
            )
        }
        topics = {c.discussion_id for c in page if c.comment_id in changed or c.comment_id in sol} | removed
        repo.refresh_fts(conn, post_ids=changed)
        if not walk:
            repo.refresh_derived(conn, {c.discussion_id for c in page})
        self.changed("posts", changed)
        self.changed("topics", topics)
        if sol or removed:
            self.flag("kpis", 0)

    @staticmethod
    def numbers(conn: Connection, page: Sequence[parse.Comment]) -> dict[int, int]:
        """Post numbers: 2 + the comment's rank by id among its discussion's comments (cached + page)."""
        by_topic: dict[int, set[int]] = {}
        for c in page:
            by_topic.setdefault(c.discussion_id, set()).add(c.comment_id)
        for tid, cid in conn.execute(
            text(
                "SELECT topic_id, id FROM posts WHERE id > 0 AND gone_since IS NULL "
                "AND topic_id IN (SELECT value FROM json_each(:ids))"
            ),
            {"ids": json.dumps(sorted(by_topic))},
        ):
            by_topic[int(tid)].add(int(cid))
        out: dict[int, int] = {}
        for ids in by_topic.values():
            for n, cid in enumerate(sorted(ids)):
                out[cid] = n + 2
        return out


class AnswersStage(VStage):
    """The accepted answers: one page fingerprints them; when it moved, walk them all.

    The fingerprint is ``/comments?qna=accepted&sort=-dateInserted&limit=1``: the count the pager
    reports and the newest accepted comment. An accept or an unaccept changes the count; only an
    accept and an unaccept between two runs that leave the count and the newest id unchanged go
    unseen until the next full pass (rescan)."""

    RESOURCE = "answers"

    def signal(self) -> str | None:
        items, paging = self.get(
            ep.comments(),
            {"qna": "accepted", "sort": "-dateInserted", "limit": 1, "fields": "commentID"},
            lambda d, r: tuple(
                int(x["commentID"])
                for x in (d if isinstance(d, list) else [])
                if isinstance(x, dict) and isinstance(x.get("commentID"), int)
            ),
        )
        if paging.total is None:
            return None
        return f"{paging.total}:{items[0] if items else 0}"

    def remember(self, value: str | None) -> None:
        self.put_cursor(self.cursor(self.RESOURCE), hw_value=value, last_complete_pass_at=self.now())

    def check(self) -> set[int]:
        """Returns the discussions whose accepted set changed (to be re-read)."""
        value = self.signal()
        cur = self.cursor(self.RESOURCE)
        if value is not None and value == cur.hw_value:
            return set()
        accepted: dict[int, parse.Comment] = {}
        for page in self.pages(
            ep.comments(),
            {"qna": "accepted", "sort": "commentID", "limit": PAGE, **ep.comment_sync_params()},
            parse.comments,
        ):
            accepted.update((c.comment_id, c) for c in page)
        with self.cache.read() as conn:
            cached = {
                int(p): int(t) for p, t in conn.execute(text("SELECT post_id, topic_id FROM solutions"))
            }
        gone = {p for p in cached if p not in accepted}
        new = [c for cid, c in accepted.items() if cid not in cached]
        if new:
            CommentsStage(self.ctx).write(new)
        if gone:
            with self.cache.write() as conn:
                conn.execute(
                    text("DELETE FROM solutions WHERE post_id IN (SELECT value FROM json_each(:ids))"),
                    {"ids": json.dumps(sorted(gone))},
                )
                conn.execute(
                    text(
                        "UPDATE posts SET accepted_answer = 0 WHERE id IN (SELECT value FROM json_each(:ids))"
                    ),
                    {"ids": json.dumps(sorted(gone))},
                )
            self.flag("kpis", 0)
        self.remember(value)
        return {cached[p] for p in gone} | {c.discussion_id for c in new}
