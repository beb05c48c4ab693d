"""Moves this process's wall clock (``time.time``, ``datetime.now``, ``date.today``…) by
``MODCONSOLE_TEST_WALL_SHIFT_DAYS`` days, ticking, with time-machine — for
``scripts/test-any-date``, which puts this folder on ``PYTHONPATH`` so every Python process the
suite starts (demo servers, headless commands) is shifted alike. Monotonic clocks are untouched.

The suite must pass like this: every "now" it depends on comes from ``modconsole.clock``, which
the tests pin to the demo community's instant whatever the wall clock says."""

import os

_days = os.environ.get("MODCONSOLE_TEST_WALL_SHIFT_DAYS", "").strip()
if _days:
    import datetime as _dt

    import time_machine as _tm

    _tm.travel(_dt.datetime.now(_dt.UTC) + _dt.timedelta(days=float(_days)), tick=True).start()
