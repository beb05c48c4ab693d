"""The connector seam: platforms by name, declared capabilities, and the workspace opening the
connector its site names (issue #16 part 2)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from modconsole.api.client import Credentials
from modconsole.connectors.base import Capabilities
from modconsole.connectors.discourse import actions as discourse_actions
from modconsole.connectors.discourse.connector import CAPABILITIES, DiscourseConnector
from modconsole.connectors.discourse.sync.engine import SyncEngine
from modconsole.connectors.registry import DEFAULT_PLATFORM, connector_for, platforms
from modconsole.demo.server import DemoServer
from modconsole.errors import InvalidInput
from modconsole.workspace import SiteRef, Workspace


def test_discourse_is_registered_and_is_the_default() -> None:
    assert "discourse" in platforms() and DEFAULT_PLATFORM == "discourse"
    assert isinstance(connector_for("discourse"), DiscourseConnector)
    assert connector_for(" Discourse ") is connector_for("discourse")


def test_an_unknown_platform_is_refused_in_one_line_naming_the_known_ones() -> None:
    with pytest.raises(InvalidInput) as exc:
        connector_for("khoros")
    msg = exc.value.user_message
    assert "khoros" in msg and "discourse" in msg and "\n" not in msg


def test_capabilities_are_declared_and_frozen() -> None:
    caps = connector_for("discourse").capabilities
    assert isinstance(caps, Capabilities) and caps is CAPABILITIES
    # what Discourse offers, as the views will ask it
    assert not caps.multiple_accepted_answers  # discourse-solved: one solution per topic
    assert caps.staff_category_for_nominations and caps.bulk_mirror and caps.review_queue
    with pytest.raises(dataclasses.FrozenInstanceError):
        caps.bulk_mirror = False  # type: ignore[misc]
    assert Capabilities() != caps  # a platform declares nothing by default


def test_the_workspace_opens_the_connector_its_site_names(demo_server: DemoServer, tmp_path: Path) -> None:
    ident = demo_server.credentials.moderator
    site = SiteRef(
        demo_server.base_url,
        ident.username,
        Credentials.user(ident.key, username=ident.username),
        tmp_path / "cache.sqlite",
    )
    assert site.platform == "discourse"
    with Workspace.open(site) as ws:
        assert ws.connector is connector_for("discourse")
        assert ws.capabilities is CAPABILITIES
        assert isinstance(ws.engine, SyncEngine)
        # the outbox delivers through the connector's action adapter
        assert ws.moderation.actions is ws.connector.actions is discourse_actions
    with pytest.raises(InvalidInput):
        Workspace.open(dataclasses.replace(site, platform="jive", cache_path=tmp_path / "other.sqlite"))
    assert not (tmp_path / "other.sqlite").exists()  # refused before anything was made


def test_each_platform_spells_its_own_web_link() -> None:
    # "Open in browser" and "Copy link" ask the connector: Discourse's /t/{slug}/{id}[/{n}],
    # Vanilla's /discussion/{id}/{slug} (a discussion's url field); no slug known: the id alone
    discourse, vanilla = connector_for("discourse"), connector_for("vanilla")
    site = "https://forum.example.com/"
    assert discourse.web_url(site, 42, "a-topic") == "https://forum.example.com/t/a-topic/42"
    assert discourse.web_url(site, 42, "a-topic", 3) == "https://forum.example.com/t/a-topic/42/3"
    assert vanilla.web_url(site, 42, "a-topic") == "https://forum.example.com/discussion/42/a-topic"
    assert vanilla.web_url(site, 42) == "https://forum.example.com/discussion/42"
    assert vanilla.web_url(site, 42, "topic", 3) == "https://forum.example.com/discussion/42"
    assert "/t/" not in vanilla.web_url(site, 42, "a-topic", 3)


def test_live_counts_and_the_server_reports_are_declared_for_discourse_only() -> None:
    discourse, vanilla = connector_for("discourse"), connector_for("vanilla")
    assert discourse.capabilities.live_counts and discourse.capabilities.likes_report
    assert not vanilla.capabilities.live_counts and not vanilla.capabilities.likes_report
    assert not Capabilities().live_counts and not Capabilities().likes_report  # off unless declared
    assert discourse.capabilities.activity_reports and not vanilla.capabilities.activity_reports
    assert not Capabilities().activity_reports
