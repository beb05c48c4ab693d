"""The KPI registry: what each figure means, in words a community lead can check.

Every KPI the app shows has one :class:`KpiDef` here: an id, a title, a unit, whether higher is
better and the definition text shown in the app (tooltips, the report). The texts are part of the
contract: when a definition changes, bump :data:`DEFINITIONS_VERSION`, so frozen monthly snapshots
taken under the old wording are recognisable as such (``kpi_snapshots.definitions_version``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from modconsole.i18n import QT_TRANSLATE_NOOP

__all__ = [
    "CHANGE_RULE",
    "DEFINITIONS_VERSION",
    "GROUPS",
    "KPIS",
    "Group",
    "KpiDef",
    "Unit",
    "format_duration_s",
    "format_value",
    "kpi",
    "kpis_in",
]

DEFINITIONS_VERSION = 1
"""Bump when any definition below changes meaning (snapshots record the version they used)."""

CHANGE_RULE = (  # how a tile and the report word a change vs the previous period
    QT_TRANSLATE_NOOP(
        "core",
        "Change: against the same-length period just before. When that period had none (0), the change "
        "reads “new”. When it had a small count (under 20) or the value grew tenfold or more, the change "
        "reads as a multiple with the base shown, e.g. “▲ 3.5× (from 2)”, because a percentage of a tiny "
        "base (“▲ 21950 %”) says nothing. A period still running (so far) is compared with a previous "
        "period of the same length.",
    )
)


Unit = Literal["count", "percent", "seconds", "ratio", "money", "score"]
Group = Literal["growth", "engagement", "support", "impact", "server"]
Aggregate = Literal["sum", "last", "rate", "mean", "median", "p90"]

GROUPS: dict[str, str] = {
    "growth": QT_TRANSLATE_NOOP("core", "Growth"),
    "engagement": QT_TRANSLATE_NOOP("core", "Engagement"),
    "support": QT_TRANSLATE_NOOP("core", "Support health"),
    "impact": QT_TRANSLATE_NOOP("core", "Company impact"),
    "server": QT_TRANSLATE_NOOP("core", "Logins and sessions (server-reported)"),
}

_COMMON = QT_TRANSLATE_NOOP(
    "core",
    "Times are UTC. A post counts when it is a regular post (not a small action or whisper), not "
    "deleted, in a topic that is not deleted; hidden posts count. A question is a topic in a category "
    "that accepts solutions, opened by someone who is not an employee (see Settings → Employees).",
)


@dataclass(frozen=True)
class KpiDef:
    id: str
    title: str
    unit: Unit
    group: Group
    definition: str
    higher_is_better: bool = True
    tile: bool = True
    """Shown as a dashboard tile (components such as 'questions answered' are not)."""
    server_reported: bool = False
    """Taken from the site's /admin/reports series (needs a staff key), not from the cache."""

    def tooltip(self) -> str:
        src = " (server-reported)" if self.server_reported else ""
        better = "Higher is better." if self.higher_is_better else "Lower is better."
        return f"{self.title}{src}\n\n{self.definition}\n\n{better}\n\n{CHANGE_RULE}"


def _d(
    id: str,
    title: str,
    unit: Unit,
    group: Group,
    definition: str,
    *,
    higher: bool = True,
    tile: bool = True,
    server: bool = False,
) -> KpiDef:
    return KpiDef(id, title, unit, group, definition, higher, tile, server)


