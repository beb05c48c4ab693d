"""The Vanilla demo community's data: the generator's community plus what Vanilla keeps beside it.

The Vanilla demo serves the *same* community as the Discourse demo (``modconsole.demo.generator``:
members, companies, questions, answers, badges, groups, likes, visits and ``ground_truth``), read
through Vanilla's shapes. Its file is its own copy (``<size>-vanilla.sqlite3``) because the server
writes state only Vanilla has, in the tables below, created once by :func:`extend`:

* ``vanilla_tokens``    — personal access tokens (Bearer); revoked / expired ones kept for the tests.
* ``vanilla_answers``   — an answer's Q&A status when it is not *pending* (``accepted``/``rejected``);
                          several accepted per question. Seeded from the generator's ``solutions``.
* ``vanilla_questions`` — each question's recomputed status (1 unanswered, 2 answered, 3 accepted,
                          4 rejected), ``dateAnswered``, ``dateAccepted``: what Vanilla's Q&A plugin
                          stores on the discussion (``QnaModel::recalculateDiscussionQnA``).
* ``vanilla_reactions`` — one reaction per user and record (Vanilla's rule), seeded from ``likes``
                          as ``Like``.

Mapping: a topic is a discussion (``type`` ``question`` when ``is_question``), its first post is the
discussion's body, every other regular post (``post_type`` 1) is a comment with ``commentID`` = the
post's id. Deleted rows are gone, as in Vanilla. Only non-automatic Discourse groups are groups (the
automatic ones are Vanilla *roles*). A badge granted several times is held once.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from modconsole import clock
from modconsole.demo import store
from modconsole.demo.core import iso, parse_iso

DDL = """
CREATE TABLE IF NOT EXISTS vanilla_tokens (
    id           INTEGER PRIMARY KEY,
    token        TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT,
    role         TEXT,                 -- 'demo:<role>' for the printed identities, else NULL
    date_inserted TEXT NOT NULL,
    date_expires TEXT NOT NULL,
    date_revoked TEXT,
    date_last_used TEXT
);
CREATE TABLE IF NOT EXISTS vanilla_answers (
    comment_id   INTEGER PRIMARY KEY REFERENCES posts(id),
    status       TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
    date_accepted TEXT,
    accept_user_id INTEGER
);
CREATE TABLE IF NOT EXISTS vanilla_questions (
    discussion_id INTEGER PRIMARY KEY REFERENCES topics(id),
    status_id    INTEGER NOT NULL,
    date_answered TEXT,
    date_accepted TEXT
);
CREATE INDEX IF NOT EXISTS vanilla_questions_status ON vanilla_questions(status_id);
CREATE TABLE IF NOT EXISTS vanilla_reactions (
    record_type  TEXT NOT NULL CHECK (record_type IN ('discussion', 'comment')),
    record_id    INTEGER NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    urlcode      TEXT NOT NULL,
    date_inserted TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id, user_id)
) WITHOUT ROWID;
-- the default sort of the discussion list (-dateLastComment)
CREATE INDEX IF NOT EXISTS vanilla_topics_last ON topics(COALESCE(last_posted_at, created_at), id);
"""

ROLES = ("admin", "moderator", "moderator2", "member")
STATUS_UNANSWERED, STATUS_ANSWERED, STATUS_ACCEPTED, STATUS_REJECTED = 1, 2, 3, 4
STATUS_NAMES = {1: "unanswered", 2: "answered", 3: "accepted", 4: "rejected"}
TOKEN_YEARS = 10


@dataclass(frozen=True)
class VanillaIdentity:
    role: str  # 'admin' | 'moderator' | 'moderator2' | 'member' (or 'expired' / 'revoked' for tests)
    username: str
    token: str
    user_id: int

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class VanillaCredentials:
    admin: VanillaIdentity
    moderator: VanillaIdentity
    moderator2: VanillaIdentity
    member: VanillaIdentity
    expired: VanillaIdentity  # the moderator's token that expired yesterday
    revoked: VanillaIdentity  # the moderator's token that was revoked

    def printed(self) -> tuple[VanillaIdentity, ...]:
        return (self.admin, self.moderator, self.moderator2, self.member)


def _token(seed: str) -> str:
    return "va." + hashlib.sha256(f"modconsole-vanilla-token/{seed}".encode()).hexdigest()[:40]


def extend(con: sqlite3.Connection) -> None:
    """Add Vanilla's tables to a generated community and seed them (once; a no-op afterwards)."""
    con.executescript(DDL)
    if "reason" not in {r[1] for r in con.execute("PRAGMA table_info(user_badges)")}:
        con.execute("ALTER TABLE user_badges ADD COLUMN reason TEXT")  # a grant's reasonBody
    if con.execute("SELECT 1 FROM vanilla_tokens LIMIT 1").fetchone():
        return
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    now = parse_iso(meta.get("now", '"' + iso(clock.now()) + '"').strip('"'))
    tag = f"{meta.get('size', '?')}/{meta.get('seed', '?')}"
    keys = {
        r[0].split(":", 1)[1]: int(r[1])
        for r in con.execute(
            "SELECT description, user_id FROM api_keys "
            "WHERE description LIKE 'demo:%' AND user_id IS NOT NULL"
        )
    }
    rows: list[tuple[str, int, str, str, str, str, str | None]] = []
    issued = iso(now - timedelta(days=30))
    expires = iso(now.replace(year=now.year + TOKEN_YEARS))
    for role in ROLES:
        rows.append(
            (_token(f"{tag}/{role}"), keys[role], f"demo {role}", f"demo:{role}", issued, expires, None)
        )
    mod = keys["moderator"]
    rows.append(
        (
            _token(f"{tag}/expired"),
            mod,
            "old laptop",
            "demo:expired",
            issued,
            iso(now - timedelta(days=1)),
            None,
        )
    )
    rows.append(
        (
            _token(f"{tag}/revoked"),
            mod,
            "lost phone",
            "demo:revoked",
            issued,
            expires,
            iso(now - timedelta(days=2)),
        )
    )
    con.executemany(
        "INSERT INTO vanilla_tokens(token, user_id, name, role, date_inserted, date_expires, date_revoked) "
        "VALUES (?,?,?,?,?,?,?)",
        rows,
    )
    con.execute(
        "INSERT INTO vanilla_answers(comment_id, status, date_accepted, accept_user_id) "
        "SELECT s.post_id, 'accepted', s.accepted_at, s.accepter_id FROM solutions s "
        "JOIN posts p ON p.id = s.post_id WHERE p.deleted_at IS NULL AND p.post_number > 1"
    )
    con.execute(
        "INSERT INTO vanilla_reactions(record_type, record_id, user_id, urlcode, date_inserted) "
        "SELECT CASE WHEN p.post_number = 1 THEN 'discussion' ELSE 'comment' END, "
        "CASE WHEN p.post_number = 1 THEN p.topic_id ELSE p.id END, l.user_id, 'Like', l.created_at "
        "FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.deleted_at IS NULL"
    )
    for (tid,) in con.execute(
        "SELECT id FROM topics WHERE is_question = 1 AND deleted_at IS NULL"
    ).fetchall():
        recalc_question(con, int(tid))
    con.commit()


