"""Admin reports (CONTRACT §7)."""

from __future__ import annotations

from datetime import date
from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import Report, parse_report

CHART_REPORTS = (
    "signups",
    "topics",
    "posts",
    "likes",
    "daily_engaged_users",
    "dau_by_mau",
    "time_to_first_response",
    "topics_with_no_response",
    "accepted_solutions",
    "visits",
)


def report(
    client: ApiClient,
    report_type: str,
    start_date: date,
    end_date: date,
    *,
    category_id: int | None = None,
    include_subcategories: bool = False,
    group_id: int | None = None,
    cancel: CancelLike | None = None,
) -> Report:
    """``GET /admin/reports/{type}.json`` with both dates (the server default is not what you want)."""
    if end_date < start_date:
        raise ValueError("end_date is before start_date")
    params: dict[str, Any] = {"start_date": start_date.isoformat(), "end_date": end_date.isoformat()}
    if category_id is not None:
        params["filters[category]"] = int(category_id)
        if include_subcategories:
            params["filters[include_subcategories]"] = "true"
    if group_id is not None:
        params["filters[group]"] = int(group_id)
    route = ep.report(report_type)
    return parse_report(client.get_json(route.path, params, cancel=cancel), route.label)
