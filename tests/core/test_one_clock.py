"""Every "now" goes through ``modconsole.clock``: no module reads the wall clock by itself.

A module that did would make the suite depend on today's date again (main went red on
2026-12-01 that way) and would disagree with the demo community about "now"."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {ROOT / "modconsole" / "clock.py"}

# attribute chains that read the wall clock
WALL_CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("QDate", "currentDate"),
    ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"),
    ("QDateTime", "currentMSecsSinceEpoch"),
    ("QDateTime", "currentSecsSinceEpoch"),
    ("QTime", "currentTime"),
}
# Discourse's own badge queries, served as text for admins to read; the demo never runs them.
SQL_TEXT_ONLY = {Path("modconsole/demo/generator.py")}
SQL_NOW = re.compile(r"""(['"])now\1|CURRENT_(TIMESTAMP|DATE|TIME)\b""", re.IGNORECASE)


def _sources() -> list[Path]:
    return sorted(p for d in ("modconsole", "ui") for p in (ROOT / d).rglob("*.py") if p not in ALLOWED)


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (name, node.func.attr) in WALL_CLOCK_CALLS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}.{node.func.attr}()")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_NOW.search(node.value)
            and path.relative_to(ROOT) not in SQL_TEXT_ONLY
            and re.search(r"SELECT|VALUES|strftime", node.value, re.IGNORECASE)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: SQL reads the wall clock")
    return found


def test_no_module_reads_the_wall_clock() -> None:
    offences = [o for p in _sources() for o in _offences(p)]
    assert offences == [], "use modconsole.clock.now() / clock.timestamp():\n" + "\n".join(offences)


def test_the_check_sees_each_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime, time\n"
        "a = datetime.datetime.now()\n"
        "b = datetime.date.today()\n"
        "c = time.time()\n"
        "d = QDate.currentDate()\n"
        "e = \"INSERT INTO x VALUES (strftime('%s', 'now'))\"\n"
        "f = time.monotonic()\n",
        encoding="utf-8",
    )
    global ROOT
    saved = ROOT
    ROOT = tmp_path
    try:
        lines = [o.split(": ", 1)[1] for o in _offences(sample)]
    finally:
        ROOT = saved
    assert lines == [
        "datetime.now()",
        "date.today()",
        "time.time()",
        "QDate.currentDate()",
        "SQL reads the wall clock",
    ]
