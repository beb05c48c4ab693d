"""The demo community's own database: the *server's* state, not the console's cache.

The generator writes it, the demo server reads and writes it. It mirrors what a Discourse
site holds, reduced to what the contract exposes, plus a few generator-only columns that
describe the synthetic truth (``companies.kind``, ``users.is_employee``, ``topics.is_question``)
and a ``ground_truth`` table that KPI tests compare against.

Conventions
-----------
* Timestamps are ISO-8601 UTC strings with milliseconds, exactly as Discourse sends them
  (``2026-03-01T14:05:09.123Z``); they sort lexicographically. Dates are ``YYYY-MM-DD``.
* Booleans are 0/1 integers.
* Denormalised counters (topic ``posts_count``/``reply_count``/``highest_post_number``/
  ``like_count``/``bumped_at``/``last_posted_at``, post ``like_count``/``reply_count``) are kept
  correct by whoever writes (generator and server).
* ``posts_count`` counts non-deleted posts of ``post_type`` 1 and 4 visible in the stream
  (Discourse counts whispers for staff too; the demo has no whispers by default).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                -- JSON
);

-- Customer companies and the vendor that runs the community (kind='vendor', its staff are employees).
CREATE TABLE IF NOT EXISTS companies (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    domain TEXT NOT NULL UNIQUE,       -- e-mail domain, e.g. 'acme-logistics.example'
    kind   TEXT NOT NULL CHECK (kind IN ('customer', 'vendor')),
    created_at TEXT NOT NULL           -- when the company became a customer
);

CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY, -- Discourse: system user is -1; the demo has no system user row
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    company_id    INTEGER REFERENCES companies(id),
    user_field_company TEXT,           -- the "Company" user field (id 1 in /site.json user_fields)
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT,
    last_posted_at TEXT,
    trust_level   INTEGER NOT NULL DEFAULT 0 CHECK (trust_level BETWEEN 0 AND 4),
    manual_locked_trust_level INTEGER,
    admin         INTEGER NOT NULL DEFAULT 0,
    moderator     INTEGER NOT NULL DEFAULT 0,
    is_employee   INTEGER NOT NULL DEFAULT 0, -- generator truth: works for the vendor (staff or not)
    active        INTEGER NOT NULL DEFAULT 1,
    staged        INTEGER NOT NULL DEFAULT 0,
    suspended_till TEXT,
    silenced_till  TEXT,
    title         TEXT,
    deleted_at    TEXT                 -- a deleted user: 404 everywhere, posts show user_deleted
);
CREATE INDEX IF NOT EXISTS users_created ON users(created_at);

-- Keys the server accepts. kind='admin': Api-Key + Api-Username (user_id NULL = "all users" key);
-- kind='user': User-Api-Key acting as user_id.
CREATE TABLE IF NOT EXISTS api_keys (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('admin', 'user')),
    user_id    INTEGER REFERENCES users(id),
    client_id  TEXT,
    scopes     TEXT NOT NULL DEFAULT 'global',   -- 'global' | 'read,write' | …
    description TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE IF NOT EXISTS categories (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    color       TEXT NOT NULL,
    text_color  TEXT NOT NULL,
    description TEXT,
    position    INTEGER NOT NULL,
    parent_category_id INTEGER REFERENCES categories(id),
    read_restricted INTEGER NOT NULL DEFAULT 0,   -- 1 = staff only
    enable_accepted_answers INTEGER NOT NULL DEFAULT 0,
    -- generator truth: 'qa' | 'discussion' | 'ideas' | 'announcements' | 'staff'
    kind        TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS topics (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    slug        TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    user_id     INTEGER REFERENCES users(id),
    archetype   TEXT NOT NULL DEFAULT 'regular',
    created_at  TEXT NOT NULL,
    bumped_at   TEXT NOT NULL,
    last_posted_at TEXT,
    posts_count INTEGER NOT NULL DEFAULT 1,
    reply_count INTEGER NOT NULL DEFAULT 0,
    highest_post_number INTEGER NOT NULL DEFAULT 1,
    views       INTEGER NOT NULL DEFAULT 0,
    like_count  INTEGER NOT NULL DEFAULT 0,
    closed      INTEGER NOT NULL DEFAULT 0,
    archived    INTEGER NOT NULL DEFAULT 0,
    visible     INTEGER NOT NULL DEFAULT 1,
    pinned      INTEGER NOT NULL DEFAULT 0,
    pinned_globally INTEGER NOT NULL DEFAULT 0,
    tags        TEXT NOT NULL DEFAULT '[]',      -- JSON array of tag names
    deleted_at  TEXT,
    deleted_by_id INTEGER,
    is_question INTEGER NOT NULL DEFAULT 0       -- generator truth: a support question
);
CREATE INDEX IF NOT EXISTS topics_bumped ON topics(bumped_at, id);
CREATE INDEX IF NOT EXISTS topics_created ON topics(created_at, id);
CREATE INDEX IF NOT EXISTS topics_category ON topics(category_id, bumped_at);

CREATE TABLE IF NOT EXISTS posts (
    id          INTEGER PRIMARY KEY,
    topic_id    INTEGER NOT NULL REFERENCES topics(id),
    post_number INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    raw         TEXT NOT NULL,
    cooked      TEXT NOT NULL,
    post_type   INTEGER NOT NULL DEFAULT 1,      -- 1 regular, 2 moderator_action, 3 small_action, 4 whisper
    action_code TEXT,
    reply_to_post_number INTEGER,
    reply_count INTEGER NOT NULL DEFAULT 0,
    like_count  INTEGER NOT NULL DEFAULT 0,
    reads       INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    hidden      INTEGER NOT NULL DEFAULT 0,
    deleted_at  TEXT,
    deleted_by_id INTEGER,
    edit_reason TEXT,
    UNIQUE (topic_id, post_number)
);
CREATE INDEX IF NOT EXISTS posts_user ON posts(user_id, created_at);
CREATE INDEX IF NOT EXISTS posts_created ON posts(created_at);

CREATE TABLE IF NOT EXISTS likes (
    post_id    INTEGER NOT NULL REFERENCES posts(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (post_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS likes_created ON likes(created_at);

-- discourse-solved: one accepted answer per topic.
CREATE TABLE IF NOT EXISTS solutions (
    topic_id    INTEGER PRIMARY KEY REFERENCES topics(id),
    post_id     INTEGER NOT NULL UNIQUE REFERENCES posts(id),
    accepter_id INTEGER REFERENCES users(id),
    accepted_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS badge_groupings (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT,
    position INTEGER NOT NULL, system INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE IF NOT EXISTS badges (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    slug          TEXT NOT NULL,
    description   TEXT NOT NULL,
    long_description TEXT,
    badge_type_id INTEGER NOT NULL CHECK (badge_type_id IN (1, 2, 3)),  -- 1 gold, 2 silver, 3 bronze
    badge_grouping_id INTEGER NOT NULL REFERENCES badge_groupings(id),
    icon          TEXT NOT NULL DEFAULT 'certificate',
    image_url     TEXT,
    listable      INTEGER NOT NULL DEFAULT 1,
    enabled       INTEGER NOT NULL DEFAULT 1,
    allow_title   INTEGER NOT NULL DEFAULT 0,
    multiple_grant INTEGER NOT NULL DEFAULT 0,
    system        INTEGER NOT NULL DEFAULT 0,
    query         TEXT,                         -- NULL for manual badges
    auto_revoke   INTEGER NOT NULL DEFAULT 1,
    trigger       INTEGER,
    target_posts  INTEGER NOT NULL DEFAULT 0,
    show_posts    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS user_badges (
    id            INTEGER PRIMARY KEY,
    badge_id      INTEGER NOT NULL REFERENCES badges(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    granted_at    TEXT NOT NULL,
    granted_by_id INTEGER,                      -- -1 = system
    post_id       INTEGER REFERENCES posts(id)
);
CREATE INDEX IF NOT EXISTS user_badges_badge ON user_badges(badge_id, granted_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS user_badges_user ON user_badges(user_id);

CREATE TABLE IF NOT EXISTS groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name   TEXT,
    automatic   INTEGER NOT NULL DEFAULT 0,
    visibility_level INTEGER NOT NULL DEFAULT 0,
    members_visibility_level INTEGER NOT NULL DEFAULT 0,
    grant_trust_level INTEGER,
    title       TEXT,
    primary_group INTEGER NOT NULL DEFAULT 0,
    public_admission INTEGER NOT NULL DEFAULT 0,
    public_exit INTEGER NOT NULL DEFAULT 0,
    flair_icon  TEXT,
    flair_bg_color TEXT,
    flair_color TEXT,
    bio_raw     TEXT
);

CREATE TABLE IF NOT EXISTS group_users (
    group_id   INTEGER NOT NULL REFERENCES groups(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    owner      INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;

-- One row per member and day they visited: feeds visits / daily_engaged_users / dau_by_mau.
CREATE TABLE IF NOT EXISTS user_visits (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    visited_at TEXT NOT NULL,                   -- YYYY-MM-DD
    posts_read INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, visited_at)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS user_visits_day ON user_visits(visited_at);

-- What the generator intended, per month and overall (JSON values); KPI tests compare against it.
CREATE TABLE IF NOT EXISTS ground_truth (
    key   TEXT PRIMARY KEY,                     -- e.g. 'month:2026-03', 'totals', 'definitions'
    value TEXT NOT NULL                         -- JSON
);
"""


