"""The drill-down value a chart selection produces, for the queue or the members list to open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["DrillFilter"]

DrillTarget = Literal["questions", "members"]
QuestionState = Literal["all", "unanswered", "answered", "unsolved", "solved"]


@dataclass(frozen=True)
class DrillFilter:
    """What to open: questions (queue) or members, narrowed by time, category and company.

    ``created_from``/``created_to`` bound the question's (or member's) creation time, ISO-8601 UTC,
    ``[from, to)``; ``None`` means open-ended. ``open_at`` asks for questions still without a
    response at that instant (the backlog chart). Empty id sets mean "any".
    """

    target: DrillTarget
    label: str
    created_from: str | None = None
    created_to: str | None = None
    state: QuestionState = "all"
    open_at: str | None = None
    category_ids: frozenset[int] = field(default_factory=frozenset)
    company_ids: frozenset[int] = field(default_factory=frozenset)
    active_only: bool = False  # members: only those who posted in the window

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "label": self.label,
            "created_from": self.created_from,
            "created_to": self.created_to,
            "state": self.state,
            "open_at": self.open_at,
            "category_ids": sorted(self.category_ids),
            "company_ids": sorted(self.company_ids),
            "active_only": self.active_only,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DrillFilter:
        return cls(
            target=data["target"],
            label=str(data.get("label", "")),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            state=data.get("state", "all"),
            open_at=data.get("open_at"),
            category_ids=frozenset(int(x) for x in data.get("category_ids", ())),
            company_ids=frozenset(int(x) for x in data.get("company_ids", ())),
            active_only=bool(data.get("active_only", False)),
        )

    def queue_states(self) -> frozenset[str]:
        """The matching ``modconsole.services.triage.QueueState`` values (strings, empty = any)."""
        return {
            "all": frozenset(),
            "unanswered": frozenset({"no_reply", "asker_only"}),
            "answered": frozenset({"awaiting", "replied", "solved"}),
            "unsolved": frozenset({"no_reply", "asker_only", "awaiting", "replied"}),
            "solved": frozenset({"solved"}),
        }[self.state]
