"""discourse-solved endpoints (CONTRACT §4). Both response shapes are parsed."""

from __future__ import annotations

from modconsole.api.client import ApiClient, Attempt
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import SolutionResult, parse_solution_result


def accept(client: ApiClient, post_id: int, *, cancel: CancelLike | None = None) -> SolutionResult:
    """``POST /solution/accept.json`` ``id=<post id>``: this post becomes the topic's solution."""
    route = ep.solution_accept()
    data = client.post_json(route.path, {"id": int(post_id)}, cancel=cancel)
    return parse_solution_result(data, route.label)


def unaccept(client: ApiClient, post_id: int, *, cancel: CancelLike | None = None) -> SolutionResult:
    """``POST /solution/unaccept.json`` ``id=<post id>``."""
    route = ep.solution_unaccept()
    data = client.post_json(route.path, {"id": int(post_id)}, cancel=cancel)
    return parse_solution_result(data, route.label)


def attempt_accept(client: ApiClient, post_id: int, *, cancel: CancelLike | None = None) -> Attempt:
    """Accept once, reporting ``Attempt.delivery`` for the outbox (value: ``SolutionResult``)."""
    route = ep.solution_accept()
    att = client.attempt_json(route.method, route.path, data={"id": int(post_id)}, cancel=cancel)
    if att.error is not None:
        return att
    return Attempt(parse_solution_result(att.value, route.label), None, att.delivery)
