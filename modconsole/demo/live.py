"""Live mode: a background thread that keeps the demo community busy (questions, replies by peers
and employees, likes, accepted answers, signups, badge grants by other staff), written through
the same domain functions as the routes so every counter stays right."""

from __future__ import annotations

import random
import sqlite3
import threading
from typing import TYPE_CHECKING, Any

from modconsole.demo import core

if TYPE_CHECKING:
    from modconsole.demo.server import DemoServer

WORDS = [
    "sync",
    "export",
    "invoice",
    "dashboard",
    "webhook",
    "login",
    "sso",
    "report",
    "api",
    "token",
    "billing",
    "import",
    "chart",
    "alert",
    "permission",
    "role",
    "audit",
    "latency",
    "timeout",
    "upgrade",
    "mobile",
    "schedule",
    "workflow",
    "template",
]


class LiveActivity:
    def __init__(self, server: DemoServer, *, events_per_minute: float, seed: int) -> None:
        self.server = server
        self.interval = 60.0 / max(0.001, events_per_minute)
        self.rng = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-live", daemon=True)
        self.events: list[str] = []

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.rng.expovariate(1.0 / self.interval)):
            try:
                kind = self.server.write(self.step)
                self.events.append(kind)
            except sqlite3.Error:
                continue

    def _pick(self, con: sqlite3.Connection, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        rows = con.execute(sql + " ORDER BY RANDOM() LIMIT 1", args).fetchall()
        return rows[0] if rows else None

    def _text(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n)).capitalize()

    def step(self, con: sqlite3.Connection) -> str:
        kind = self.rng.choices(
            ["question", "reply", "employee_reply", "like", "accept", "signup", "badge"],
            weights=[3, 4, 2, 5, 1, 1, 1],
        )[0]
        member = "deleted_at IS NULL AND active = 1 AND admin = 0 AND moderator = 0"
        if kind == "question":
            u = self._pick(con, f"SELECT id FROM users WHERE {member} AND is_employee = 0")
            c = self._pick(
                con, "SELECT id FROM categories WHERE read_restricted = 0 AND enable_accepted_answers = 1"
            )
            if u is None or c is None:
                return "none"
            core.create_topic(
                con,
                int(u[0]),
                f"How do I {self._text(3).lower()}?",
                self._text(30),
                int(c[0]),
                is_question=True,
            )
        elif kind in ("reply", "employee_reply"):
            t = self._pick(
                con,
                "SELECT t.id, t.user_id FROM topics t JOIN categories c ON c.id = t.category_id "
                "WHERE t.deleted_at IS NULL AND t.closed = 0 AND t.archived = 0 AND c.read_restricted = 0 "
                "AND t.created_at >= ?",
                (core.days_ago_iso(60),),
            ) or self._pick(con, "SELECT id, user_id FROM topics WHERE deleted_at IS NULL AND closed = 0")
            emp = 1 if kind == "employee_reply" else 0
            u = self._pick(
                con, f"SELECT id FROM users WHERE deleted_at IS NULL AND active = 1 AND is_employee = {emp}"
            )
            if t is None or u is None:
                return "none"
            core.create_post(con, int(u[0]), int(t[0]), self._text(25), reply_to_post_number=1)
        elif kind == "like":
            p = self._pick(
                con,
                "SELECT p.id, p.user_id FROM posts p JOIN topics t ON t.id = p.topic_id WHERE "
                "p.deleted_at IS NULL AND p.post_type = 1 AND t.deleted_at IS NULL AND p.created_at >= ?",
                (core.days_ago_iso(30),),
            ) or self._pick(con, "SELECT id, user_id FROM posts WHERE deleted_at IS NULL AND post_type = 1")
            u = self._pick(con, f"SELECT id FROM users WHERE {member}")
            if p is None or u is None or p[1] == u[0]:
                return "none"
            core.set_like(con, int(u[0]), int(p[0]), True)
        elif kind == "accept":
            t = self._pick(
                con,
                "SELECT t.id, t.user_id FROM topics t JOIN categories c ON c.id = t.category_id "
                "WHERE t.created_at >= ? AND c.enable_accepted_answers = 1 AND t.deleted_at IS NULL "
                "AND t.posts_count > 1 AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id)",
                (core.days_ago_iso(90),),
            )
            p = t and self._pick(
                con,
                "SELECT id FROM posts WHERE topic_id = ? AND post_number > 1 AND post_type = 1 "
                "AND deleted_at IS NULL",
                (t[0],),
            )
            if t is None or not p:
                return "none"
            core.accept_solution(con, int(p[0]), t[1])
        elif kind == "signup":
            n = con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM users").fetchone()[0]
            comp = self._pick(con, "SELECT id, domain FROM companies WHERE kind = 'customer'")
            domain = comp[1] if comp else "example.com"
            core.create_user(
                con,
                f"newcomer{n}",
                f"Newcomer {n}",
                f"newcomer{n}@{domain}",
                company_id=comp[0] if comp else None,
            )
        else:
            b = self._pick(
                con, "SELECT id FROM badges WHERE enabled = 1 AND query IS NULL AND multiple_grant = 0"
            )
            staff = self._pick(
                con,
                "SELECT id FROM users WHERE (admin = 1 OR moderator = 1) AND deleted_at IS NULL "
                "AND id NOT IN (SELECT user_id FROM api_keys WHERE description LIKE 'demo:%')",
            )
            if b is None:
                return "none"
            u = self._pick(
                con,
                f"SELECT id FROM users WHERE {member} AND id NOT IN "
                "(SELECT user_id FROM user_badges WHERE badge_id = ?)",
                (b[0],),
            )
            if u is None:
                return "none"
            core.grant_badge(con, int(b[0]), int(u[0]), int(staff[0]) if staff else -1)
        return kind
