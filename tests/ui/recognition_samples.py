"""Sample rows for the recognition table models (shared by the model tests and the refcount guard)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel

from modconsole.services.recognition import BadgeInfo, Grantee, MemberHit, PreviewRow, ReportRow
from modconsole.services.superusers import COMPONENTS, Candidate, Component, Nomination, RenewalRow
from ui.recognition.models import (
    BadgeModel,
    BreakdownModel,
    CandidateModel,
    GranteeModel,
    MemberModel,
    NominationModel,
    PreviewModel,
    RenewalModel,
    ReportModel,
)


def _components(i: int) -> tuple[Component, ...]:
    return tuple(Component(k, float(i + j), 0.1 * j, 1.0 + j, 2.0 * j) for j, k in enumerate(COMPONENTS))


def badge_model() -> BadgeModel:
    return BadgeModel(
        [
            BadgeInfo(
                i,
                f"Badge {i}",
                ("gold", "silver", "bronze")[i % 3],
                "about",
                i * 3,
                i % 2 == 0,
                i % 4 != 3,
                i % 5 == 0,
                False,
                i % 2,
            )
            for i in range(12)
        ]
    )


def grantee_model() -> GranteeModel:
    return GranteeModel(
        [
            Grantee(
                i,
                f"user{i}",
                f"User {i}",
                "2026-10-01T00:00:00.000Z",
                "mod",
                None if i % 2 else "https://x/t/a/1/2",
                "award queued" if i == 3 else None,
            )
            for i in range(8)
        ]
    )


def member_model() -> MemberModel:
    return MemberModel(
        [
            MemberHit(i, f"user{i}", f"User {i}", f"u{i}@acme.example", "Acme", i % 5 if i else None)
            for i in range(8)
        ]
    )


def preview_model() -> PreviewModel:
    outcomes = ("grant", "holds", "not_found", "not_allowed", "duplicate")
    return PreviewModel(
        [
            PreviewRow(
                f"user{i}",
                i if i % 2 else None,
                i if i % 5 != 2 else None,
                f"user{i}" if i % 5 != 2 else None,
                "",
                outcomes[i % 5],
                "detail",
            )  # type: ignore[arg-type]
            for i in range(10)
        ]
    )


def report_model() -> ReportModel:
    results = ("granted", "already held", "queued", "conflict", "not allowed")
    return ReportModel(
        [ReportRow(i if i % 3 else None, f"user{i}", results[i % 5], "detail") for i in range(10)]
    )


def candidate_model() -> CandidateModel:
    return CandidateModel(
        [
            Candidate(
                i,
                f"user{i}",
                f"User {i}",
                "Acme",
                2,
                90.0 - i,
                _components(i),
                "2026-10-01T00:00:00.000Z",
                i == 2,
            )
            for i in range(8)
        ]
    )


def breakdown_model() -> BreakdownModel:
    return BreakdownModel(list(_components(3)))


def nomination_model() -> NominationModel:
    states = ("open", "approved", "declined", "queued")
    return NominationModel(
        [
            Nomination(
                i if i % 4 != 3 else None,
                None,
                f"Superuser nomination: @user{i}",
                i,
                f"user{i}",
                50.0 + i,
                {"months": 12},
                {},
                "note",
                "mod",
                "2026-10-01T00:00:00.000Z",
                i,
                i % 3,
                i == 1,
                states[i % 4],
                "second queued" if i == 2 else None,
                None,
            )
            for i in range(8)
        ]
    )


def renewal_model() -> RenewalModel:
    return RenewalModel(
        [
            RenewalRow(
                i,
                f"user{i}",
                f"User {i}",
                "2026-01-01T00:00:00.000Z" if i else "",
                9.5 if i else None,
                "2025-06-01T00:00:00.000Z",
            )
            for i in range(6)
        ]
    )


RECOGNITION_MODEL_FACTORIES: list[tuple[str, Callable[[], QAbstractTableModel]]] = [
    ("recognition-badges", badge_model),
    ("recognition-grantees", grantee_model),
    ("recognition-members", member_model),
    ("recognition-bulk-preview", preview_model),
    ("recognition-bulk-report", report_model),
    ("recognition-candidates", candidate_model),
    ("recognition-breakdown", breakdown_model),
    ("recognition-nominations", nomination_model),
    ("recognition-renewal", renewal_model),
]
