"""The Discourse API client: transport (:mod:`.client`), politeness (:mod:`.ratelimit`), tolerant
parsing (:mod:`.parse`) and one small function per endpoint (:mod:`.topics`, :mod:`.posts`,
:mod:`.users`, :mod:`.badges`, :mod:`.groups`, :mod:`.solved`, :mod:`.reports`, :mod:`.site`).

Typical use::

    from modconsole.api import ApiClient, Credentials, topics
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
