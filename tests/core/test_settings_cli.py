"""``modconsole settings``: the registry from the command line — list, show, change (checked), reset."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from modconsole import settings
from modconsole.cache.db import Cache
from modconsole.commands.main import main
from modconsole.paths import Paths
from modconsole.services.sla import SlaSettings
from modconsole.services.superusers import SUPERUSERS
from modconsole.sites import KnownSites

SITE = "https://forum.example.com"


@pytest.fixture
def cache() -> Iterator[Cache]:
    paths = Paths.default().ensure()
    path = paths.site_cache_file(SITE, "ana")
    path.parent.mkdir(parents=True, exist_ok=True)
    c = Cache.open(path)
    KnownSites(paths).remember(SITE, "ana", key_kind="admin")  # as the first sync records it
    yield c
    c.close()


def test_list_show_change_and_reset(cache: Cache, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings"]) == 0
    listed = capsys.readouterr().out
    assert "sla  (default)" in listed and "superusers.program  (default)" in listed

    bavaria = '{"timezone": "Europe/Berlin", "country": "DE", "subdivision": "BY"}'
    assert main(["settings", "sla", bavaria]) == 0
    assert capsys.readouterr().out == "sla: saved.\n"
    stored = settings.load(cache, settings.SLA)
    assert stored == SlaSettings(timezone="Europe/Berlin", country="DE", subdivision="BY")

    assert main(["settings", "sla", "--json"]) == 0
    assert SlaSettings.from_dict(json.loads(capsys.readouterr().out)) == stored
    assert main(["settings", "--site", SITE, "--username", "ana"]) == 0
    assert "sla  (2026-11-01T13:" in capsys.readouterr().out

    assert main(["settings", "sla", "--reset"]) == 0
    assert settings.load(cache, settings.SLA) == SlaSettings()

    assert main(["settings", "ui.appearance", '"dark"']) == 0  # Settings → Appearance, from a script
    assert settings.load(cache, settings.APPEARANCE) == "dark"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["settings", "sla", '{"country": "XX"}'], "No public holidays are known for the country code 'XX'."),
        (["settings", "sla", "{oops"], "The value for sla is not valid JSON."),
        (["settings", "superusers.program", '{"weights": {"karma": 2}}'], None),
        (["settings", "colour", "1"], "No setting is called 'colour'"),
        (["settings", "ui.appearance", '"sepia"'], "The appearance must be one of system, light, dark"),
        (["settings", "--reset"], "--reset takes a setting's name and no value."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    cache: Cache, capsys: pytest.CaptureFixture[str], argv: list[str], message: str | None
) -> None:
    code = main(argv)
    err = capsys.readouterr().err
    if message is None:  # the codec drops unknown weights, as the app's reader does
        assert code == 0
        assert settings.load(cache, SUPERUSERS).weights.get("karma") is None
        return
    assert code == 2 and err.startswith("modconsole: ") and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    with cache.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM settings").scalar() == 0


def test_several_communities_need_a_site(cache: Cache, capsys: pytest.CaptureFixture[str]) -> None:
    other = Paths.default().site_cache_file("https://other.example.com", "ana")
    other.parent.mkdir(parents=True, exist_ok=True)
    Cache.open(other).close()
    KnownSites(Paths.default()).remember("https://other.example.com", "ana", key_kind="user")
    assert main(["settings"]) == 2
    err = capsys.readouterr().err
    assert "https://forum.example.com as ana" in err and "https://other.example.com as ana" in err
    assert main(["settings", "--site", "https://other.example.com"]) == 0  # one fits: no --username
