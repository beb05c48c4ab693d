"""``modconsole selftest``: every headless step passes here, failures and skips are reported."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from modconsole.commands import main as cli
from modconsole.commands import selftest


def _args(*argv: str, data_dir: Path | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    selftest.add_arguments(parser)
    args = parser.parse_args(list(argv))
    args.data_dir = str(data_dir) if data_dir else None
    return args


def test_registered_as_cli_command() -> None:
    assert cli.COMMANDS["selftest"][0] == "modconsole.commands.selftest"


@pytest.mark.integration
def test_all_headless_steps_pass(hermetic_paths: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert selftest.run(_args("--strict")) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()[1:]
    names = [s.name for s in selftest.STEPS if not s.gui]
    assert [line.split(" — ")[0] for line in lines] == [f"ok: {n}" for n in names]
    assert "GET /latest.json as " in out and ": 200, " in out
    assert "journal_mode=wal" in out
    assert "FAILED" not in out and "gui" not in out
    # its temporary files are gone, and everything it wrote stayed below the data dir
    assert not list((hermetic_paths / "cache").glob("selftest-*"))


def test_failure_and_skip_are_reported(hermetic_paths: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def boom(ctx: selftest.Context) -> str:
        raise RuntimeError("disk on fire")

    def skip(ctx: selftest.Context) -> str:
        raise selftest.Skip("not here")

    def fine(ctx: selftest.Context) -> str:
        assert ctx.workdir.is_dir() and ctx.workdir.is_relative_to(hermetic_paths)
        return "fine"

    steps = [selftest.Step("a", fine), selftest.Step("b", boom), selftest.Step("c", skip)]
    assert selftest.run(_args(), steps) == 1
    out = capsys.readouterr().out
    assert "ok: a — fine" in out
    assert "FAILED: b: RuntimeError: disk on fire" in out
    assert "skipped: c (not here)" in out

    assert selftest.run(_args(), [steps[0], steps[2]]) == 0
    assert selftest.run(_args("--strict"), [steps[0], steps[2]]) == 1
    capsys.readouterr()
    assert selftest.run(_args("--only", "a"), steps) == 0
    assert capsys.readouterr().out.count("\n") == 2  # header + one step


@pytest.fixture
def no_system_zoneinfo() -> Iterator[None]:
    """This machine as Windows sees time zones: no system database, only the tzdata package."""
    import zoneinfo

    zoneinfo.reset_tzpath(to=[])
    zoneinfo.ZoneInfo.clear_cache()
    try:
        yield
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()


def test_time_zones_load_without_a_system_database(
    no_system_zoneinfo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from modconsole.services.sla import SlaSettings

    assert SlaSettings(timezone="Europe/Berlin").tz.key == "Europe/Berlin"
    assert selftest.run(_args("--strict", "--only", "time-zones")) == 0
    out = capsys.readouterr().out
    assert "ok: time-zones — 4 zones from tzdata only; tzdata 20" in out