def recalc_question(con: sqlite3.Connection, discussion_id: int) -> None:
    """Recompute a question's status from its answers, as the Q&A plugin does after every change.

    Answers are comments by someone other than the asker (the asker's own comments do not make a
    question *answered*, which is the generator's definition of a response). Any accepted comment
    makes it accepted; else a pending answer makes it answered; else rejected answers make it
    rejected; else it is unanswered."""
    row = con.execute(
        """
        SELECT
          SUM(CASE WHEN a.status = 'accepted' THEN 1 ELSE 0 END) AS accepted,
          SUM(CASE WHEN p.id IS NOT NULL AND a.status IS NULL AND p.user_id IS NOT t.user_id
                   THEN 1 ELSE 0 END) AS pending,
          SUM(CASE WHEN a.status = 'rejected' AND p.user_id IS NOT t.user_id THEN 1 ELSE 0 END) AS rejected,
          MIN(CASE WHEN p.id IS NOT NULL AND p.user_id IS NOT t.user_id THEN p.created_at END) AS answered,
          MAX(a.date_accepted) AS date_accepted
        FROM topics t
        LEFT JOIN posts p ON p.topic_id = t.id AND p.post_number > 1 AND p.post_type = 1
                          AND p.deleted_at IS NULL
        LEFT JOIN vanilla_answers a ON a.comment_id = p.id
        WHERE t.id = ?
        """,
        (discussion_id,),
    ).fetchone()
    if row["accepted"]:
        status = STATUS_ACCEPTED
    elif row["pending"]:
        status = STATUS_ANSWERED
    elif row["rejected"]:
        status = STATUS_REJECTED
    else:
        status = STATUS_UNANSWERED
    con.execute(
        "INSERT OR REPLACE INTO vanilla_questions(discussion_id, status_id, date_answered, date_accepted) "
        "VALUES (?,?,?,?)",
        (discussion_id, status, row["answered"], row["date_accepted"] if row["accepted"] else None),
    )


def load_credentials(con: sqlite3.Connection) -> VanillaCredentials:
    rows = con.execute(
        "SELECT t.role, t.token, t.user_id, u.username "
        "FROM vanilla_tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.role LIKE 'demo:%'"
    ).fetchall()
    found = {
        r["role"].split(":", 1)[1]: VanillaIdentity(
            r["role"].split(":", 1)[1], r["username"], r["token"], int(r["user_id"])
        )
        for r in rows
    }
    names = (*ROLES, "expired", "revoked")
    missing = [n for n in names if n not in found]
    if missing:
        raise LookupError(f"vanilla demo store has no token for: {', '.join(missing)}")
    return VanillaCredentials(**{n: found[n] for n in names})


def ensure_db(path: Path, *, size: str = "small", seed: int = 1) -> Path:
    """Generate the community at ``path`` when missing (as of "now" on the one clock, to the minute,
    like the Discourse demo) and add Vanilla's tables."""
    if not path.exists():
        from modconsole.demo import generator

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        now = clock.now().replace(second=0, microsecond=0)
        generator.generate(tmp, size=size, seed=seed, now=now)
        con = store.connect(tmp)
        try:
            extend(con)
        finally:
            con.close()
        tmp.replace(path)
    else:
        con = store.connect(path)
        try:
            extend(con)
        finally:
            con.close()
    return path
