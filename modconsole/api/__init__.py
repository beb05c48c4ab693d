"""The HTTP client: transport (:mod:`.client`) and politeness (:mod:`.ratelimit`).

Platform-neutral: which routes exist and what their answers mean lives in a connector
(:mod:`modconsole.connectors.discourse`: ``endpoints``, ``parse`` and one small module of typed
calls per area).

Typical use::

    from modconsole.api import ApiClient, Credentials
    from modconsole.connectors.discourse import topics
    with ApiClient("https://forum.example.com", Credentials.user(key)) as api:
        page = topics.latest(api, per_page=100, order="activity")
"""

from __future__ import annotations

from modconsole.api.client import ApiClient, Attempt, ClientStats, Credentials, Timeouts, normalize_base_url
from modconsole.api.ratelimit import Budget, Delivery, HostPacer, PacerSnapshot, RetryPolicy, delivery_of

__all__ = [
    "ApiClient",
    "Attempt",
    "Budget",
    "ClientStats",
    "Credentials",
    "Delivery",
    "HostPacer",
    "PacerSnapshot",
    "RetryPolicy",
    "Timeouts",
    "delivery_of",
    "normalize_base_url",
]
