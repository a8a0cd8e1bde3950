"""A bad setting stops the program at start with one line naming the variable."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.config import ConfigError, load_settings


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("KOMPETENCEBOT_MIN_RESPONDENTS", "2", "KOMPETENCEBOT_MIN_RESPONDENTS: must be at least 3"),
        ("KOMPETENCEBOT_MIN_RESPONDENTS", "many", "KOMPETENCEBOT_MIN_RESPONDENTS"),
        ("KOMPETENCEBOT_DATABASE_URL", "not a url", "KOMPETENCEBOT_DATABASE_URL: not a database"),
        ("KOMPETENCEBOT_DATABASE_URL", "mysql://x@y/z", "KOMPETENCEBOT_DATABASE_URL: driver"),
        ("KOMPETENCEBOT_TIMEZONE", "Europe/Nowhere", "KOMPETENCEBOT_TIMEZONE: unknown time zone"),
        ("KOMPETENCEBOT_LANGUAGE", "de", "KOMPETENCEBOT_LANGUAGE"),
        ("KOMPETENCEBOT_PLAYGROUND", "perhaps", "KOMPETENCEBOT_PLAYGROUND"),
        ("KOMPETENCEBOT_TEAMS_EMULATOR", "perhaps", "KOMPETENCEBOT_TEAMS_EMULATOR"),
        (
            "KOMPETENCEBOT_METRICS_ADDRESS",
            "9464",
            "KOMPETENCEBOT_METRICS_ADDRESS: must be HOST:PORT",
        ),
        ("KOMPETENCEBOT_METRICS_ADDRESS", "127.0.0.1:http", "KOMPETENCEBOT_METRICS_ADDRESS"),
        ("KOMPETENCEBOT_METRICS_ADDRESS", "127.0.0.1:70000", "KOMPETENCEBOT_METRICS_ADDRESS"),
        ("KOMPETENCEBOT_METRICS_ADDRESS", ":9464", "KOMPETENCEBOT_METRICS_ADDRESS"),
        ("KOMPETENCEBOT_METRICS_TOKEN", "short", "KOMPETENCEBOT_METRICS_TOKEN: at least 12"),
    ],
)
def test_bad_values_stop_with_one_clear_line(
    variable: str,
    value: str,
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(variable, value)
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_the_teams_emulator_is_refused_together_with_an_app_id(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KOMPETENCEBOT_TEAMS_EMULATOR", "on")
    monkeypatch.setenv("MICROSOFT_APP_ID", "6b3c1f5e-2f4a-4d6e-9a1b-00000000b007")
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert "KOMPETENCEBOT_TEAMS_EMULATOR" in err and "MICROSOFT_APP_ID" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("raw", "on"), [("on", True), ("off", False), ("1", True)])
def test_teams_emulator_switch_words(raw: str, on: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MICROSOFT_APP_ID", raising=False)
    monkeypatch.setenv("KOMPETENCEBOT_TEAMS_EMULATOR", raw)
    assert load_settings(_env_file=None).teams_emulator is on


@pytest.mark.parametrize(
    ("raw", "host", "port"),
    [
        ("127.0.0.1:9464", "127.0.0.1", 9464),
        ("[::1]:9464", "::1", 9464),
        ("0.0.0.0:80", "0.0.0.0", 80),
    ],
)
def test_metrics_address(raw: str, host: str, port: int) -> None:
    assert load_settings(metrics_address=raw).metrics_listen == (host, port)


def test_defaults_follow_the_design(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KOMPETENCEBOT_DATABASE_URL", "SLACK_BOT_TOKEN", "MICROSOFT_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(_env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///./kompetencebot.db"
    assert settings.timezone == "Europe/Copenhagen"
    assert settings.language == "da"
    assert settings.min_respondents == 3
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.playground_enabled
    assert settings.teams_emulator is False
    assert settings.metrics_token is None and settings.metrics_listen is None


@pytest.mark.parametrize(("raw", "enabled"), [("off", False), ("0", False), ("on", True)])
def test_playground_switch_words(raw: str, enabled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMPETENCEBOT_PLAYGROUND", raw)
    assert load_settings(_env_file=None).playground_enabled is enabled


def test_playground_is_off_once_a_real_channel_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KOMPETENCEBOT_PLAYGROUND", raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    assert not load_settings(_env_file=None).playground_enabled
    monkeypatch.setenv("KOMPETENCEBOT_PLAYGROUND", "true")
    assert load_settings(_env_file=None).playground_enabled


def test_config_error_is_an_exception_with_the_variable() -> None:
    with pytest.raises(ConfigError, match="KOMPETENCEBOT_MIN_RESPONDENTS"):
        load_settings(min_respondents=1)
