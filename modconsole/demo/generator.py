"""The synthetic B2B community: a deterministic (by seed) Discourse-like site plus its ground truth.

``generate(path, size=..., seed=...)`` fills a fresh demo store (``modconsole.demo.store``) with a
software vendor's customer community: customer companies and their members, the vendor's employees
(admins, moderators, support engineers, product managers), Q&A / discussion / ideas / announcement
and staff-only categories, questions with realistic response times (business hours, weekends, long
tail), accepted answers, likes, views, edits, deletions, a hidden post, closed and pinned topics,
badges and their grants, automatic and custom groups, trust levels, daily visits and the four demo
API keys.

Everything is simulated in memory first; ``ground_truth`` is computed from those in-memory events
(never by querying the file), so KPI code can be checked against it. The definitions of every
figure are stored next to them (``ground_truth['definitions']``) and in ``DEFINITIONS`` below.

``meta`` keys written (JSON values): ``schema_version`` (by the store), ``generator_version``,
``seed``, ``size``, ``now`` (store timestamp), ``start`` (first instant of the community, UTC
month start), ``site_title``, ``vendor`` ({name, domain}), ``site_settings`` (``SITE_SETTINGS``).

Same ``(size, seed, now)`` ⇒ identical database content (``GenerationResult.seconds`` aside).
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os
import random
import sqlite3
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from modconsole.demo import routes_review, store
from modconsole.services.sla import SlaSettings, subtract_business_seconds

GENERATOR_VERSION = 1
SIZES: tuple[str, ...] = ("tiny", "small", "large")
DEFAULT_NOW: datetime = datetime(2026, 11, 1, 12, 0, 0, tzinfo=UTC)

SITE_TITLE = "Fernhill Customer Community"
VENDOR_NAME = "Fernhill Software"
VENDOR_DOMAIN = "fernhill.example"
FREE_MAIL_DOMAIN = "mail.example"

SITE_SETTINGS: dict[str, Any] = {
    "title": SITE_TITLE,
    "moderators_manage_groups": True,
    "moderators_view_emails": True,
    "detailed_404": False,
    "enable_badges": True,
    "solved_enabled": True,
    "allow_solved_on_all_topics": False,
    "accept_solutions_topic_author": True,
    "accept_all_solutions_allowed_groups": "admins|moderators|trust_level_4",
    "show_who_marked_solved": True,
    "enable_user_directory": True,
    "whispers_allowed_groups": "",
    "max_admin_api_reqs_per_minute": 60,
    "max_user_api_reqs_per_minute": 20,
    "max_user_api_reqs_per_day": 2880,
    "user_fields": [{"id": 1, "name": "Company", "field_type": "text"}],
}

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MIN_MS = 60_000


@dataclass(frozen=True)
class GenerationResult:
    path: Path
    size: str
    seed: int
    now: datetime
    counts: Mapping[str, int]
    seconds: float


@dataclass(frozen=True)
class _Spec:
    months: int  # full months before now's month
    companies: int  # customer companies
    customers: int  # customer members at now
    admins: int
    moderators: int
    support: int
    pms: int
    topics: int
    reply_mean: float  # mean extra replies after the first response
    slow_months: int  # months of slow growth up to ~1,000 members (large only)
    visit_scale: float
    pooled_text: bool


_SPECS: dict[str, _Spec] = {
    "tiny": _Spec(6, 6, 52, 1, 2, 3, 1, 140, 4.0, 0, 1.0, False),
    "small": _Spec(18, 40, 585, 2, 3, 7, 3, 3000, 5.8, 0, 1.0, False),
    "large": _Spec(96, 1500, 19940, 3, 6, 35, 16, 100_000, 8.9, 12, 0.2, True),
}

# ---------------------------------------------------------------- definitions (documented truth)

DEFINITIONS: dict[str, str] = {
    "general": (
        "All instants are UTC. A month 'YYYY-MM' is [YYYY-MM-01T00:00:00.000Z, first instant of the next "
        "month); the last month is partial and ends at meta.now. 'Member' means any user row (customers "
        "and vendor employees, staff included); the demo has no system user, no staged users, no deleted "
        "users, no private messages and no whispers. Figures describe the state at meta.now."
    ),
    "post": (
        "A counted post is a row of posts with post_type 1 (regular), deleted_at NULL, in a topic with "
        "deleted_at NULL. Hidden posts (hidden=1) ARE counted. Small-action posts (post_type 3, e.g. "
        "action_code 'closed.enabled') and deleted posts are never counted. Posts in the staff-only "
        "category ARE counted."
    ),
    "topic": "A counted topic is a topic row with deleted_at NULL (any category, staff-only included).",
    "reply": "A counted post with post_number > 1.",
    "signups": "Users whose created_at falls in the month (employees included).",
    "members_end": "Users with created_at before the end of the month (before meta.now for the last month).",
    "new_topics": (
        "Counted topics created in the month; new_topics_public leaves out read_restricted categories."
    ),
    "new_replies": "Counted replies created in the month.",
    "new_posts": "Counted posts (first posts and replies) created in the month.",
    "active_contributors": (
        "Distinct users with at least one counted post (first post or reply) created in the month; "
        "active_customer_contributors: the same restricted to users with is_employee = 0."
    ),
    "question": (
        "A counted topic with is_question = 1 (they are all in categories with enable_accepted_answers = 1)."
    ),
    "questions_asked": "Questions created in the month.",
    "response": (
        "A response to a question is a counted reply (post_type 1, not deleted, post_number > 1) whose "
        "user_id differs from the question's user_id. The first response is the one with the smallest "
        "created_at (ties: smallest post_number)."
    ),
    "questions_answered": "Questions asked in the month that have at least one response at meta.now.",
    "questions_solved": (
        "Questions asked in the month that have a row in solutions at meta.now "
        "(month of the question, not of the acceptance)."
    ),
    "solutions_accepted": "Rows of solutions whose accepted_at falls in the month (month of acceptance).",
    "ttfr": (
        "Time to first response in seconds = first response created_at minus topic created_at (wall clock, "
        "milliseconds kept, so values may have 3 decimals), over questions asked in the month that have a "
        "first response at meta.now. ttfr_median_s: median; with an even count the mean of the two middle "
        "values. ttfr_p90_s: nearest-rank 90th percentile = the ceil(0.9*n)-th smallest value. "
        "Both null when n = 0. "
        "ttfr_count = n."
    ),
    "first_responses_by": (
        "first_responses_by_employees / _by_customers: questions asked in the month with a first response, "
        "split by whether the first responder has is_employee = 1."
    ),
    "accepted_by": (
        "accepted_by_employees / _by_customers: questions asked in the month that are solved, split by "
        "whether the author of the accepted post has is_employee = 1."
    ),
    "likes": (
        "Rows of likes whose created_at falls in the month "
        "(likes only exist on counted posts, never on own posts)."
    ),
    "visits": "user_visits rows whose visited_at falls in the month; visitors: distinct users among them.",
    "unanswered": (
        "totals.unanswered_questions: questions without any response at meta.now (closed or not; includes "
        "questions where only the asker replied, counted separately as only_asker_replied, and questions "
        "whose only other reply was deleted)."
    ),
    "counters": (
        "Denormalised counters, for every topic with deleted_at NULL: posts_count = non-deleted posts with "
        "post_type 1 or 4; reply_count = those with post_number > 1; highest_post_number = max post_number "
        "of non-deleted posts with post_type <> 4 (small actions included); like_count = sum of like_count "
        "of its posts; last_posted_at = bumped_at = created_at of the last non-deleted post_type 1 post. "
        "posts.like_count = likes rows of the post; posts.reply_count = non-deleted post_type 1 posts of the "
        "same topic whose reply_to_post_number is this post_number. A deleted topic keeps the counters it "
        "had just before deletion (its first post is deleted with it), except that the likes "
        "of its posts were removed with it (like_count 0 there)."
    ),
    "fixtures": (
        "ground_truth['fixtures'] names the special cases for tests: hidden_post_id (hidden reply by the "
        "suspended spammer, with a <script> in cooked), hostile_post_id (javascript: link and an onerror "
        "attribute), deleted_topic_id, question_with_deleted_only_answer (a question whose only other reply "
        "is deleted: unanswered), suspended_user_id, superuser_ids, trust_locked_user_id, "
        "posts_with_remote_images (count of posts with <img src=https://…>)."
    ),
    "trust_and_groups": (
        "Automatic groups: admins = admin=1; moderators = moderator=1; staff = admin or moderator; "
        "trust_level_N = users with trust_level >= N (all users, suspended included). superusers: the "
        "holders of the 'Superuser' badge; employees: users with is_employee = 1."
    ),
}

# ---------------------------------------------------------------- word lists

_FIRST = (  # noqa: SIM905
    "Ada Alan Amara Ana Ben Bianca Carlos Chen Chloe Daniel Dana Elena Emil Eva Farah Felix Grace Hana Hugo "
    "Ines Ivan Jana Jonas Julia Kai Kofi Lara Leo Lina Luca Maya Mei Milan Nadia Nils Noor Omar Olga Paul "
    "Priya Rafael Rosa Sam Sara Sofia Tariq Tom Uma Vera Wen Yara Yusuf Zoe"
).split()
_LAST = (  # noqa: SIM905
    "Abbott Alvarez Becker Bianchi Brooks Castro Chen Dubois Eriksen Fischer Garcia Haddad Hoffmann Ito "
    "Jensen Kowalski Larsen Lopez Meyer Moreau Nakamura Novak Okafor Olsen Patel Petrov Quinn Rossi Sato "
    "Schmidt Silva Singh Smith Tanaka Torres Varga Vogel Wagner Walsh Weber Yilmaz Young Zhang Ziegler"
).split()
_CO_A = (  # noqa: SIM905
    "Acme Northwind Bluefin Copperleaf Driftwood Evergreen Foxglove Granite Harbor Ironbark Juniper Kestrel "
    "Lakeside Maplewood Nimbus Oakridge Pinecrest Quarry Redwood Silverline Tidewater Umber Vantage Willow "
    "Yellowstone Zephyr Alder Beacon Cobalt Delta Ember Falcon Glacier Horizon Indigo Jasper Keystone Lumen "
    "Meridian Nova"
).split()
_CO_B = (  # noqa: SIM905
    "Logistics Health Retail Foods Energy Finance Insurance Media Robotics Pharma Hotels Airlines Textiles "
    "Telecom Mining Construction Software Motors Labs Consulting Chemicals Freight Bank Clinics Foundation"
).split()
_CO_SUFFIX = ("", " Inc.", " GmbH", " Ltd", " AG", " Group", " SA", " BV")

_MODULES = (  # noqa: SIM905
    "Payroll|Time Tracking|Absence Management|Onboarding|Performance Reviews|Recruiting|Org Chart|"
    "Reporting|Single Sign-On|REST API|Webhooks|Benefits|Expenses|Learning|Mobile App"
).split("|")
_OBJECTS = (  # noqa: SIM905
    "pay slips|leave requests|approval chains|custom fields|cost centres|shift patterns|review cycles|"
    "candidate pipelines|SCIM provisioning|export files|holiday calendars|public holidays|user roles|"
    "audit logs|salary bands|org units|webhook payloads|CSV imports|dashboards|overtime rules"
).split("|")
_VERBS = ("configure", "export", "import", "bulk-update", "restrict", "automate", "archive", "sync", "map")
_ERRORS = (  # noqa: SIM905
    "403 Forbidden|Invalid SAML response|Timeout while generating report|Duplicate employee ID|"
    "Field 'cost_centre' is required|Rate limit exceeded|Unknown tenant|Webhook signature mismatch|"
    "PDF rendering failed|Session expired"
).split("|")
_EVENTS = (
    "the 5.2 upgrade",
    "the last release",
    "switching to SSO",
    "the migration",
    "enabling the mobile app",
    "the DST change",
)
_TOPICS_HR = (  # noqa: SIM905
    "hybrid work policies|four-day weeks|pay transparency|manager training|employee engagement surveys|"
    "onboarding buddies|internal mobility|skills-based hiring|wellbeing budgets|exit interviews"
).split("|")
_TAGS = (
    "sso",
    "api",
    "payroll",
    "reporting",
    "how-to",
    "bug",
    "integration",
    "mobile",
    "permissions",
    "import",
)
_LANGS = ("python", "json", "bash", "sql", "yaml")
_CODE = (
    ("python", 'resp = client.get("/v2/employees", params={"page": 2})\nresp.raise_for_status()'),
    ("json", '{\n  "employee_id": "E-1042",\n  "cost_centre": "CC-300"\n}'),
    ("bash", "curl -H 'Authorization: Bearer $TOKEN' https://api.fernhill.example/v2/absences"),
    ("sql", "SELECT org_unit, COUNT(*) FROM employees\nWHERE status = 'active' GROUP BY org_unit;"),
    ("yaml", "sso:\n  provider: saml\n  entity_id: https://idp.acme.example/metadata"),
)
_INLINE = ("employee_id", "cost_centre", "/v2/employees", "X-Tenant-Id", "payroll.lock()", "SCIM", "ISO-8601")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


# ---------------------------------------------------------------- time helpers


def _ms(dt: datetime) -> int:
    return int(dt.astimezone(UTC).timestamp() * 1000)


_DAY_PREFIX: dict[int, str] = {}


def _fmt(ms: int) -> str:
    """Store format: ``YYYY-MM-DDTHH:MM:SS.mmmZ``."""
    day, rem = divmod(ms, DAY_MS)
    prefix = _DAY_PREFIX.get(day)
    if prefix is None:
        prefix = (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=day)).strftime("%Y-%m-%dT")
        _DAY_PREFIX[day] = prefix
    s, milli = divmod(rem, 1000)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return f"{prefix}{h:02d}:{m:02d}:{s:02d}.{milli:03d}Z"


def _date(ms: int) -> str:
    return _fmt(ms)[:10]


def _weekday(ms: int) -> int:
    return (ms // DAY_MS + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0


_WAITING = -1
"""``plan_topics``: a question planned to be still waiting for its first response at ``now``."""
_WAITING_BUSINESS_HOURS = (6.5, 1.0)
"""How long before ``now`` (business hours of the default SLA) the waiting questions were asked:
1.5 h of an 8 h target left ("due soon"), and 7 h left ("on time")."""

WORK_START_H = 8
WORK_END_H = 18


def _business_add(t: int, work_ms: int) -> int:
    """Advance ``t`` by ``work_ms`` of working time (Mon–Fri 08:00–18:00 UTC)."""
    remaining = work_ms
    while True:
        day = t // DAY_MS
        wd = (day + 3) % 7
        start = day * DAY_MS + WORK_START_H * HOUR_MS
        end = day * DAY_MS + WORK_END_H * HOUR_MS
        if wd >= 5 or t >= end:
            t = (day + 1) * DAY_MS + WORK_START_H * HOUR_MS
            continue
        t = max(t, start)
        if t + remaining <= end:
            return t + remaining
        remaining -= end - t
        t = (day + 1) * DAY_MS + WORK_START_H * HOUR_MS


# ---------------------------------------------------------------- model


class _User:
    __slots__ = (
        "admin",
        "cls",
        "company",
        "created",
        "days",
        "email",
        "field_company",
        "id",
        "is_employee",
        "last_like",
        "last_post",
        "likes_given",
        "likes_received",
        "moderator",
        "name",
        "posts",
        "recent_posts",
        "role",
        "suspended",
        "title",
        "trust",
        "username",
    )

    def __init__(self) -> None:
        self.id = 0
        self.username = ""
        self.name = ""
        self.email = ""
        self.company: int | None = None  # index into companies
        self.field_company: str | None = None
        self.created = 0
        self.cls = "lurker"  # lurker | occasional | regular | core | employee
        self.role: str | None = None  # admin | moderator | support | pm
        self.is_employee = 0
        self.admin = 0
        self.moderator = 0
        self.posts = 0
        self.recent_posts = 0
        self.likes_given = 0
        self.likes_received = 0
        self.last_post = 0
        self.last_like = 0
        self.days: set[int] = set()
        self.trust = 0
        self.suspended = False
        self.title: str | None = None


@dataclass
class _Company:
    id: int
    name: str
    domain: str
    kind: str
    created: int


@dataclass
class _Topic:
    id: int
    created: int
    cat: int
    user: _User
    kind: str
    is_question: bool
    title: str
    special: str = ""  # 'nomination:<user id>' | 'spam' | …
    first_post: int = 0  # index into post arrays
    n_posts: int = 0
    closed: bool = False
    pinned: bool = False
    pinned_globally: bool = False
    deleted: int = 0
    deleted_by: int | None = None
    tags: list[str] = field(default_factory=list)
    views: int = 0
    solution: int = -1  # post index
    accepter: int = 0
    accepted_at: int = 0
    # counters frozen at write time
    posts_count: int = 0
    reply_count: int = 0
    highest: int = 0
    like_count: int = 0
    last_posted: int = 0


_CATEGORIES: tuple[tuple[int, str, str, str, str, str, int, int], ...] = (
    # id, name, slug, color, kind, description, read_restricted, accepted answers
    (
        1,
        "Announcements",
        "announcements",
        "BF1E2E",
        "announcements",
        "Product news and release notes from the Fernhill team.",
        0,
        0,
    ),
    (
        2,
        "Payroll & Time Q&A",
        "payroll-time",
        "0088CC",
        "qa",
        "Questions about payroll, time tracking and absences.",
        0,
        1,
    ),
    (
        3,
        "Integrations & API",
        "integrations-api",
        "3AB54A",
        "qa",
        "SSO, SCIM, the REST API and webhooks.",
        0,
        1,
    ),
    (
        4,
        "Reporting & Analytics",
        "reporting",
        "F7941D",
        "qa",
        "Dashboards, exports and custom reports.",
        0,
        1,
    ),
    (
        5,
        "Talent & Performance",
        "talent-performance",
        "652D90",
        "qa",
        "Recruiting, onboarding and review cycles.",
        0,
        1,
    ),
    (
        6,
        "HR Strategy",
        "hr-strategy",
        "25AAE2",
        "discussion",
        "Peer discussion on HR practice. No product support here.",
        0,
        0,
    ),
    (7, "Ideas", "ideas", "E45735", "ideas", "Suggest and vote on product improvements.", 0, 0),
    (
        8,
        "Moderators",
        "moderators",
        "808281",
        "staff",
        "Staff only: moderation notes and superuser nominations.",
        1,
        0,
    ),
)
_QA_CATS = (2, 3, 4, 5)
_BODY_KIND = {
    "qa": "answer",
    "discussion": "discussion",
    "ideas": "idea",
    "announcements": "announcement",
    "staff": "staff",
}


_HOUR_W = (1, 1, 1, 1, 1, 2, 4, 10, 18, 22, 22, 20, 16, 20, 22, 20, 16, 10, 6, 4, 3, 2, 2, 1)
_HOUR_CUM = [sum(_HOUR_W[: i + 1]) for i in range(24)]


class _Gen:
    def __init__(self, size: str, seed: int, now: datetime, progress: Callable[[str], None] | None) -> None:
        self.size = size
        self.seed = seed
        self.spec = _SPECS[size]
        self.rng = random.Random(f"modconsole-demo/{size}/{seed}")
        self.now = _ms(now)
        self.now_dt = now
        y, m = now.year, now.month - self.spec.months
        while m <= 0:
            y, m = y - 1, m + 12
        self.start = _ms(datetime(y, m, 1, tzinfo=UTC))
        self.progress = progress or (lambda _msg: None)
        self.companies: list[_Company] = []
        self.users: list[_User] = []
        self.topics: list[_Topic] = []
        # posts (parallel arrays, index = generation order)
        self.p_topic = array("q")
        self.p_num = array("q")
        self.p_user = array("q")
        self.p_created = array("q")
        self.p_updated = array("q")
        self.p_type = array("b")
        self.p_reply_to = array("q")  # 0 = none
        self.p_deleted = array("q")  # 0 = not deleted
        self.p_deleted_by = array("q")
        self.p_hidden = array("b")
        self.p_version = array("b")
        self.p_likes = array("q")
        self.p_replies = array("q")
        self.p_reads = array("q")
        self.p_text = array("q")
        self.texts: list[tuple[str, str]] = [("", "")]  # 0 = empty (small actions)
        self.p_edit_reason: dict[int, str] = {}
        # likes
        self.l_post = array("q")
        self.l_user = array("q")
        self.l_time = array("q")
        self.solutions: list[tuple[int, int, int, int]] = []  # topic idx, post idx, accepter id, accepted_at
        self.special: dict[str, Any] = {}
        self.user_badges: list[tuple[int, int, int, int, int | None]] = []  # badge, user, at, by, post idx
        self.v_user = array("q")  # user_visits: user id, day number, posts_read
        self.v_day = array("q")
        self.v_read = array("q")

    # ------------------------------------------------------------ helpers

    def _lognormal_ms(self, median_ms: float, sigma: float, cap_ms: float) -> int:
        return int(min(cap_ms, median_ms * math.exp(self.rng.gauss(0.0, sigma))))

    def _poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, int(self.rng.gauss(lam, math.sqrt(lam)) + 0.5))
        limit, k, p = math.exp(-lam), 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def _time_in_day(self, day: int) -> int:
        r = self.rng.random() * _HOUR_CUM[-1]
        h = bisect_right(_HOUR_CUM, r)
        return day * DAY_MS + h * HOUR_MS + int(self.rng.random() * HOUR_MS)

    def _random_time(self, lo: int, hi: int) -> int:
        """A working-pattern instant in [lo, hi) (weekdays and office hours preferred)."""
        for _ in range(20):
            day = (lo + int(self.rng.random() * max(1, hi - lo))) // DAY_MS
            if (day + 3) % 7 >= 5 and self.rng.random() < 0.8:
                continue
            t = self._time_in_day(day)
            if lo <= t < hi:
                return t
        return lo + int(self.rng.random() * max(1, hi - lo))

    def _response_delay(self, t: int) -> int:
        """Time to a response: mostly in working time, some from other time zones, a long tail."""
        r = self.rng.random()
        if r < 0.72:
            work = self._lognormal_ms(2.5 * HOUR_MS, 1.25, 25 * 10 * HOUR_MS)
            return _business_add(t, work) - t
        if r < 0.94:
            return self._lognormal_ms(5 * HOUR_MS, 1.1, 20 * DAY_MS)
        return self._lognormal_ms(6 * DAY_MS, 0.9, 60 * DAY_MS)

    def _followup_delay(self, t: int) -> int:
        if self.rng.random() < 0.75:
            work = self._lognormal_ms(3 * HOUR_MS, 1.2, 20 * 10 * HOUR_MS)
            return _business_add(t, work) - t
        return self._lognormal_ms(10 * HOUR_MS, 1.2, 30 * DAY_MS)

    # ------------------------------------------------------------ people

    def build_people(self) -> None:
        rng, spec = self.rng, self.spec
        # customer companies
        names: set[str] = set()
        domains: set[str] = set()
        for i in range(spec.companies):
            while True:
                a, b = rng.choice(_CO_A), rng.choice(_CO_B)
                suffix = _CO_SUFFIX[0] if len(names) < 800 else rng.choice(_CO_SUFFIX)
                name = f"{a} {b}{suffix}"
                slug = f"{a}-{b}".lower() + (("-" + suffix.strip(" .").lower()) if suffix else "")
                if name not in names and f"{slug}.example" not in domains:
                    break
            names.add(name)
            domains.add(f"{slug}.example")
            self.companies.append(_Company(i + 1, name, f"{slug}.example", "customer", 0))
        vendor = _Company(
            len(self.companies) + 1, VENDOR_NAME, VENDOR_DOMAIN, "vendor", self.start - 400 * DAY_MS
        )
        self.companies.append(vendor)
        self.vendor_idx = len(self.companies) - 1

        used_usernames: set[str] = set()

        def make_user(domain: str) -> _User:
            u = _User()
            while True:
                first, last = rng.choice(_FIRST), rng.choice(_LAST)
                base = f"{first}_{last}".lower()
                uname = base
                n = 2
                while uname in used_usernames:
                    uname = f"{base}{n}"
                    n += 1
                break
            used_usernames.add(uname)
            u.username = uname
            u.name = f"{first} {last}"
            u.email = f"{uname.replace('_', '.')}@{domain}"
            return u

        employees: list[_User] = []
        roles = (
            ["admin"] * spec.admins
            + ["moderator"] * spec.moderators
            + ["support"] * spec.support
            + ["pm"] * spec.pms
        )
        for i, role in enumerate(roles):
            u = make_user(VENDOR_DOMAIN)
            u.cls = "employee"
            u.role = role
            u.is_employee = 1
            u.admin = int(role == "admin")
            u.moderator = int(role == "moderator")
            u.company = self.vendor_idx
            u.field_company = VENDOR_NAME if rng.random() < 0.7 else None
            # staff at launch, the rest join during the first third
            if role in ("admin", "moderator") or i < 4:
                u.created = self.start + i * 37 * MIN_MS + 2 * HOUR_MS * i
            else:
                u.created = self._random_time(self.start, self.start + (self.now - self.start) // 3)
            employees.append(u)

        # customer signups per month
        month_starts = self._month_starts()
        n_months = len(month_starts) - 1
        counts = self._signup_counts(n_months)
        customers: list[_User] = []
        zipf = [1.0 / (i + 1) ** 0.8 for i in range(spec.companies)]
        zipf_cum = [sum(zipf[: i + 1]) for i in range(len(zipf))]
        for mi, cnt in enumerate(counts):
            lo, hi = month_starts[mi], min(month_starts[mi + 1], self.now)
            for _ in range(cnt):
                r = rng.random()
                if r < 0.08:
                    u = make_user(FREE_MAIL_DOMAIN)
                else:
                    ci = bisect_right(zipf_cum, rng.random() * zipf_cum[-1])
                    ci = min(ci, len(zipf) - 1)
                    u = make_user(self.companies[ci].domain)
                    u.company = ci
                    if rng.random() < 0.6:
                        nm = self.companies[ci].name
                        u.field_company = nm if rng.random() < 0.85 else nm.split(" ")[0]
                u.created = self._random_time(lo, hi)
                customers.append(u)
        customers.sort(key=lambda u: u.created)
        # participation classes (90-9-1-ish), assigned in a shuffled order with minimums
        order = list(range(len(customers)))
        rng.shuffle(order)
        n = len(customers)
        n_core = max(2, round(n * 0.012))
        n_reg = max(3, round(n * 0.045))
        n_occ = max(8, round(n * 0.15))
        # the core is recruited from the first half of signups (they have been around)
        early = [i for i in order if i < n // 2]
        late = [i for i in order if i >= n // 2]
        picked = early[:n_core]
        for i in picked:
            customers[i].cls = "core"
        rest = [i for i in order if i not in set(picked)]
        for i in rest[:n_reg]:
            customers[i].cls = "regular"
        for i in rest[n_reg : n_reg + n_occ]:
            customers[i].cls = "occasional"
        del late
        users = employees + customers
        users.sort(key=lambda u: (u.created, u.username))
        for i, u in enumerate(users):
            u.id = i + 1
        self.users = users
        self.by_id = {u.id: u for u in users}
        self.employees = [u for u in users if u.is_employee]
        self.customers = [u for u in users if not u.is_employee]
        self.staff = [u for u in users if u.admin or u.moderator]
        self.moderators = [u for u in users if u.moderator]
        self.admins = [u for u in users if u.admin]
        # companies become customers before their first member joins
        first_member: dict[int, int] = {}
        for u in customers:
            if u.company is not None:
                first_member.setdefault(u.company, u.created)
                first_member[u.company] = min(first_member[u.company], u.created)
        for ci, c in enumerate(self.companies[: self.vendor_idx]):
            base = first_member.get(ci)
            if base is None:
                base = self._random_time(self.start, self.now)
            c.created = base - int(rng.random() * 90 * DAY_MS)

        ask_w = {"occasional": 1.0, "regular": 2.0, "core": 2.0}
        ans_w = {"occasional": 0.25, "regular": 3.0, "core": 14.0}
        like_w = {"lurker": 1.0, "occasional": 2.0, "regular": 4.0, "core": 6.0, "employee": 3.0}
        emp_w = {"support": 5.0, "pm": 2.0, "moderator": 2.0, "admin": 0.7}
        self.pool_ask = _Pool(self.customers, lambda u: ask_w.get(u.cls, 0.0))
        self.pool_answer = _Pool(self.customers, lambda u: ans_w.get(u.cls, 0.0))
        self.pool_discuss = _Pool(self.customers, lambda u: ask_w.get(u.cls, 0.0) + ans_w.get(u.cls, 0.0))
        self.pool_like = _Pool(self.users, lambda u: like_w[u.cls])
        self.pool_emp = _Pool(self.employees, lambda u: emp_w[u.role or "support"])
        self.pool_staff = _Pool(self.staff, lambda u: 1.0)
        self.member_times = [u.created for u in self.users]

    def _month_starts(self) -> list[int]:
        out = []
        y, m = (
            datetime.fromtimestamp(self.start / 1000, UTC).year,
            datetime.fromtimestamp(self.start / 1000, UTC).month,
        )
        while True:
            t = _ms(datetime(y, m, 1, tzinfo=UTC))
            out.append(t)
            if t > self.now:
                break
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def _signup_counts(self, n_months: int) -> list[int]:
        spec, rng = self.spec, self.rng
        total = spec.customers
        full = self.spec.months  # the last (partial) month gets a pro-rated share
        if spec.slow_months and total > 1000:
            slow = [1.0 + 0.6 * i / spec.slow_months for i in range(spec.slow_months)]
            s = sum(slow)
            counts = [round(1000 * w / s) for w in slow]
            fast_total = total - sum(counts)
            fast_n = full - spec.slow_months
            counts += [round(fast_total / fast_n * rng.uniform(0.85, 1.15)) for _ in range(fast_n)]
        else:
            weights = [1.0 + 0.7 * i / max(1, full - 1) for i in range(full)]
            weights[0] += 1.5  # the launch cohort
            s = sum(weights)
            counts = [round(total * w / s * rng.uniform(0.9, 1.1)) for w in weights]
        partial = max(0, round(counts[-1] * 0.02))
        counts.append(partial)
        return counts[:n_months] + [0] * max(0, n_months - len(counts))

    # ------------------------------------------------------------ topics timeline

    def plan_topics(self) -> None:
        rng, spec = self.rng, self.spec
        month_starts = self._month_starts()
        n_months = len(month_starts) - 1
        plans: list[tuple[int, str, int]] = []  # time, kind, extra
        # announcements: about one a month, by staff
        for mi in range(n_months):
            lo, hi = month_starts[mi], min(month_starts[mi + 1], self.now)
            if hi - lo < 5 * DAY_MS:
                continue
            for _ in range(1 if spec.months < 40 or mi % 2 == 0 else 2):
                plans.append((self._random_time(lo, hi), "announcements", 0))
        # superuser nominations in the staff category
        n_super = {"tiny": 2, "small": 5, "large": 12}[self.size]
        cands = sorted(
            (u for u in self.customers if u.cls in ("core", "regular")),
            key=lambda u: (u.cls != "core", u.created),
        )
        self.superusers = cands[:n_super]
        for u in self.superusers:
            lo = max(u.created + 45 * DAY_MS, self.start + (self.now - self.start) // 2)
            hi = self.now - 21 * DAY_MS
            t = self._random_time(lo, hi) if hi > lo else hi - DAY_MS
            plans.append((t, "staff", u.id))
        n_staff = max(3, spec.months // 2)
        for _ in range(n_staff):
            plans.append((self._random_time(self.start + 3 * DAY_MS, self.now), "staff", 0))
        remaining = spec.topics - len(plans)
        # community topics spread by members present (member count at each month)
        weights = []
        for mi in range(n_months):
            lo, hi = month_starts[mi], min(month_starts[mi + 1], self.now)
            members = bisect_left(self.member_times, hi)
            weights.append(max(0.0, (hi - lo) / (30 * DAY_MS)) * (8 + members) ** 0.85)
        wsum = sum(weights)
        kinds = (("qa", 0.72), ("discussion", 0.14), ("ideas", 0.14))
        for mi in range(n_months):
            lo, hi = month_starts[mi], min(month_starts[mi + 1], self.now)
            cnt = self._poisson(remaining * weights[mi] / wsum) if weights[mi] > 0 else 0
            for _ in range(cnt):
                r = rng.random()
                kind = (
                    "qa" if r < kinds[0][1] else ("discussion" if r < kinds[0][1] + kinds[1][1] else "ideas")
                )
                plans.append((self._random_time(lo, hi), kind, 0))
        # The queue a new user opens is alive at any instant: besides the overdue questions that pile
        # up by themselves, one question waits whose first-response target (the console's default
        # SLA: 8 business hours, Mon–Fri 09–17 UTC) is due soon, and one was just asked.
        for hours_ago in _WAITING_BUSINESS_HOURS:
            t = _ms(subtract_business_seconds(self.now_dt, hours_ago * 3600, SlaSettings()))
            if t > self.start + 30 * DAY_MS:
                plans.append((t, "qa", _WAITING))
        plans.sort()
        self.plans = plans

    # ------------------------------------------------------------ text

    def _sentence(self, kind: str, mod: str, obj: str) -> list[tuple[str, Any]]:
        rng = self.rng
        opts: list[list[tuple[str, Any]]]
        r = rng.random()
        if kind == "question":
            opts = [
                [
                    ("t", f"We are trying to {rng.choice(_VERBS)} {obj} in {mod} but "),
                    ("t", "nothing happens after saving."),
                ],
                [
                    ("t", "Since "),
                    ("t", rng.choice(_EVENTS)),
                    ("t", f" our {obj} no longer show up for managers."),
                ],
                [
                    ("t", "The log says "),
                    ("c", rng.choice(_ERRORS)),
                    ("t", f" every time someone opens {mod}."),
                ],
                [("t", f"Is there a way to {rng.choice(_VERBS)} {obj} per country, or only globally?")],
                [("t", "Setting "), ("c", rng.choice(_INLINE)), ("t", " did not change anything for us.")],
            ]
        elif kind == "answer":
            opts = [
                [
                    ("t", f"You can do this under Settings → {mod} → Advanced; enable "),
                    ("c", rng.choice(_INLINE)),
                    ("t", " first."),
                ],
                [
                    ("t", "This is a known limitation; see "),
                    (
                        "a",
                        (
                            "the documentation",
                            f"https://docs.fernhill.example/{mod.lower().replace(' ', '-')}",
                        ),
                    ),
                    ("t", "."),
                ],
                [
                    (
                        "t",
                        f"We had the same problem with {obj}. Clearing the cache and re-importing fixed it.",
                    )
                ],
                [
                    ("t", "Check that the user has the "),
                    ("c", "hr_admin"),
                    ("t", f" role, otherwise {obj} are filtered out."),
                ],
                [
                    (
                        "t",
                        f"If you {rng.choice(_VERBS)} {obj} through the API, the restriction does not apply.",
                    )
                ],
            ]
        elif kind == "followup":
            opts = [
                [("t", "Thanks, that worked for most of our users.")],
                [("t", f"Tried that, but {obj} still look wrong for part-time staff.")],
                [("t", "Which version do you run? We are on 5.3.")],
                [("t", "Could you share a screenshot of the settings page?")],
                [("t", "Perfect, marking this as solved. Thanks a lot!")],
            ]
        elif kind == "idea":
            opts = [
                [("t", f"It would be great if {mod} could {rng.choice(_VERBS)} {obj} automatically.")],
                [("t", f"+1 from us, we currently {rng.choice(_VERBS)} {obj} by hand every month.")],
                [("t", f"Same here: {obj} are the main reason our managers still use spreadsheets.")],
                [("t", "Thanks for the suggestion, we are looking at this for an upcoming release.")],
            ]
        elif kind == "announcement":
            opts = [
                [("t", f"Release 5.{rng.randint(2, 9)} brings improvements to {mod} and {obj}.")],
                [("t", f"{mod} will be unavailable for about 30 minutes during the maintenance window.")],
                [("t", f"Join our webinar to learn how other customers {rng.choice(_VERBS)} {obj}.")],
            ]
        elif kind == "staff":
            opts = [
                [("t", "Agreed, their answers have been consistently excellent.")],
                [("t", f"Heads-up: another wave of spam around {obj}; please keep an eye on the queue.")],
                [("t", "I can take the triage shift this week.")],
            ]
        else:  # discussion
            hr = rng.choice(_TOPICS_HR)
            opts = [
                [("t", f"How are you approaching {hr} this year?")],
                [("t", f"We rolled out {hr} last quarter; engagement went up noticeably.")],
                [("t", f"Our works council had concerns about {hr}, so we ran a pilot first.")],
                [("t", f"Interesting. We tie {hr} to the review cycle, which keeps it lightweight.")],
            ]
        return opts[int(r * len(opts))]

    def _body(self, kind: str, mention: str | None = None) -> tuple[str, str]:
        rng = self.rng
        mod, obj = rng.choice(_MODULES), rng.choice(_OBJECTS)
        raw_parts: list[str] = []
        html_parts: list[str] = []

        def para(segs: list[tuple[str, Any]]) -> None:
            rw, ck = [], []
            for k, v in segs:
                if k == "t":
                    rw.append(v)
                    ck.append(_esc(v))
                elif k == "c":
                    rw.append(f"`{v}`")
                    ck.append(f"<code>{_esc(v)}</code>")
                elif k == "a":
                    label, url = v
                    rw.append(f"[{label}]({url})")
                    ck.append(f'<a href="{_esc(url)}">{_esc(label)}</a>')
                elif k == "m":
                    rw.append(f"@{v}")
                    ck.append(f'<a class="mention" href="/u/{_esc(v)}">@{_esc(v)}</a>')
            raw_parts.append("".join(rw))
            html_parts.append("<p>" + "".join(ck) + "</p>")

        first: list[tuple[str, Any]] = [("m", mention), ("t", " ")] if mention else []
        para(first + self._sentence(kind, mod, obj))
        n_more = {"question": 2, "answer": 1, "followup": 0}.get(kind, 1)
        for _ in range(int(rng.random() * (n_more + 1))):
            para(self._sentence(kind, mod, obj))
        r = rng.random()
        if kind in ("question", "answer") and r < 0.18:
            lang, code = rng.choice(_CODE)
            raw_parts.append(f"```{lang}\n{code}\n```")
            html_parts.append(f'<pre><code class="lang-{lang}">{_esc(code)}\n</code></pre>')
        elif kind in ("answer", "discussion") and r < 0.28:
            items = [f"{rng.choice(_VERBS).capitalize()} the {rng.choice(_OBJECTS)}" for _ in range(3)]
            raw_parts.append("\n".join(f"1. {it}" for it in items))
            html_parts.append("<ol>\n" + "\n".join(f"<li>{_esc(it)}</li>" for it in items) + "\n</ol>")
        elif kind == "question" and r < 0.24:
            slug = hashlib.sha1(f"{self.seed}:{len(self.texts)}".encode()).hexdigest()[:12]
            url = f"https://images.fernhill-cdn.example/uploads/{slug}.png"
            raw_parts.append(f"![screenshot]({url})")
            html_parts.append(f'<p><img src="{url}" alt="screenshot" width="690" height="388"></p>')
            self.special.setdefault("_img", 0)
            self.special["_img"] += 1
        return "\n\n".join(raw_parts), "\n".join(html_parts)

    def _text(self, kind: str, mention: str | None = None) -> int:
        if self.spec.pooled_text:
            pool = self._pools.setdefault(kind, [])
            if len(pool) < 600:
                self.texts.append(self._body(kind))
                pool.append(len(self.texts) - 1)
                return pool[-1]
            return pool[int(self.rng.random() * len(pool))]
        self.texts.append(self._body(kind, mention))
        return len(self.texts) - 1

    def _quote_text(self, quoted_user: str, post_number: int, topic_id: int) -> int:
        raw0, ck0 = self._body("followup")
        q = "Quoting the key part of the earlier answer."
        raw = f'[quote="{quoted_user}, post:{post_number}, topic:{topic_id}"]\n{q}\n[/quote]\n\n{raw0}'
        ck = (
            f'<aside class="quote no-group" data-username="{_esc(quoted_user)}" data-post="{post_number}" '
            f'data-topic="{topic_id}">\n<div class="title">\n{_esc(quoted_user)}:</div>\n'
            f"<blockquote>\n<p>{_esc(q)}</p>\n</blockquote>\n</aside>\n{ck0}"
        )
        self.texts.append((raw, ck))
        return len(self.texts) - 1

    def _title(self, kind: str, special: str) -> str:
        rng = self.rng
        mod, obj, verb = rng.choice(_MODULES), rng.choice(_OBJECTS), rng.choice(_VERBS)
        opts: tuple[str, ...]
        if kind == "qa":
            opts = (
                f"How do I {verb} {obj} in {mod}?",
                f"{mod}: {obj} not updating after {rng.choice(_EVENTS)}",
                f'Error "{rng.choice(_ERRORS)}" when trying to {verb} {obj}',
                f"Best way to {verb} {obj} for several countries?",
                f"Can {mod} {verb} {obj} automatically?",
            )
        elif kind == "discussion":
            hr = rng.choice(_TOPICS_HR)
            opts = (
                f"How do you handle {hr}?",
                f"Lessons learned from introducing {hr}",
                f"Benchmarks for {hr}?",
            )
        elif kind == "ideas":
            opts = (
                f"Allow {mod} to {verb} {obj}",
                f"Idea: bulk actions for {obj}",
                f"Let managers {verb} {obj} in {mod}",
            )
        elif kind == "announcements":
            opts = (
                f"Release 5.{rng.randint(2, 9)}: what's new in {mod}",
                f"Scheduled maintenance for {mod}",
                f"Webinar: getting more out of {mod}",
            )
        else:
            if special.startswith("nomination:"):
                return f"Superuser nomination: @{self.by_id[int(special.split(':')[1])].username}"
            opts = (
                f"Moderation notes: {obj} spam wave",
                "Weekly triage roster",
                f"Escalation path for {mod} bugs",
            )
        return opts[int(rng.random() * len(opts))]

    # ------------------------------------------------------------ topics and posts

    def _add_post(self, ti: int, num: int, user: _User, t: int, ptype: int, reply_to: int, text: int) -> int:
        self.p_topic.append(ti)
        self.p_num.append(num)
        self.p_user.append(user.id)
        self.p_created.append(t)
        self.p_updated.append(t)
        self.p_type.append(ptype)
        self.p_reply_to.append(reply_to)
        self.p_deleted.append(0)
        self.p_deleted_by.append(0)
        self.p_hidden.append(0)
        self.p_version.append(1)
        self.p_likes.append(0)
        self.p_replies.append(0)
        self.p_reads.append(0)
        self.p_text.append(text)
        return len(self.p_topic) - 1

    def build_topics(self) -> None:
        rng = self.rng
        self._pools: dict[str, list[int]] = {}
        qa_w = (0.34, 0.28, 0.2, 0.18)
        self._need_deleted_answer = True
        self._need_only_asker = True
        self._need_hidden = True
        self._need_hostile = True
        self._need_deleted_topic = True
        spam_candidates = [
            u for u in self.customers if u.cls == "lurker" and u.created < self.now - 60 * DAY_MS
        ]
        self.spammer = spam_candidates[len(spam_candidates) // 2] if spam_candidates else self.customers[-1]
        total = len(self.plans)
        for n, (t, kind, extra) in enumerate(self.plans):
            if n % 20000 == 0 and n:
                self.progress(f"topics {n}/{total}")
            if kind == "qa":
                r = rng.random()
                cat = _QA_CATS[0]
                acc = 0.0
                for c, w in zip(_QA_CATS, qa_w):
                    acc += w
                    if r < acc:
                        cat = c
                        break
            else:
                cat = {"discussion": 6, "ideas": 7, "announcements": 1, "staff": 8}[kind]
            is_question = False
            author: _User | None
            if kind in ("announcements", "staff"):
                author = (
                    self.pool_emp.pick(rng, t) if kind == "announcements" and rng.random() < 0.3 else None
                )
                if author is None or not (author.admin or author.moderator or author.role == "pm"):
                    author = self.pool_staff.pick(rng, t)
            elif kind == "qa":
                if rng.random() < 0.08:
                    author = self.pool_emp.pick(rng, t)
                else:
                    author = self.pool_ask.pick(rng, t)
                    is_question = author is not None
            else:
                author = self.pool_discuss.pick(rng, t) if rng.random() < 0.85 else self.pool_emp.pick(rng, t)
            if author is None:
                continue
            special = "waiting" if extra == _WAITING else (f"nomination:{extra}" if extra else "")
            topic = _Topic(
                len(self.topics) + 1, t, cat, author, kind, is_question, self._title(kind, special), special
            )
            self.topics.append(topic)
            self._build_topic(len(self.topics) - 1, topic)

    def _build_topic(self, ti: int, topic: _Topic) -> None:
        rng, now = self.rng, self.now
        t0 = topic.created
        asker = topic.user
        tkind = "question" if topic.is_question else _BODY_KIND[topic.kind]
        reply_kind = {"announcements": "followup", "ideas": "idea", "staff": "staff"}.get(
            topic.kind, "discussion"
        )
        first = self._add_post(ti, 1, asker, t0, 1, 0, self._text(tkind))
        topic.first_post = first
        seq: list[int] = [first]  # post indices in order
        cur = t0

        def add(user: _User, t: int, reply_to: int = 0, kind: str = "answer", text: int | None = None) -> int:
            num = len(seq) + 1
            mention = None
            if reply_to and not self.spec.pooled_text:
                mention = self.by_id[self.p_user[seq[reply_to - 1]]].username
            tx = text if text is not None else self._text(kind, mention)
            pi = self._add_post(ti, num, user, t, 1, reply_to, tx)
            seq.append(pi)
            return pi

        if topic.is_question:
            r = rng.random()
            force = self._need_only_asker and self.start + (now - self.start) * 2 // 3 < t0 < now - 4 * DAY_MS
            waiting = topic.special == "waiting"  # asked just now: nobody has answered yet
            if r < 0.07 or force or waiting:  # nobody ever answers; sometimes the asker bumps it
                if not waiting and (rng.random() < 0.45 or force):
                    tb = t0 + self._lognormal_ms(2 * DAY_MS, 0.7, 20 * DAY_MS)
                    if tb <= now:
                        add(asker, tb, 0, "followup")
                        self._need_only_asker = False
            else:
                use_emp = rng.random() < 0.55
                t1 = t0 + self._response_delay(t0)
                if t1 <= now:
                    resp = (
                        self.pool_emp.pick(rng, t1) if use_emp else self.pool_answer.pick(rng, t1, asker.id)
                    )
                    if resp is None or resp.id == asker.id:
                        resp = self.pool_emp.pick(rng, t1)
                    if resp is not None:
                        add(resp, t1, 0, "answer")
                        cur = t1
                        others = [resp]
                        for _ in range(int(rng.expovariate(1.0 / self.spec.reply_mean))):
                            cur += self._followup_delay(cur)
                            if cur > now:
                                break
                            r2 = rng.random()
                            if r2 < 0.42:
                                last_other = len(seq) if self.p_user[seq[-1]] != asker.id else 0
                                add(asker, cur, last_other if rng.random() < 0.5 else 0, "followup")
                            elif r2 < 0.62:
                                u = others[int(rng.random() * len(others))]
                                add(u, cur, 0, "answer")
                            else:
                                nu = (
                                    self.pool_emp.pick(rng, cur)
                                    if rng.random() < 0.35
                                    else self.pool_answer.pick(rng, cur, asker.id)
                                )
                                if nu is None or nu.id == asker.id:
                                    continue
                                others.append(nu)
                                if rng.random() < 0.08 and len(seq) >= 2 and not self.spec.pooled_text:
                                    qn = 1 + int(rng.random() * len(seq))
                                    qu = self.by_id[self.p_user[seq[qn - 1]]].username
                                    add(nu, cur, 0, text=self._quote_text(qu, qn, topic.id))
                                else:
                                    add(nu, cur, 0, "answer")
        elif topic.kind != "staff" or not topic.special:
            mean = self.spec.reply_mean * (0.6 if topic.kind in ("announcements", "staff") else 1.0)
            n_replies = int(rng.expovariate(1.0 / mean))
            participants: list[_User] = [asker]
            for _ in range(n_replies):
                cur += self._followup_delay(cur) if cur > t0 else self._response_delay(cur)
                if cur > now:
                    break
                r = rng.random()
                if topic.kind == "staff":
                    u = self.pool_staff.pick(rng, cur, asker.id) or asker
                elif r < 0.2:
                    u = participants[int(rng.random() * len(participants))]
                elif r < 0.4:
                    u = self.pool_emp.pick(rng, cur) or asker
                else:
                    u = self.pool_discuss.pick(rng, cur) or asker
                participants.append(u)
                reply_to = len(seq) if rng.random() < 0.25 else 0
                add(u, cur, reply_to, reply_kind)
        else:  # superuser nomination: staff agree
            for _ in range(1 + int(rng.random() * 3)):
                cur += self._followup_delay(cur)
                if cur > now:
                    break
                su = self.pool_staff.pick(rng, cur, asker.id)
                if su is not None:
                    add(su, cur, 0, "staff")

        # special posts: the spammer's hidden reply (with hostile markup)
        if (
            self._need_hidden
            and topic.kind == "discussion"
            and t0 > self.spammer.created + DAY_MS
            and t0 < now - 20 * DAY_MS
        ):
            ts = max(self.p_created[seq[-1]], t0) + 3 * HOUR_MS
            raw = "Great tips! Check out my site for cheap licences: <script>alert('pwned')</script>"
            ck = (
                "<p>Great tips! Check out my site for cheap licences: "
                '<a href="https://cheap-licences.example/">cheap-licences.example</a></p>\n'
                "<script>alert('pwned')</script>"
            )
            self.texts.append((raw, ck))
            pi = add(self.spammer, ts, 0, text=len(self.texts) - 1)
            self.p_hidden[pi] = 1
            self.spammer.suspended = True
            self._need_hidden = False
            self.special["hidden_post"] = pi
            cur = max(cur, ts)

        # deletions of replies (never the first post here)
        n_seq = len(seq)
        if not topic.is_question:
            for pi in seq[1:]:
                if rng.random() < 0.012 and not self.p_hidden[pi]:
                    dt = self.p_created[pi] + self._lognormal_ms(3 * HOUR_MS, 1.0, 5 * DAY_MS)
                    if dt <= now:
                        self.p_deleted[pi] = dt
                        author = self.p_user[pi]
                        self.p_deleted_by[pi] = author if rng.random() < 0.5 else self._a_moderator().id

        # solution
        if topic.is_question:
            cands = [pi for pi in seq[1:] if self.p_user[pi] != asker.id and not self.p_deleted[pi]]
            if (
                self._need_deleted_answer
                and len(cands) == 1
                and n_seq == 2
                and t0 > self.start + (now - self.start) // 2
                and t0 < now - 7 * DAY_MS
            ):
                pi = cands[0]
                self.p_deleted[pi] = min(now, self.p_created[pi] + 6 * HOUR_MS)
                self.p_deleted_by[pi] = self._a_moderator().id
                self._need_deleted_answer = False
                self.special["question_with_deleted_only_answer"] = topic.id
                cands = []
            if cands and rng.random() < 0.62:
                weights = [(3.0 if self.by_id[self.p_user[pi]].is_employee else 2.0) for pi in cands]
                weights[0] += 1.0
                pick = rng.random() * sum(weights)
                chosen = cands[-1]
                for pi, w in zip(cands, weights):
                    pick -= w
                    if pick < 0:
                        chosen = pi
                        break
                at = max(self.p_created[chosen], self.p_created[seq[-1]] if rng.random() < 0.5 else 0)
                at += self._followup_delay(at) + MIN_MS
                if at <= now:
                    accepter = asker.id if rng.random() < 0.8 else (self.pool_staff.pick(rng, at) or asker).id
                    topic.solution = chosen
                    topic.accepter = accepter
                    topic.accepted_at = at
                    self.solutions.append((ti, chosen, accepter, at))

        # edits
        for pi in seq:
            if rng.random() < 0.07:
                up = self.p_created[pi] + self._lognormal_ms(40 * MIN_MS, 1.5, 20 * DAY_MS)
                if up <= now and (not self.p_deleted[pi] or up < self.p_deleted[pi]):
                    self.p_updated[pi] = up
                    self.p_version[pi] = 2 if rng.random() < 0.8 else 3
                    if rng.random() < 0.3:
                        self.p_edit_reason[pi] = rng.choice(
                            ("typo", "added version number", "clarified steps")
                        )

        # hostile markup in one ordinary-looking discussion reply
        if self._need_hostile and topic.kind == "discussion" and len(seq) >= 2 and not self.p_deleted[seq[1]]:
            pi = seq[1]
            raw = (
                "Here is our policy template: [download](javascript:alert(1))\n\n"
                '<img src="https://images.fernhill-cdn.example/x.png" onerror="alert(\'xss\')">'
            )
            ck = (
                '<p>Here is our policy template: <a href="javascript:alert(1)">download</a></p>\n'
                '<p><img src="https://images.fernhill-cdn.example/x.png" onerror="alert(\'xss\')"></p>'
            )
            self.texts.append((raw, ck))
            self.p_text[pi] = len(self.texts) - 1
            self._need_hostile = False
            self.special["hostile_post"] = pi

        # likes
        members_now = bisect_left(self.member_times, t0)
        scale = min(3.0, max(0.6, (members_now / 150.0) ** 0.35))
        for pi in seq:
            if self.p_deleted[pi] or self.p_hidden[pi]:
                continue
            num = self.p_num[pi]
            if num == 1:
                lam = {"ideas": 4.0, "announcements": 3.0, "discussion": 1.5}.get(topic.kind, 0.6)
            else:
                lam = 0.5
                if pi == topic.solution:
                    lam = 2.2
            k = self._poisson(lam * scale)
            if k == 0:
                continue
            author_id = self.p_user[pi]
            pt = self.p_created[pi]
            likers: set[int] = set()
            for _ in range(k * 2):
                if len(likers) >= k:
                    break
                lt = pt + int(rng.expovariate(1.0 / (1.5 * DAY_MS))) + MIN_MS
                if lt > now:
                    continue
                lu = self.pool_like.pick(rng, lt, author_id)
                if lu is None or lu.id in likers or (lu.id == self.spammer.id):
                    continue
                if topic.cat == 8 and not (lu.admin or lu.moderator):
                    continue
                likers.add(lu.id)
                self.l_post.append(pi)
                self.l_user.append(lu.id)
                self.l_time.append(lt)
                lu.likes_given += 1
                lu.last_like = max(lu.last_like, lt)
                lu.days.add(lt // DAY_MS)
                self.by_id[author_id].likes_received += 1
            self.p_likes[pi] = len(likers)

        # closing: solved questions and some ideas get closed by staff after a while
        last_t = self.p_created[seq[-1]]
        if topic.is_question and topic.solution >= 0:
            close_p, base = 0.3, max(last_t, topic.accepted_at)
        elif topic.kind == "ideas":
            close_p, base = 0.12, last_t
        else:
            close_p, base = 0.0, last_t
        if close_p and rng.random() < close_p:
            ct = base + self._lognormal_ms(4 * DAY_MS, 0.8, 60 * DAY_MS)
            mod = self.pool_staff.pick(rng, ct)
            if ct <= now and mod is not None:
                pi = self._add_post(ti, len(seq) + 1, mod, ct, 3, 0, 0)
                self.p_updated[pi] = ct
                seq.append(pi)
                topic.closed = True

        # the deleted topic
        if (
            self._need_deleted_topic
            and topic.kind == "discussion"
            and len(seq) >= 3
            and t0 > self.start + (now - self.start) // 3
            and not topic.closed
            and "hidden_post" in self.special
            and self.special["hidden_post"] not in seq
        ):
            self._pending_delete = ti
            self._need_deleted_topic = False

        # counters (a deleted topic keeps the counters it had before its deletion)
        pc = rc = likes = 0
        highest = 1
        last_posted = t0
        for pi in seq:
            if self.p_deleted[pi]:
                continue
            pt = self.p_type[pi]
            if pt in (1, 4):
                pc += 1
                if self.p_num[pi] > 1:
                    rc += 1
            if pt != 4:
                highest = max(highest, self.p_num[pi])
            if pt == 1:
                last_posted = max(last_posted, self.p_created[pi])
            likes += self.p_likes[pi]
            rt = self.p_reply_to[pi]
            if rt and pt == 1:
                self.p_replies[seq[rt - 1]] += 1
        topic.posts_count, topic.reply_count, topic.highest = pc, rc, highest
        topic.like_count, topic.last_posted = likes, last_posted
        topic.n_posts = len(seq)
        age_days = (now - t0) / DAY_MS
        views = int(
            (6 + 4 * pc)
            * (1 + age_days / 45) ** 0.5
            * (0.5 + rng.random())
            * (1.6 if topic.is_question else 1)
        )
        topic.views = max(views, pc)
        pop = max(1, bisect_left(self.member_times, now))
        for pi in seq:
            if self.p_type[pi] == 1:
                self.p_reads[pi] = min(pop, max(1, int(topic.views * (0.35 + 0.4 * rng.random()))))
        # per-user stats
        for pi in seq:
            if self.p_type[pi] != 1:
                continue
            u = self.by_id[self.p_user[pi]]
            u.days.add(self.p_created[pi] // DAY_MS)
            u.last_post = max(u.last_post, self.p_created[pi])
            if not self.p_deleted[pi]:
                u.posts += 1
                if self.p_created[pi] > now - 100 * DAY_MS:
                    u.recent_posts += 1
        # tags
        if topic.kind == "qa" and rng.random() < 0.45:
            topic.tags = sorted(set(rng.sample(_TAGS, 1 + int(rng.random() * 2))))
        elif topic.kind == "ideas":
            topic.tags = ["feature-request"] + (["planned"] if topic.closed else [])

    def _a_moderator(self) -> _User:
        return self.moderators[int(self.rng.random() * len(self.moderators))]

    def finish_topics(self) -> None:
        rng, now = self.rng, self.now
        ti = getattr(self, "_pending_delete", None)
        if ti is not None:
            topic = self.topics[ti]
            last = max(self.p_created[topic.first_post + k] for k in range(topic.n_posts))
            dt = min(now, last + 2 * DAY_MS)
            topic.deleted = dt
            topic.deleted_by = self._a_moderator().id
            fp = topic.first_post
            self.p_deleted[fp] = dt
            self.p_deleted_by[fp] = topic.deleted_by
            self.special["deleted_topic"] = topic.id
            # Discourse trashes the likes of deleted posts: none survive on this topic
            gone = range(fp, fp + topic.n_posts)
            keep = [i for i in range(len(self.l_post)) if self.l_post[i] not in gone]
            for i in range(len(self.l_post)):
                if self.l_post[i] in gone:
                    liker = self.by_id[self.l_user[i]]
                    liker.likes_given -= 1
                    self.by_id[self.p_user[self.l_post[i]]].likes_received -= 1
            self.l_post = array("q", (self.l_post[i] for i in keep))
            self.l_user = array("q", (self.l_user[i] for i in keep))
            self.l_time = array("q", (self.l_time[i] for i in keep))
            for pi in gone:
                self.p_likes[pi] = 0
            topic.like_count = 0
        ann = [t for t in self.topics if t.kind == "announcements" and not t.deleted]
        for t in ann[-2:]:
            t.pinned = True
        if ann:
            ann[-1].pinned_globally = True
        _ = rng

    # ------------------------------------------------------------ visits, trust, badges, groups

    def build_visits(self) -> None:
        rng, now, spec = self.rng, self.now, self.spec
        mean = {"lurker": 1.6, "occasional": 3.5, "regular": 8.0, "core": 15.0, "employee": 16.0}
        churn = {"lurker": 0.09, "occasional": 0.05, "regular": 0.02, "core": 0.01, "employee": 0.0}
        now_day = now // DAY_MS
        for u in self.users:
            days = u.days
            d0 = u.created // DAY_MS
            days.add(d0)
            m = mean[u.cls] * spec.visit_scale
            day = d0
            while day <= now_day:
                k = self._poisson(m)
                for _ in range(k):
                    d = day + int(rng.random() * 30)
                    if d <= now_day and ((d + 3) % 7 < 5 or rng.random() < 0.3):
                        days.add(d)
                day += 30
                if rng.random() < churn[u.cls]:
                    break
            for d in sorted(days):
                if d > now_day:
                    continue
                self.v_user.append(u.id)
                self.v_day.append(d)
                self.v_read.append(1 + int(rng.random() * 25))

    def build_trust(self) -> None:
        now = self.now
        super_ids = {u.id for u in self.superusers}
        for u in self.users:
            recent_days = sum(1 for d in u.days if d * DAY_MS > now - 100 * DAY_MS)
            if u.admin or u.moderator or u.id in super_ids:
                u.trust = 4
            elif (
                recent_days >= 35
                and u.recent_posts >= 10
                and u.likes_received >= 20
                and u.likes_given >= 10
                and now - u.created > 100 * DAY_MS
            ):
                u.trust = 3
            elif len(u.days) >= 12 and u.posts >= 3 and u.likes_given >= 1 and u.likes_received >= 1:
                u.trust = 2
            elif len(u.days) >= 2 or u.posts >= 1:
                u.trust = 1
            else:
                u.trust = 0

    def build_badges(self) -> None:
        rng, now = self.rng, self.now
        ub = self.user_badges
        # trust-level badges
        for u in self.users:
            prev = u.created
            tenure = now - u.created
            for lvl, bid in ((1, 1), (2, 2), (3, 3), (4, 4)):
                if u.trust < lvl:
                    break
                if lvl == 1:
                    at = u.created + int(rng.uniform(0.05, 0.2) * min(tenure, 10 * DAY_MS))
                elif lvl == 2:
                    at = u.created + int(rng.uniform(0.3, 0.7) * tenure)
                else:
                    at = now - int(rng.uniform(0.05, 0.5) * max(0, now - prev))
                at = min(now, max(prev + MIN_MS, at))
                ub.append((bid, u.id, at, -1, None))
                prev = at
        # first like given / received (Welcome), Editor (first edit), Nice/Good/Great reply
        first_given: dict[int, tuple[int, int]] = {}
        first_received: dict[int, tuple[int, int]] = {}
        for i in range(len(self.l_post)):
            pi, uid, lt = self.l_post[i], self.l_user[i], self.l_time[i]
            if uid not in first_given or lt < first_given[uid][0]:
                first_given[uid] = (lt, pi)
            author = self.p_user[pi]
            if author not in first_received or lt < first_received[author][0]:
                first_received[author] = (lt, pi)
        for uid, (lt, pi) in sorted(first_given.items()):
            ub.append((11, uid, lt, -1, pi))
        for uid, (lt, pi) in sorted(first_received.items()):
            ub.append((5, uid, lt, -1, pi))
        first_edit: dict[int, tuple[int, int]] = {}
        for pi in range(len(self.p_version)):
            if self.p_version[pi] > 1:
                uid = self.p_user[pi]
                if uid not in first_edit or self.p_updated[pi] < first_edit[uid][0]:
                    first_edit[uid] = (self.p_updated[pi], pi)
        for uid, (t, pi) in sorted(first_edit.items()):
            ub.append((10, uid, t, -1, pi))
        # like thresholds: time of the n-th like of a post
        likes_of: dict[int, list[int]] = {}
        for i in range(len(self.l_post)):
            pi = self.l_post[i]
            if self.p_likes[pi] >= 10:
                likes_of.setdefault(pi, []).append(self.l_time[i])
        for pi in sorted(likes_of):
            times = sorted(likes_of[pi])
            reply = self.p_num[pi] > 1
            for thr, bid_r, bid_t in ((10, 6, 23), (25, 7, 24), (50, 8, 25)):
                if len(times) >= thr:
                    ub.append((bid_r if reply else bid_t, self.p_user[pi], times[thr - 1], -1, pi))
        # Autobiographer: some members fill in their profile
        for u in self.users:
            if u.cls != "lurker" and rng.random() < 0.4:
                ub.append((9, u.id, min(now, u.created + int(rng.random() * 3 * DAY_MS)), -1, None))
        # Anniversary: members for a year who posted
        for u in self.users:
            if u.posts and now - u.created >= 365 * DAY_MS:
                ub.append((22, u.id, u.created + 365 * DAY_MS + int(rng.random() * DAY_MS), -1, None))
        # manual: Problem Solver (per accepted answer, some), Community Champion, Superuser
        for _ti, pi, _acc, at in self.solutions:
            if rng.random() < 0.35:
                t = at + self._followup_delay(at)
                g = self.pool_staff.pick(rng, t)
                if t <= now and g is not None:
                    ub.append((202, self.p_user[pi], t, g.id, pi))
        champions = [u for u in self.customers if u.cls == "core"][:3]
        for u in champions:
            t = self._random_time(max(u.created + 30 * DAY_MS, now - 200 * DAY_MS), now - DAY_MS)
            ub.append((203, u.id, t, self.admins[0].id, None))
        self.superuser_grants: dict[int, int] = {}
        for topic in self.topics:
            if topic.special.startswith("nomination:"):
                uid = int(topic.special.split(":")[1])
                t = min(now - DAY_MS, topic.created + int(rng.uniform(2, 7) * DAY_MS))
                ub.append((201, uid, t, self.moderators[0].id, topic.first_post))
                self.superuser_grants[uid] = t
                u = self.by_id[uid]
                if rng.random() < 0.6 or not any(x.title for x in self.superusers):
                    u.title = "Superuser"
        for u in self.staff:
            if u.admin:
                u.title = "Community Manager"

    # ------------------------------------------------------------ ground truth

    def ground_truth(self) -> dict[str, Any]:
        months = self._month_starts()
        keys = [_fmt(t)[:7] for t in months[:-1]]
        mstarts = months[:-1]

        def mkey(t: int) -> str:
            return keys[bisect_right(mstarts, t) - 1]

        per: dict[str, dict[str, Any]] = {
            k: {
                "signups": 0,
                "members_end": 0,
                "new_topics": 0,
                "new_topics_public": 0,
                "new_posts": 0,
                "new_replies": 0,
                "active_contributors": 0,
                "active_customer_contributors": 0,
                "questions_asked": 0,
                "questions_answered": 0,
                "questions_solved": 0,
                "solutions_accepted": 0,
                "ttfr_count": 0,
                "ttfr_median_s": None,
                "ttfr_p90_s": None,
                "first_responses_by_employees": 0,
                "first_responses_by_customers": 0,
                "accepted_by_employees": 0,
                "accepted_by_customers": 0,
                "likes": 0,
                "visits": 0,
                "visitors": 0,
            }
            for k in keys
        }
        for u in self.users:
            per[mkey(u.created)]["signups"] += 1
        running = 0
        for k in keys:
            running += per[k]["signups"]
            per[k]["members_end"] = running
        contributors: dict[str, set[int]] = {k: set() for k in keys}
        ttfr: dict[str, list[float]] = {k: [] for k in keys}
        restricted = {c[0] for c in _CATEGORIES if c[6]}
        tot: dict[str, Any] = {
            "topics": 0,
            "posts": 0,
            "replies": 0,
            "questions": 0,
            "questions_answered": 0,
            "solved": 0,
            "unanswered_questions": 0,
            "only_asker_replied": 0,
            "closed_topics": 0,
            "small_action_posts": 0,
            "hidden_posts": 0,
            "deleted_posts": 0,
            "deleted_topics": 0,
            "edited_posts": 0,
        }
        for topic in self.topics:
            if topic.deleted:
                tot["deleted_topics"] += 1
            tot["closed_topics"] += int(topic.closed and not topic.deleted)
            fp = topic.first_post
            seq = range(fp, fp + topic.n_posts)
            for pi in seq:
                if self.p_deleted[pi]:
                    tot["deleted_posts"] += 1
            if topic.deleted:
                continue
            mk = mkey(topic.created)
            per[mk]["new_topics"] += 1
            tot["topics"] += 1
            if topic.cat not in restricted:
                per[mk]["new_topics_public"] += 1
            first_resp = -1
            asker_replied = False
            for pi in seq:
                if self.p_type[pi] == 3:
                    tot["small_action_posts"] += 1
                if self.p_type[pi] != 1 or self.p_deleted[pi]:
                    continue
                tot["hidden_posts"] += self.p_hidden[pi]
                tot["edited_posts"] += int(self.p_version[pi] > 1)
                pk = mkey(self.p_created[pi])
                per[pk]["new_posts"] += 1
                tot["posts"] += 1
                contributors[pk].add(self.p_user[pi])
                if self.p_num[pi] > 1:
                    per[pk]["new_replies"] += 1
                    tot["replies"] += 1
                    if self.p_user[pi] != topic.user.id:
                        if first_resp < 0:
                            first_resp = pi
                    else:
                        asker_replied = True
            if not topic.is_question:
                continue
            q = per[mk]
            q["questions_asked"] += 1
            tot["questions"] += 1
            if first_resp >= 0:
                q["questions_answered"] += 1
                tot["questions_answered"] += 1
                ttfr[mk].append((self.p_created[first_resp] - topic.created) / 1000.0)
                if self.by_id[self.p_user[first_resp]].is_employee:
                    q["first_responses_by_employees"] += 1
                else:
                    q["first_responses_by_customers"] += 1
            else:
                tot["unanswered_questions"] += 1
                tot["only_asker_replied"] += int(asker_replied)
            if topic.solution >= 0:
                q["questions_solved"] += 1
                tot["solved"] += 1
                if self.by_id[self.p_user[topic.solution]].is_employee:
                    q["accepted_by_employees"] += 1
                else:
                    q["accepted_by_customers"] += 1
                per[mkey(topic.accepted_at)]["solutions_accepted"] += 1
        for k in keys:
            per[k]["active_contributors"] = len(contributors[k])
            per[k]["active_customer_contributors"] = sum(
                1 for uid in contributors[k] if not self.by_id[uid].is_employee
            )
            vals = sorted(ttfr[k])
            per[k]["ttfr_count"] = len(vals)
            if vals:
                n = len(vals)
                med = vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2
                per[k]["ttfr_median_s"] = round(med, 3)
                per[k]["ttfr_p90_s"] = vals[math.ceil(0.9 * n) - 1]
        for t in self.l_time:
            per[mkey(t)]["likes"] += 1
        visitors: dict[str, set[int]] = {k: set() for k in keys}
        for uid, d in zip(self.v_user, self.v_day):
            k = mkey(d * DAY_MS)
            per[k]["visits"] += 1
            visitors[k].add(uid)
        for k in keys:
            per[k]["visitors"] = len(visitors[k])

        companies_with = {u.company for u in self.customers if u.company is not None}
        badge_counts: dict[str, int] = {}
        bnames = {b.id: b.name for b in _BADGES}
        for b in self.user_badges:
            badge_counts[bnames[b[0]]] = badge_counts.get(bnames[b[0]], 0) + 1
        tl: dict[str, int] = {str(i): 0 for i in range(5)}
        for u in self.users:
            tl[str(u.trust)] += 1
        tot.update(
            {
                "members": len(self.users),
                "employees": len(self.employees),
                "staff": len(self.staff),
                "admins": len(self.admins),
                "moderators": len(self.moderators),
                "customers": len(self.customers),
                "customer_members_without_company": sum(1 for u in self.customers if u.company is None),
                "members_with_company_field": sum(1 for u in self.users if u.field_company),
                "customer_companies": self.vendor_idx,
                "customer_companies_with_members": len(companies_with),
                "likes": len(self.l_time),
                "user_visits": len(self.v_user),
                "solutions": len(self.solutions),
                "suspended_members": sum(1 for u in self.users if u.suspended),
                "superusers": len(self.superuser_grants),
                "trust_levels": tl,
                "badge_grants": dict(sorted(badge_counts.items())),
            }
        )
        return {
            "months": keys,
            "per_month": per,
            "totals": tot,
            "definitions": DEFINITIONS,
        }

    # ------------------------------------------------------------ run

    def run(self) -> None:
        self.progress("people")
        self.build_people()
        self.progress("planning topics")
        self.plan_topics()
        self.progress("topics and posts")
        self.build_topics()
        self.finish_topics()
        self.progress("visits, trust levels, badges")
        self.build_visits()
        self.build_trust()
        self.build_badges()
        self.progress("ground truth")
        self.truth = self.ground_truth()


class _Pool:
    """Users (sorted by signup) with cumulative weights: pick one signed up before ``t``."""

    def __init__(self, users: list[_User], weight: Callable[[_User], float]) -> None:
        self.users = users
        self.times = [u.created for u in users]
        self.cum: list[float] = []
        s = 0.0
        for u in users:
            s += weight(u)
            self.cum.append(s)

    def pick(self, rng: random.Random, t: int, exclude: int = -1) -> _User | None:
        k = bisect_left(self.times, t)
        if k == 0:
            return None
        total = self.cum[k - 1]
        if total <= 0:
            return None
        for _ in range(6):
            i = min(bisect_right(self.cum, rng.random() * total, 0, k), k - 1)
            u = self.users[i]
            if u.id != exclude:
                return u
        return None


# ---------------------------------------------------------------- badges and groups (static)

_GROUPINGS = (
    (1, "Getting Started", 1),
    (2, "Community", 2),
    (3, "Posting", 3),
    (4, "Trust Level", 4),
    (5, "Other", 5),
)

_Q_TL = "SELECT user_id, created_at granted_at FROM user_histories WHERE action = 2 AND new_value = '{n}'"
_Q_LIKES = (
    "SELECT id post_id, user_id, created_at granted_at FROM posts "
    "WHERE like_count >= {n} AND post_number {op} 1"
)
_Q_SOLVED = (
    "SELECT p.user_id, MAX(p.created_at) granted_at FROM discourse_solved_solved_topics st "
    "JOIN posts p ON p.id = st.answer_post_id GROUP BY p.user_id HAVING COUNT(*) >= {n}"
)
_Q_WELCOME = (
    "SELECT p.user_id, min(post_id) post_id, min(pa.created_at) granted_at FROM post_actions pa "
    "JOIN posts p ON p.id = pa.post_id WHERE post_action_type_id = 2 GROUP BY p.user_id"
)
_Q_FIRST_LIKE = (
    "SELECT pa1.user_id, pa1.created_at granted_at, pa1.post_id FROM post_actions pa1 "
    "WHERE pa1.post_action_type_id = 2"
)
_Q_EDITOR = (
    "SELECT p.user_id, min(p.id) post_id, min(p.created_at) granted_at FROM badge_posts p "
    "WHERE p.self_edits > 0 GROUP BY p.user_id"
)
_Q_AUTOBIO = (
    "SELECT u.id user_id, current_timestamp granted_at FROM users u "
    "JOIN user_profiles up ON up.user_id = u.id WHERE bio_raw IS NOT NULL"
)
_Q_ANNIV = (
    "SELECT u.id AS user_id, current_timestamp AS granted_at FROM users u "
    "WHERE u.created_at < now() - interval '1 year'"
)


@dataclass(frozen=True)
class _Badge:
    id: int
    name: str
    type: int  # 1 gold, 2 silver, 3 bronze
    grouping: int
    icon: str
    description: str
    query: str | None = None
    system: int = 1
    enabled: int = 1
    multiple: int = 0
    allow_title: int = 0
    trigger: int | None = None
    target_posts: int = 0


_BADGES: tuple[_Badge, ...] = (
    _Badge(
        1,
        "Basic User",
        3,
        4,
        "user",
        "Granted all essential community functions",
        _Q_TL.format(n=1),
        trigger=4,
    ),
    _Badge(
        2,
        "Member",
        3,
        4,
        "user",
        "Granted invitations, group messaging, more likes",
        _Q_TL.format(n=2),
        trigger=4,
        allow_title=1,
    ),
    _Badge(
        3,
        "Regular",
        2,
        4,
        "user",
        "Granted recategorize, rename, followed links, wiki, more likes",
        _Q_TL.format(n=3),
        trigger=4,
        allow_title=1,
    ),
    _Badge(
        4,
        "Leader",
        1,
        4,
        "user",
        "Granted global edit, pin, close, archive, split and merge",
        _Q_TL.format(n=4),
        trigger=4,
        allow_title=1,
    ),
    _Badge(5, "Welcome", 3, 2, "certificate", "Received a like", _Q_WELCOME, trigger=1, target_posts=1),
    _Badge(
        6,
        "Nice Reply",
        3,
        3,
        "reply",
        "Received 10 likes on a reply",
        _Q_LIKES.format(n=10, op=">"),
        multiple=1,
        trigger=1,
        target_posts=1,
    ),
    _Badge(
        7,
        "Good Reply",
        2,
        3,
        "reply",
        "Received 25 likes on a reply",
        _Q_LIKES.format(n=25, op=">"),
        multiple=1,
        trigger=1,
        target_posts=1,
    ),
    _Badge(
        8,
        "Great Reply",
        1,
        3,
        "reply",
        "Received 50 likes on a reply",
        _Q_LIKES.format(n=50, op=">"),
        multiple=1,
        trigger=1,
        target_posts=1,
    ),
    _Badge(9, "Autobiographer", 3, 1, "user-pen", "Filled out profile information", _Q_AUTOBIO, trigger=8),
    _Badge(10, "Editor", 3, 1, "pen", "First post edit", _Q_EDITOR, trigger=2, target_posts=1),
    _Badge(11, "First Like", 3, 1, "heart", "Liked a post", _Q_FIRST_LIKE, trigger=1, target_posts=1),
    _Badge(
        22,
        "Anniversary",
        2,
        2,
        "clock",
        "Active member for a year, posted at least once",
        _Q_ANNIV,
        multiple=1,
    ),
    _Badge(
        23,
        "Nice Topic",
        3,
        3,
        "file-lines",
        "Received 10 likes on a topic",
        _Q_LIKES.format(n=10, op="="),
        multiple=1,
        trigger=1,
        target_posts=1,
    ),
    _Badge(
        24,
        "Good Topic",
        2,
        3,
        "file-lines",
        "Received 25 likes on a topic",
        _Q_LIKES.format(n=25, op="="),
        multiple=1,
        trigger=1,
        target_posts=1,
    ),
    _Badge(
        25,
        "Great Topic",
        1,
        3,
        "file-lines",
        "Received 50 likes on a topic",
        _Q_LIKES.format(n=50, op="="),
        multiple=1,
        trigger=1,
        target_posts=1,
    ),
    _Badge(101, "Solved 1", 3, 5, "square-check", "Had an answer accepted", _Q_SOLVED.format(n=1), enabled=0),
    _Badge(
        102, "Solved 2", 2, 5, "square-check", "Had 10 answers accepted", _Q_SOLVED.format(n=10), enabled=0
    ),
    _Badge(
        103, "Solved 3", 1, 5, "square-check", "Had 50 answers accepted", _Q_SOLVED.format(n=50), enabled=0
    ),
    _Badge(
        104, "Solved 4", 1, 5, "square-check", "Had 150 answers accepted", _Q_SOLVED.format(n=150), enabled=0
    ),
    _Badge(
        201,
        "Superuser",
        1,
        5,
        "star",
        "Recognised by the community team as a superuser",
        system=0,
        allow_title=1,
        target_posts=1,  # some grants cite a post as the reason: shown, as for Problem Solver below
    ),
    # granted per accepted answer with the post as reason: it targets and shows posts, or Discourse keeps the
    # post of each grant private (user_badges_controller_spec "does not leak private info")
    _Badge(
        202,
        "Problem Solver",
        3,
        5,
        "lightbulb",
        "Solved a customer's problem",
        system=0,
        multiple=1,
        target_posts=1,
    ),
    _Badge(203, "Community Champion", 2, 5, "trophy", "Outstanding help to the community", system=0),
    _Badge(
        204,
        "Beta Tester",
        3,
        5,
        "flask",
        "Took part in the 2025 beta programme (retired)",
        system=0,
        enabled=0,
    ),
)

_GROUPS = (
    # id, name, full_name, automatic, grant_trust_level, title
    (1, "admins", None, 1, None, None),
    (2, "moderators", None, 1, None, None),
    (3, "staff", None, 1, None, None),
    (10, "trust_level_0", None, 1, None, None),
    (11, "trust_level_1", None, 1, None, None),
    (12, "trust_level_2", None, 1, None, None),
    (13, "trust_level_3", None, 1, None, None),
    (14, "trust_level_4", None, 1, None, None),
    (41, "superusers", "Superusers", 0, None, "Superuser"),
    (42, "employees", "Fernhill Employees", 0, None, "Fernhill Team"),
)


# ---------------------------------------------------------------- writing


def _secondary_indexes(con: sqlite3.Connection) -> list[str]:
    rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall()
    return [r[0] for r in rows]


def _key(seed: int, size: str, role: str, nbytes: int) -> str:
    return hashlib.sha256(f"modconsole-demo-key/{size}/{seed}/{role}".encode()).hexdigest()[: nbytes * 2]


def _write(con: sqlite3.Connection, g: _Gen) -> dict[str, int]:
    now = g.now
    ex = con.executemany
    meta = {
        "generator_version": GENERATOR_VERSION,
        "seed": g.seed,
        "size": g.size,
        "now": _fmt(now),
        "start": _fmt(g.start),
        "site_title": SITE_TITLE,
        "vendor": {"name": VENDOR_NAME, "domain": VENDOR_DOMAIN},
        "site_settings": SITE_SETTINGS,
    }
    ex(
        "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
        [(k, json.dumps(v, sort_keys=True)) for k, v in meta.items()],
    )
    ex(
        "INSERT INTO companies(id, name, domain, kind, created_at) VALUES (?, ?, ?, ?, ?)",
        [(c.id, c.name, c.domain, c.kind, _fmt(c.created)) for c in g.companies],
    )
    # one member whose trust level a moderator locked (manual_locked_trust_level); TL4 needs no lock
    locked = [u for u in g.customers if u.trust == 2 and not u.suspended]
    locked_id = locked[len(locked) // 2].id if locked else -1
    last_seen: dict[int, int] = {}
    for uid, d in zip(g.v_user, g.v_day):
        last_seen[uid] = max(last_seen.get(uid, 0), d)
    user_rows = []
    for u in g.users:
        seen = max(
            u.last_post, u.last_like, min(now, last_seen.get(u.id, 0) * DAY_MS + 17 * HOUR_MS), u.created
        )
        user_rows.append(
            (
                u.id,
                u.username,
                u.name,
                u.email,
                g.companies[u.company].id if u.company is not None else None,
                u.field_company,
                _fmt(u.created),
                _fmt(seen),
                _fmt(u.last_post) if u.last_post else None,
                u.trust,
                u.trust if u.id == locked_id else None,
                u.admin,
                u.moderator,
                u.is_employee,
                _fmt(now + 30 * DAY_MS) if u.suspended else None,
                u.title,
            )
        )
    ex(
        "INSERT INTO users(id, username, name, email, company_id, user_field_company, created_at, "
        "last_seen_at, "
        "last_posted_at, trust_level, manual_locked_trust_level, admin, moderator, is_employee, "
        "suspended_till, "
        "title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        user_rows,
    )
    ex(
        "INSERT INTO categories(id, name, slug, color, text_color, description, position, read_restricted, "
        "enable_accepted_answers, kind) VALUES (?, ?, ?, ?, 'FFFFFF', ?, ?, ?, ?, ?)",
        [(c[0], c[1], c[2], c[3], c[5], i, c[6], c[7], c[4]) for i, c in enumerate(_CATEGORIES)],
    )

    def slugify(title: str) -> str:
        out = "".join(ch.lower() if ch.isalnum() else "-" for ch in title)
        return "-".join(p for p in out.split("-") if p)[:80] or "topic"

    ex(
        "INSERT INTO topics(id, title, slug, category_id, user_id, created_at, bumped_at, last_posted_at, "
        "posts_count, reply_count, highest_post_number, views, like_count, closed, pinned, pinned_globally, "
        "tags, deleted_at, deleted_by_id, is_question) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                t.id,
                t.title,
                slugify(t.title),
                t.cat,
                t.user.id,
                _fmt(t.created),
                _fmt(t.last_posted),
                _fmt(t.last_posted),
                t.posts_count,
                t.reply_count,
                t.highest,
                t.views,
                t.like_count,
                int(t.closed),
                int(t.pinned),
                int(t.pinned_globally),
                json.dumps(t.tags),
                _fmt(t.deleted) if t.deleted else None,
                t.deleted_by,
                int(t.is_question),
            )
            for t in g.topics
        ),
    )
    # post ids follow creation time across the whole site (as in Discourse)
    n = len(g.p_topic)
    created = g.p_created
    order = sorted(range(n), key=created.__getitem__)
    pid = array("q", bytes(8 * n))
    for rank, pi in enumerate(order):
        pid[pi] = rank + 1
    topic_ids = [t.id for t in g.topics]

    def post_rows() -> Iterator[tuple[Any, ...]]:
        texts, reasons = g.texts, g.p_edit_reason
        for pi in order:
            ptype = g.p_type[pi]
            raw, cooked = texts[g.p_text[pi]]
            dl = g.p_deleted[pi]
            yield (
                pid[pi],
                topic_ids[g.p_topic[pi]],
                g.p_num[pi],
                g.p_user[pi],
                _fmt(created[pi]),
                _fmt(g.p_updated[pi]),
                raw,
                cooked,
                ptype,
                "closed.enabled" if ptype == 3 else None,
                g.p_reply_to[pi] or None,
                g.p_replies[pi],
                g.p_likes[pi],
                g.p_reads[pi],
                g.p_version[pi],
                g.p_hidden[pi],
                _fmt(dl) if dl else None,
                g.p_deleted_by[pi] or None,
                reasons.get(pi),
            )

    ex(
        "INSERT INTO posts(id, topic_id, post_number, user_id, created_at, updated_at, raw, cooked, "
        "post_type, "
        "action_code, reply_to_post_number, reply_count, like_count, reads, version, hidden, deleted_at, "
        "deleted_by_id, edit_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        post_rows(),
    )
    # likes in primary-key order (post id, user id): sort compact integer keys, not row tuples
    l_post, l_user, l_time = g.l_post, g.l_user, g.l_time
    like_order = sorted(range(len(l_post)), key=lambda i: (pid[l_post[i]] << 32) | l_user[i])
    ex(
        "INSERT INTO likes(post_id, user_id, created_at) VALUES (?, ?, ?)",
        ((pid[l_post[i]], l_user[i], _fmt(l_time[i])) for i in like_order),
    )
    ex(
        "INSERT INTO solutions(topic_id, post_id, accepter_id, accepted_at) VALUES (?, ?, ?, ?)",
        [(topic_ids[ti], pid[pi], acc, _fmt(at)) for ti, pi, acc, at in g.solutions],
    )
    ex(
        "INSERT INTO badge_groupings(id, name, description, position, system) VALUES (?, ?, NULL, ?, 1)",
        _GROUPINGS,
    )
    ex(
        "INSERT INTO badges(id, name, slug, description, badge_type_id, badge_grouping_id, icon, "
        "listable, enabled, allow_title, multiple_grant, system, query, auto_revoke, trigger, target_posts, "
        "show_posts) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                b.id,
                b.name,
                b.name.lower().replace(" ", "-"),
                b.description,
                b.type,
                b.grouping,
                b.icon,
                b.enabled,
                b.allow_title,
                b.multiple,
                b.system,
                b.query,
                int(b.query is not None),
                b.trigger,
                b.target_posts,
                b.target_posts,
            )
            for b in _BADGES
        ],
    )
    ub_sorted = sorted(g.user_badges, key=lambda b: (b[2], b[0], b[1]))
    ex(
        "INSERT INTO user_badges(id, badge_id, user_id, granted_at, granted_by_id, post_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (i + 1, b, u, _fmt(at), by, pid[pi] if pi is not None else None)
            for i, (b, u, at, by, pi) in enumerate(ub_sorted)
        ],
    )
    ex(
        "INSERT INTO groups(id, name, full_name, automatic, visibility_level, members_visibility_level, "
        "grant_trust_level, title, primary_group, public_admission, public_exit, flair_icon, bio_raw) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)",
        [
            (
                gid,
                name,
                full,
                auto,
                1 if name in ("admins", "moderators", "staff") else 0,
                0,
                gtl,
                title,
                int(name == "employees"),
                "star" if name == "superusers" else None,
                "Customers recognised for outstanding help." if name == "superusers" else None,
            )
            for gid, name, full, auto, gtl, title in _GROUPS
        ],
    )
    gu: list[tuple[int, int, int, str]] = []
    for u in g.users:
        joined = _fmt(u.created)
        if u.admin:
            gu.append((1, u.id, 0, joined))
        if u.moderator:
            gu.append((2, u.id, 0, joined))
        if u.admin or u.moderator:
            gu.append((3, u.id, 0, joined))
        for lvl in range(u.trust + 1):
            gu.append((10 + lvl, u.id, 0, joined))
        if u.id in g.superuser_grants:
            gu.append((41, u.id, 0, _fmt(g.superuser_grants[u.id])))
        if u.is_employee:
            gu.append((42, u.id, int(bool(u.admin)), joined))
    ex("INSERT INTO group_users(group_id, user_id, owner, created_at) VALUES (?, ?, ?, ?)", gu)
    ex(
        "INSERT INTO user_visits(user_id, visited_at, posts_read) VALUES (?, ?, ?)",
        ((uid, _date(d * DAY_MS), pr) for uid, d, pr in zip(g.v_user, g.v_day, g.v_read)),
    )
    # the four demo identities
    member = _demo_member(g)
    keys = [
        (_key(g.seed, g.size, "admin", 32), "admin", g.admins[0].id, None, "global", "demo:admin"),
        (
            _key(g.seed, g.size, "moderator", 16),
            "user",
            g.moderators[0].id,
            "modconsole-demo",
            "read,write",
            "demo:moderator",
        ),
        (
            _key(g.seed, g.size, "moderator2", 16),
            "user",
            g.moderators[1].id,
            "modconsole-demo-2",
            "read,write",
            "demo:moderator2",
        ),
        (
            _key(g.seed, g.size, "member", 16),
            "user",
            member.id,
            "modconsole-demo",
            "read,write",
            "demo:member",
        ),
    ]
    ex(
        "INSERT INTO api_keys(key, kind, user_id, client_id, scopes, description, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*k, _fmt(g.start + DAY_MS)) for k in keys],
    )
    truth = g.truth
    truth["totals"]["demo_member"] = member.username
    special = {
        "hidden_post_id": pid[g.special["hidden_post"]] if "hidden_post" in g.special else None,
        "hostile_post_id": pid[g.special["hostile_post"]] if "hostile_post" in g.special else None,
        "deleted_topic_id": g.special.get("deleted_topic"),
        "question_with_deleted_only_answer": g.special.get("question_with_deleted_only_answer"),
        "suspended_user_id": g.spammer.id if g.spammer.suspended else None,
        "posts_with_remote_images": g.special.get("_img", 0),
        "superuser_ids": sorted(g.superuser_grants),
        "trust_locked_user_id": locked_id if locked_id > 0 else None,
    }
    gt_rows = [(f"month:{k}", json.dumps(v, sort_keys=True)) for k, v in truth["per_month"].items()]
    gt_rows += [
        ("totals", json.dumps(truth["totals"], sort_keys=True)),
        ("definitions", json.dumps(truth["definitions"], sort_keys=True)),
        ("months", json.dumps(truth["months"])),
        ("fixtures", json.dumps(special, sort_keys=True)),
    ]
    ex("INSERT INTO ground_truth(key, value) VALUES (?, ?)", gt_rows)
    return {
        "companies": len(g.companies),
        "users": len(g.users),
        "topics": len(g.topics),
        "posts": n,
        "likes": len(g.l_time),
        "solutions": len(g.solutions),
        "user_badges": len(g.user_badges),
        "group_users": len(gu),
        "user_visits": len(g.v_user),
    }


def _demo_member(g: _Gen) -> _User:
    cands = [
        u
        for u in g.customers
        if not u.suspended
        and u.cls in ("occasional", "regular")
        and u.posts >= 3
        and u.trust >= 1
        and u.company is not None
    ]
    if not cands:
        cands = [u for u in g.customers if not u.suspended and u.posts >= 1]
    return sorted(cands, key=lambda u: (-u.posts, u.id))[len(cands) // 3]


# ---------------------------------------------------------------- public API


def generate(
    path: str | Path,
    *,
    size: str = "tiny",
    seed: int = 1,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> GenerationResult:
    """Create the demo community at ``path`` (which must not exist) and return what was written.

    ``size`` is one of ``SIZES``; ``now`` (default ``DEFAULT_NOW``; naive = UTC) is the instant the
    community is frozen at: nothing is dated later, except ``users.suspended_till``. The file is built
    under a temporary name beside ``path`` and renamed when complete, in WAL mode. ``progress``
    receives short phase messages. ``GenerationResult.counts`` holds rows written per table.
    Raises ``FileExistsError`` if ``path`` exists, ``ValueError`` for an unknown size.
    """
    if size not in _SPECS:
        raise ValueError(f"unknown size {size!r}; expected one of {', '.join(SIZES)}")
    path = Path(path)
    if path.exists():
        raise FileExistsError(str(path))
    now = now or DEFAULT_NOW
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    now = now.replace(microsecond=(now.microsecond // 1000) * 1000)
    started = time.perf_counter()
    g = _Gen(size, seed, now, progress)
    g.run()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part-{os.getpid()}")
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    con = sqlite3.connect(str(tmp), isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-65536")
        store.create_schema(con)
        for name in _secondary_indexes(con):
            if not name.startswith("sqlite_autoindex"):
                con.execute(f"DROP INDEX {name}")
        g.progress("writing")
        con.execute("BEGIN")
        counts = _write(con, g)
        counts["reviewables"] = routes_review.seed(con, seed=seed, now=now)  # flags + a queued post
        con.execute("COMMIT")
        g.progress("indexing")
        con.executescript(store.DDL)  # re-creates the secondary indexes (IF NOT EXISTS)
        con.execute("ANALYZE")
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()
    if path.exists():
        Path(tmp).unlink(missing_ok=True)
        raise FileExistsError(str(path))
    os.replace(tmp, path)
    return GenerationResult(path, size, seed, now, counts, time.perf_counter() - started)


def read_ground_truth(path_or_con: str | Path | sqlite3.Connection) -> dict[str, Any]:
    """The ``ground_truth`` table as a dict.

    Keys: ``'month:YYYY-MM'`` (per-month figures), ``'months'``, ``'totals'``, ``'definitions'``,
    ``'fixtures'`` (ids of the special cases: hidden post, hostile markup, deleted topic, …).
    """
    if isinstance(path_or_con, sqlite3.Connection):
        rows: Iterable[Any] = path_or_con.execute(
            "SELECT key, value FROM ground_truth ORDER BY key"
        ).fetchall()
        return {r[0]: json.loads(r[1]) for r in rows}
    con = sqlite3.connect(f"file:{Path(path_or_con).as_posix()}?mode=ro", uri=True)
    try:
        return read_ground_truth(con)
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m modconsole.demo.generator OUT.sqlite3 [--size S] [--seed N]``: write a community file."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m modconsole.demo.generator", description=main.__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    res = generate(args.out, size=args.size, seed=args.seed, progress=lambda m: print(m, flush=True))
    print(json.dumps({"path": str(res.path), "seconds": round(res.seconds, 3), **res.counts}))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
