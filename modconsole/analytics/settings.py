"""Analytics settings (who counts as an employee, impact assumptions), stored in the cache.

They live in the settings registry (:data:`ANALYTICS` below, in the cache) because
they change what the figures of *this* community mean, and travel with its cache file. The SLA
calendar is the one the queue uses (:data:`modconsole.settings.SLA`) so both agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, text

from modconsole import settings as registry
from modconsole.emails import company_domain
from modconsole.errors import InvalidInput
from modconsole.i18n import QT_TRANSLATE_NOOP, Msg
from modconsole.services.sla import SlaSettings

__all__ = [
    "AnalyticsSettings",
    "EmployeeRule",
    "employee_ids",
    "group_choices",
    "load_settings",
    "load_sla",
    "save_settings",
]

DEFAULT_DEFLECTION_RATE = 0.05
DEFAULT_COST_PER_TICKET = 25.0


def _norm(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({v.strip().lower().lstrip("@") for v in values if v and v.strip()}))


@dataclass(frozen=True)
class EmployeeRule:
    """Who is an employee of the vendor (not a customer), for questions and peer-to-peer figures.

    A member is an employee when any of these holds: ``staff`` is on and they are an admin or a
    moderator; their e-mail domain is in ``domains``; ``staff_domains`` is on and their e-mail domain
    is that of an admin or moderator (free-mail domains never count); their username is in
    ``usernames``; they belong to one of ``groups`` (group names).
    """

    staff: bool = True
    staff_domains: bool = True
    domains: tuple[str, ...] = ()
    usernames: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "domains", _norm(self.domains))
        object.__setattr__(self, "usernames", _norm(self.usernames))
        object.__setattr__(self, "groups", _norm(self.groups))

    def describe(self) -> str:
        """The rule in words (a :class:`~modconsole.i18n.Msg`: the UI shows it translated)."""
        parts: list[str] = []
        if self.staff:
            parts.append(QT_TRANSLATE_NOOP("core", "admins and moderators"))
        if self.staff_domains:
            parts.append(QT_TRANSLATE_NOOP("core", "members sharing a staff e-mail domain"))
        if self.domains:
            parts.append(
                Msg(QT_TRANSLATE_NOOP("core", "e-mail domains {list}"), list=", ".join(self.domains))
            )
        if self.groups:
            parts.append(Msg(QT_TRANSLATE_NOOP("core", "groups {list}"), list=", ".join(self.groups)))
        if self.usernames:
            parts.append(Msg(QT_TRANSLATE_NOOP("core", "{n} named members"), n=len(self.usernames)))
        if not parts:
            return QT_TRANSLATE_NOOP("core", "nobody")
        text = parts[0]
        for part in parts[1:]:
            text = Msg(QT_TRANSLATE_NOOP("core", "{first}; {second}"), first=text, second=part)
        return text


@dataclass(frozen=True)
class AnalyticsSettings:
    employees: EmployeeRule = field(default_factory=EmployeeRule)
    deflection_rate: float = DEFAULT_DEFLECTION_RATE
    """Share of a solved question's views that would otherwise have become a ticket."""
    cost_per_ticket: float = DEFAULT_COST_PER_TICKET
    currency: str = "USD"
    company_field: str | None = None
    """Key of the user field holding the company name (matched to customer account names)."""
    sla: SlaSettings = field(default_factory=SlaSettings)

    def __post_init__(self) -> None:
        if not 0 <= self.deflection_rate <= 1:
            raise InvalidInput("The deflection rate must be between 0 and 100 %.")
        if self.cost_per_ticket < 0:
            raise InvalidInput("The cost per ticket cannot be negative.")

    def with_employees(self, **changes: Any) -> AnalyticsSettings:
        return replace(self, employees=replace(self.employees, **changes))

    def to_dict(self) -> dict[str, Any]:
        e = self.employees
        return {
            "employees": {
                "staff": e.staff,
                "staff_domains": e.staff_domains,
                "domains": list(e.domains),
                "usernames": list(e.usernames),
                "groups": list(e.groups),
            },
            "deflection_rate": self.deflection_rate,
            "cost_per_ticket": self.cost_per_ticket,
            "currency": self.currency,
            "company_field": self.company_field,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], sla: SlaSettings | None = None) -> AnalyticsSettings:
        e = data.get("employees") or {}
        return cls(
            employees=EmployeeRule(
                staff=bool(e.get("staff", True)),
                staff_domains=bool(e.get("staff_domains", True)),
                domains=tuple(str(x) for x in e.get("domains", ())),
                usernames=tuple(str(x) for x in e.get("usernames", ())),
                groups=tuple(str(x) for x in e.get("groups", ())),
            ),
            deflection_rate=float(data.get("deflection_rate", DEFAULT_DEFLECTION_RATE)),
            cost_per_ticket=float(data.get("cost_per_ticket", DEFAULT_COST_PER_TICKET)),
            currency=str(data.get("currency", "USD")),
            company_field=data.get("company_field"),
            sla=sla or SlaSettings(),
        )


