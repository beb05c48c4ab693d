"""A separate process for the kill -9 tests: ``python -m tests.core.outbox_pusher MODE CACHE URL USER``.

The API key comes from ``MODCONSOLE_API_KEY``. ``push`` delivers the outbox until nothing is left;
``enqueue`` queues trust-level changes and new topics forever, printing ``QUEUED <op_uuid>`` only
after each enqueue has committed (what the screens would show as "queued"). ``race`` is one of two
pushers on one queue (tests/core/test_outbox_lease.py): a short lease, a verification wait well
beyond it, and pushes repeated (while the other holds the lease) until the queue is empty."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from modconsole.api.client import ApiClient, Credentials, Timeouts
from modconsole.api.ratelimit import Budget, HostPacer, RetryPolicy
from modconsole.cache.db import Cache
from modconsole.outbox.dispatcher import DispatchOptions
from modconsole.services.moderation import ModerationService
from tests.helpers.waits import WAIT_S

# the verification wait is far beyond the lease, so only a heartbeat keeps the lease through it;
# tests/benchmarks/bench_two_pushers.py shortens both through the environment
RACE_LEASE_TTL = float(os.environ.get("MODCONSOLE_RACE_LEASE_TTL", "2.0"))
RACE_VERIFY_DELAY = float(os.environ.get("MODCONSOLE_RACE_VERIFY_DELAY", "12.0"))


def main(argv: list[str]) -> int:
    mode, cache_path, url, user = argv
    cache = Cache.open(Path(cache_path))
    client = ApiClient(
        url,
        Credentials.user(os.environ["MODCONSOLE_API_KEY"], username=user),
        timeouts=Timeouts(connect=WAIT_S, read=WAIT_S, write=WAIT_S, pool=WAIT_S, deadline=WAIT_S),
        pacer=HostPacer(Budget.unlimited()),
        retry=RetryPolicy(max_retries=2, base=0.01, cap=0.05, max_rate_limit_wait=5.0),
    )
    opts = replace(DispatchOptions(), verify_delay=0.0, backoff_base=0.01, backoff_cap=0.05, max_wait=1.0)
    svc = ModerationService(cache, me=user, site_url=url, client=client, options=opts, fetch_missing=False)
    if mode == "race":
        race = replace(opts, verify_delay=RACE_VERIFY_DELAY, max_wait=WAIT_S, lease_ttl=RACE_LEASE_TTL)
        racer = ModerationService(
            cache, me=user, site_url=url, client=client, options=replace(race, heartbeat_every=0.25)
        )
        end, writes = time.monotonic() + WAIT_S, 0
        while time.monotonic() < end:
            rep = racer.dispatcher().push()
            writes += rep.writes
            if rep.breaker is None and rep.deferred == 0:
                break
            time.sleep(0.2)  # the other pusher holds the queue: try again
        print(f"PUSHED {writes}", flush=True)
        return 0
    if mode == "push":
        for _ in range(50):
            if svc.dispatcher().push().deferred == 0:
                break
        print("PUSHED", flush=True)
        return 0
    i = 0
    while True:  # killed from outside
        i += 1
        q = svc.create_topic(
            f"Crash test topic number {i}", "A body that is long enough. " * 20, note="x" * 500
        )
        print(f"QUEUED {q.op_uuid}", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