def connect(
    path: str | Path, *, readonly: bool = False, check_same_thread: bool = True
) -> sqlite3.Connection:
    """Open the demo store with the pragmas every user of it needs (WAL, foreign keys, busy timeout)."""
    if readonly:
        uri = f"file:{Path(path).as_posix()}?mode=ro"
        con = sqlite3.connect(uri, uri=True, check_same_thread=check_same_thread, timeout=10)
    else:
        con = sqlite3.connect(str(path), check_same_thread=check_same_thread, timeout=10)
        con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA busy_timeout=10000")
    con.row_factory = sqlite3.Row
    return con


def create_schema(con: sqlite3.Connection) -> None:
    con.executescript(DDL)
    con.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
        (str(SCHEMA_VERSION),),
    )
    con.commit()


# ---------------------------------------------------------------- demo credentials

DEMO_KEY_ROLES = ("admin", "moderator", "moderator2", "member")


@dataclass(frozen=True)
class DemoIdentity:
    role: str  # 'admin' | 'moderator' | 'moderator2' | 'member'
    username: str
    key: str
    kind: str  # 'admin' → send Api-Key + Api-Username; 'user' → send User-Api-Key

    def headers(self) -> dict[str, str]:
        if self.kind == "admin":
            return {"Api-Key": self.key, "Api-Username": self.username}
        return {"User-Api-Key": self.key}


