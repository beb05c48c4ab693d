"""discourse-solved endpoints (CONTRACT §4). Both response shapes are parsed."""

from __future__ import annotations

from modconsole.api.client import ApiClient, Attempt
from modconsole.api.parse import SolutionResult, parse_solution_result
from modconsole.api.ratelimit import CancelLike


def accept(client: ApiClient, post_id: int, *, cancel: CancelLike | None = None) -> SolutionResult:
    """``POST /solution/accept.json`` ``id=<post id>``: this post becomes the topic's solution."""
    data = client.post_json("/solution/accept.json", {"id": int(post_id)}, cancel=cancel)
    return parse_solution_result(data, "POST /solution/accept.json")


def unaccept(client: ApiClient, post_id: int, *, cancel: CancelLike | None = None) -> SolutionResult:
    """``POST /solution/unaccept.json`` ``id=<post id>``."""
    data = client.post_json("/solution/unaccept.json", {"id": int(post_id)}, cancel=cancel)
    return parse_solution_result(data, "POST /solution/unaccept.json")


def attempt_accept(client: ApiClient, post_id: int, *, cancel: CancelLike | None = None) -> Attempt:
    """Accept once, reporting ``Attempt.delivery`` for the outbox (value: ``SolutionResult``)."""
    att = client.attempt_json("POST", "/solution/accept.json", data={"id": int(post_id)}, cancel=cancel)
    if att.error is not None:
        return att
    return Attempt(parse_solution_result(att.value, "POST /solution/accept.json"), None, att.delivery)
