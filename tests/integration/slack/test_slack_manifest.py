"""slack/manifest.yml describes the app this server implements."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH, SCOPES

MANIFEST = Path(__file__).resolve().parents[3] / "slack" / "manifest.yml"


def test_the_manifest_matches_the_server() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/kompetence"
    assert command["url"].endswith("/slack/events")
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["oauth_config"]["scopes"]["bot"] == list(SCOPES)
    assert manifest["oauth_config"]["redirect_urls"][0].endswith(REDIRECT_PATH)
    assert INSTALL_PATH == "/slack/install"
    settings = manifest["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith("/slack/events")
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert "app_home_opened" in settings["event_subscriptions"]["bot_events"]
