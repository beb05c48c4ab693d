"""With Discourse's real limits switched on (a fast server clock) and faults injected — 429 bursts,
5xx, dropped connections, malformed JSON — a sync still finishes with exactly the same cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from modconsole.demo.server import DemoServer, FaultRule, RateLimitConfig
from tests.core.community import drop_trailing_deleted
from tests.core.sync_support import cached_tables, differences, engine_for, expected_tables, sync


def _faults(server: DemoServer, seed_path: str = "*") -> None:
    server.add_fault(FaultRule("rate_limit", "GET", seed_path, probability=0.04, seconds=0.2))
    server.add_fault(FaultRule("status", "GET", seed_path, probability=0.04, status=502))
    server.add_fault(FaultRule("drop", "GET", seed_path, probability=0.03))
    server.add_fault(FaultRule("malformed", "GET", seed_path, probability=0.03))


@pytest.mark.parametrize("role", ["admin", "moderator"])
def test_sync_under_limits_and_faults(demo_server: DemoServer, tmp_path: Path, role: str) -> None:
    demo_server.set_limits(RateLimitConfig.discourse_defaults())
    demo_server.set_clock_speed(100.0)
    _faults(demo_server)
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, role)
    try:
        report = sync(engine)
        assert report.finished
        stats = client.stats()
        assert stats.retries > 0  # the faults did hit this run
        admin = role == "admin"
        # the demo site sets moderators_view_emails, so both keys see e-mails (and derive companies)
        expected = drop_trailing_deleted(
            demo_server.db_path, expected_tables(demo_server.db_path, admin=admin, emails=True)
        )
        demo_server.clear_faults()
        assert differences(expected, cached_tables(cache_path)) == {}
        again = sync(engine)
        assert again.finished and again.requests_total <= 4 + stats.retries
        assert differences(expected, cached_tables(cache_path)) == {}
    finally:
        cache.close()
        client.close()