KPIS: tuple[KpiDef, ...] = (
    # ------------------------------------------------------------ growth
    _d(
        "signups",
        QT_TRANSLATE_NOOP("core", "New members"),
        "count",
        "growth",
        QT_TRANSLATE_NOOP("core", "Accounts created in the period (employees included)."),
    ),
    _d(
        "members_total",
        QT_TRANSLATE_NOOP("core", "Members"),
        "count",
        "growth",
        QT_TRANSLATE_NOOP("core", "Accounts created before the end of the period (employees included)."),
    ),
    _d(
        "attach_rate",
        QT_TRANSLATE_NOOP("core", "Attach rate"),
        "percent",
        "growth",
        QT_TRANSLATE_NOOP(
            "core",
            "Customer companies with at least one member ÷ customer companies, at the end of the period. "
            "Customer companies are the accounts imported from CSV (Settings → Customer accounts). A member "
            "belongs to an account when their e-mail domain is one of its domains, or their company user "
            "field equals its name.",
        ),
    ),
    _d(
        "new_topics",
        QT_TRANSLATE_NOOP("core", "New topics"),
        "count",
        "growth",
        QT_TRANSLATE_NOOP("core", "Topics created in the period that are not deleted."),
    ),
    _d(
        "new_replies",
        QT_TRANSLATE_NOOP("core", "New replies"),
        "count",
        "growth",
        QT_TRANSLATE_NOOP(
            "core", "Counted posts other than the first post of their topic, created in the period."
        ),
    ),
    _d(
        "new_posts",
        QT_TRANSLATE_NOOP("core", "New posts"),
        "count",
        "growth",
        QT_TRANSLATE_NOOP("core", "Counted posts (first posts and replies) created in the period."),
        tile=False,
    ),
    # ------------------------------------------------------------ engagement
    _d(
        "active_contributors",
        QT_TRANSLATE_NOOP("core", "Active contributors"),
        "count",
        "engagement",
        QT_TRANSLATE_NOOP(
            "core", "Distinct members with at least one counted post (topic or reply) created in the period."
        ),
    ),
    _d(
        "active_customer_contributors",
        QT_TRANSLATE_NOOP("core", "Active customer contributors"),
        "count",
        "engagement",
        QT_TRANSLATE_NOOP("core", "Active contributors who are not employees."),
        tile=False,
    ),
    _d(
        "active_contributors_pct",
        QT_TRANSLATE_NOOP("core", "Monthly active contributors"),
        "percent",
        "engagement",
        QT_TRANSLATE_NOOP("core", "Active contributors ÷ members at the end of the period, in percent."),
    ),
    _d(
        "posts_per_active",
        QT_TRANSLATE_NOOP("core", "Posts per active member"),
        "ratio",
        "engagement",
        QT_TRANSLATE_NOOP("core", "New posts ÷ active contributors in the period."),
    ),
    _d(
        "likes",
        QT_TRANSLATE_NOOP("core", "Likes"),
        "count",
        "engagement",
        QT_TRANSLATE_NOOP(
            "core", "Likes given in the period (the site's 'likes' report: likes by the day they were given)."
        ),
        server=True,
    ),
    # ------------------------------------------------------------ support health
    _d(
        "questions_asked",
        QT_TRANSLATE_NOOP("core", "Questions asked"),
        "count",
        "support",
        QT_TRANSLATE_NOOP("core", "Questions created in the period."),
    ),
    _d(
        "questions_answered",
        QT_TRANSLATE_NOOP("core", "Questions answered"),
        "count",
        "support",
        QT_TRANSLATE_NOOP(
            "core",
            "Questions asked in the period that have a response now. A response is a counted reply by "
            "someone other than the asker.",
        ),
        tile=False,
    ),
    _d(
        "questions_solved",
        QT_TRANSLATE_NOOP("core", "Questions solved"),
        "count",
        "support",
        QT_TRANSLATE_NOOP("core", "Questions asked in the period that have an accepted answer now."),
        tile=False,
    ),
    _d(
        "answer_rate",
        QT_TRANSLATE_NOOP("core", "Answer rate"),
        "percent",
        "support",
        QT_TRANSLATE_NOOP(
            "core", "Questions asked in the period that have a response now ÷ questions asked, in percent."
        ),
    ),
    _d(
        "solution_rate",
        QT_TRANSLATE_NOOP("core", "Solution rate"),
        "percent",
        "support",
        QT_TRANSLATE_NOOP(
            "core",
            "Questions asked in the period that have an accepted answer now ÷ questions asked, in percent.",
        ),
    ),
    _d(
        "ttfr_median",
        QT_TRANSLATE_NOOP("core", "Median time to first response"),
        "seconds",
        "support",
        QT_TRANSLATE_NOOP(
            "core",
            "Over questions asked in the period that have a response: the median of (first response "
            "− question) "
            "wall-clock time; the first response is the earliest response (ties: lowest post "
            "number). With an "
            "even count, the mean of the two middle values.",
        ),
        higher=False,
    ),
    _d(
        "ttfr_p90",
        QT_TRANSLATE_NOOP("core", "90th percentile time to first response"),
        "seconds",
        "support",
        QT_TRANSLATE_NOOP(
            "core", "Nearest-rank 90th percentile (the ⌈0.9·n⌉-th smallest) of the same times as the median."
        ),
        higher=False,
    ),
    _d(
        "ttfr_count",
        QT_TRANSLATE_NOOP("core", "Questions with a first response"),
        "count",
        "support",
        QT_TRANSLATE_NOOP("core", "The n of the time-to-first-response figures."),
        tile=False,
    ),
    _d(
        "tts_median",
        QT_TRANSLATE_NOOP("core", "Median time to solution"),
        "seconds",
        "support",
        QT_TRANSLATE_NOOP(
            "core",
            "Over questions asked in the period that are solved: the median of (accepted answer posted − "
            "question) wall-clock time; the acceptance time itself is used when the site reports it.",
        ),
        higher=False,
    ),
    _d(
        "tts_p90",
        QT_TRANSLATE_NOOP("core", "90th percentile time to solution"),
        "seconds",
        "support",
        QT_TRANSLATE_NOOP(
            "core", "Nearest-rank 90th percentile of the same times as the median time to solution."
        ),
        higher=False,
    ),
    _d(
        "unanswered_backlog",
        QT_TRANSLATE_NOOP("core", "Unanswered backlog"),
        "count",
        "support",
        QT_TRANSLATE_NOOP(
            "core",
            "Questions without any response at the end of the period (asked at any time before it; closed or "
            "not). A question whose only other reply was deleted is unanswered.",
        ),
        higher=False,
    ),
    _d(
        "sla_attainment",
        QT_TRANSLATE_NOOP("core", "SLA attainment"),
        "percent",
        "support",
        QT_TRANSLATE_NOOP(
            "core",
            "Of the questions asked in the period whose first-response clock has stopped or run "
            "out: the share "
            "answered within the target in business hours (Settings → SLA: working days, hours, time zone, "
            "holidays, per-category targets). Questions still within their target are left out.",
        ),
    ),
    _d(
        "p2p_first_response",
        QT_TRANSLATE_NOOP("core", "Peer-to-peer first responses"),
        "percent",
        "support",
        QT_TRANSLATE_NOOP(
            "core",
            "Of the questions asked in the period that have a first response: the share whose first "
            "responder "
            "is not an employee.",
        ),
    ),
    _d(
        "p2p_accepted",
        QT_TRANSLATE_NOOP("core", "Peer-to-peer solutions"),
        "percent",
        "support",
        QT_TRANSLATE_NOOP(
            "core",
            "Of the questions asked in the period that are solved: the share whose accepted answer "
            "was written "
            "by someone who is not an employee.",
        ),
    ),
    _d(
        "first_responses_by_customers",
        QT_TRANSLATE_NOOP("core", "First responses by customers"),
        "count",
        "support",
        QT_TRANSLATE_NOOP("core", "Questions asked in the period whose first responder is not an employee."),
        tile=False,
    ),
    _d(
        "first_responses_by_employees",
        QT_TRANSLATE_NOOP("core", "First responses by employees"),
        "count",
        "support",
        QT_TRANSLATE_NOOP("core", "Questions asked in the period whose first responder is an employee."),
        tile=False,
    ),
    _d(
        "accepted_by_customers",
        QT_TRANSLATE_NOOP("core", "Solutions by customers"),
        "count",
        "support",
        QT_TRANSLATE_NOOP(
            "core",
            "Solved questions asked in the period whose accepted answer is by someone who is not an "
            "employee.",
        ),
        tile=False,
    ),
    _d(
        "accepted_by_employees",
        QT_TRANSLATE_NOOP("core", "Solutions by employees"),
        "count",
        "support",
        QT_TRANSLATE_NOOP(
            "core", "Solved questions asked in the period whose accepted answer is by an employee."
        ),
        tile=False,
    ),
    # ------------------------------------------------------------ company impact
    _d(
        "deflected_tickets",
        QT_TRANSLATE_NOOP("core", "Tickets deflected (estimate)"),
        "count",
        "impact",
        QT_TRANSLATE_NOOP(
            "core",
            "Views of the solved questions asked in the period × the deflection rate (Settings → Impact; "
            "default 5 % of views would otherwise have become a support ticket). An estimate, not a count.",
        ),
    ),
    _d(
        "deflection_savings",
        QT_TRANSLATE_NOOP("core", "Support cost avoided (estimate)"),
        "money",
        "impact",
        QT_TRANSLATE_NOOP("core", "Tickets deflected × cost per ticket (Settings → Impact; default 25.00)."),
    ),
    _d(
        "csat",
        QT_TRANSLATE_NOOP("core", "CSAT"),
        "percent",
        "impact",
        QT_TRANSLATE_NOOP(
            "core",
            "Share of survey answers in the period scoring 4 or 5 on the 1–5 satisfaction scale "
            "(imported survey "
            "CSV). Empty when no survey was imported.",
        ),
    ),
    _d(
        "effort",
        QT_TRANSLATE_NOOP("core", "Customer effort"),
        "score",
        "impact",
        QT_TRANSLATE_NOOP(
            "core",
            "Mean effort score (1 = very easy … 7 = very hard) of survey answers in the period "
            "(imported survey "
            "CSV).",
        ),
        higher=False,
    ),
    # ------------------------------------------------------------ server reported
    _d(
        "solutions_accepted",
        QT_TRANSLATE_NOOP("core", "Solutions accepted"),
        "count",
        "server",
        QT_TRANSLATE_NOOP(
            "core",
            "Answers accepted as the solution in the period, by the day of acceptance (the site's "
            "'accepted_solutions' report).",
        ),
        server=True,
        tile=False,
    ),
    _d(
        "daily_engaged_users",
        QT_TRANSLATE_NOOP("core", "Daily engaged users"),
        "count",
        "server",
        QT_TRANSLATE_NOOP(
            "core",
            "Average per day of the members who posted or liked that day (the site's 'daily_engaged_users').",
        ),
        server=True,
    ),
    _d(
        "dau_by_mau",
        QT_TRANSLATE_NOOP("core", "DAU / MAU"),
        "percent",
        "server",
        QT_TRANSLATE_NOOP(
            "core",
            "Average per day of daily visitors ÷ visitors of the preceding 30 days (the site's "
            "'dau_by_mau').",
        ),
        server=True,
    ),
    _d(
        "visits",
        QT_TRANSLATE_NOOP("core", "Visits"),
        "count",
        "server",
        QT_TRANSLATE_NOOP(
            "core",
            "Member-days with a visit in the period (the site's 'visits' report: one per member and day).",
        ),
        server=True,
    ),
)

_BY_ID = {k.id: k for k in KPIS}


def kpi(kpi_id: str) -> KpiDef:
    """The definition of ``kpi_id``; ``KeyError`` for an unknown id."""
    return _BY_ID[kpi_id]


def kpis_in(group: str) -> tuple[KpiDef, ...]:
    return tuple(k for k in KPIS if k.group == group)


COMMON_DEFINITIONS = _COMMON


# ---------------------------------------------------------------- reading a value


def format_duration_s(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def format_value(kpi_id: str, value: float | None, *, currency: str = "USD") -> str:
    """A value as a lead reads it: '1,234', '42.0 %', '3.5 h', '$1,250'."""
    if value is None:
        return "—"
    unit = kpi(kpi_id).unit
    if unit == "percent":
        return f"{value:.1f} %"
    if unit == "seconds":
        return format_duration_s(value)
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "score":
        return f"{value:.2f}"
    if unit == "money":
        sym = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
        return f"{sym}{value:,.0f}" if sym else f"{value:,.0f} {currency}"
    if float(value).is_integer() or abs(value) >= 100:
        return f"{round(value):,}"
    return f"{value:,.1f}"