def load_sla(conn: Connection) -> SlaSettings:
    """The SLA calendar (the one the queue uses): :data:`modconsole.settings.SLA`."""
    return registry.get(conn, registry.SLA)


def load_settings(conn: Connection) -> AnalyticsSettings:
    """The stored settings, defaults for anything missing or unreadable."""
    return replace(registry.get(conn, ANALYTICS), sla=load_sla(conn))


def save_settings(conn: Connection, settings: AnalyticsSettings) -> None:
    """Store the analytics settings (the SLA calendar is saved by whoever edits it, key ``sla``)."""
    registry.put(conn, ANALYTICS, settings)


def employee_ids(conn: Connection, rule: EmployeeRule) -> frozenset[int]:
    """Ids of the cached members who are employees under ``rule`` (one query, evaluated in SQLite)."""
    domains = set(rule.domains)
    if rule.staff_domains:
        for (email,) in conn.execute(
            text("SELECT email FROM users WHERE (admin = 1 OR moderator = 1) AND email IS NOT NULL")
        ):
            d = company_domain(email)  # free mail makes nobody an employee
            if d is not None:
                domains.add(d)
    rows = conn.execute(
        text(
            "SELECT id FROM users WHERE gone_since IS NULL AND ("
            "(:staff AND (admin = 1 OR moderator = 1)) "
            "OR lower(substr(email, instr(email, '@') + 1)) IN (SELECT value FROM json_each(:domains)) "
            "OR lower(username) IN (SELECT value FROM json_each(:names)))"
        ),
        {
            "staff": 1 if rule.staff else 0,
            "domains": json.dumps(sorted(domains)),
            "names": json.dumps(list(rule.usernames)),
        },
    )
    out = {int(r[0]) for r in rows}
    if rule.groups:
        rows = conn.execute(
            text(
                "SELECT gm.user_id FROM group_members gm JOIN groups g ON g.id = gm.group_id "
                "WHERE lower(g.name) IN (SELECT value FROM json_each(:g)) AND gm.gone_since IS NULL"
            ),
            {"g": json.dumps(list(rule.groups))},
        )
        out.update(int(r[0]) for r in rows)
    return frozenset(out)


def _decode(value: Any) -> AnalyticsSettings:
    return AnalyticsSettings.from_dict(registry.json_object(value, "analytics settings"))


def _encode(value: AnalyticsSettings) -> Any:
    return value.to_dict()


ANALYTICS: registry.Key[AnalyticsSettings] = registry.key(
    "analytics",
    "Who counts as an employee, the ticket-deflection assumptions and the company user field "
    "(dashboard figures).",
    AnalyticsSettings,
    _decode,
    _encode,
)


def group_choices(conn: Connection) -> list[tuple[str, int | None, bool]]:
    """The community's groups a lead can pick as employees: (name, members, automatic), the
    groups Discourse manages itself (trust levels, staff) first, then by name."""
    rows = conn.execute(
        text(
            "SELECT name, user_count, automatic FROM groups WHERE gone_since IS NULL "
            "ORDER BY automatic, lower(name)"
        )
    ).all()
    return [(str(n), c, bool(a)) for n, c, a in rows]