@dataclass(frozen=True)
class DemoCredentials:
    admin: DemoIdentity  # an admin API key bound to the admin account (shares the 60/min admin bucket)
    moderator: DemoIdentity  # a moderator's user API key (20/min, 2,880/day)
    moderator2: DemoIdentity  # a second moderator, for two-console tests
    member: DemoIdentity  # a plain member's user API key (no staff powers)


def load_credentials(con: sqlite3.Connection) -> DemoCredentials:
    """The demo keys, found by ``api_keys.description = 'demo:<role>'`` (written by the generator)."""
    rows = con.execute(
        "SELECT k.description AS d, k.key AS key, k.kind AS kind, u.username AS username "
        "FROM api_keys k JOIN users u ON u.id = k.user_id "
        "WHERE k.description LIKE 'demo:%' AND k.revoked_at IS NULL"
    ).fetchall()
    found = {
        r["d"].split(":", 1)[1]: DemoIdentity(r["d"].split(":", 1)[1], r["username"], r["key"], r["kind"])
        for r in rows
    }
    missing = [r for r in DEMO_KEY_ROLES if r not in found]
    if missing:
        raise LookupError(f"demo store has no key for: {', '.join(missing)}")
    return DemoCredentials(**{r: found[r] for r in DEMO_KEY_ROLES})
