"""Settings from the environment (and `.env`), validated once at start.

The names and defaults are part of the operator contract in DESIGN.md; a bad value stops
the program with one line naming the variable rather than failing later mid-round.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./kompetencebot.db"
ASYNC_DRIVERS = {"sqlite+aiosqlite", "postgresql+asyncpg"}
MIN_TOKEN = 12


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """Everything an operator can configure; field aliases are the environment names."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL, validation_alias=_env("KOMPETENCEBOT_DATABASE_URL")
    )
    timezone: str = Field("Europe/Copenhagen", validation_alias=_env("KOMPETENCEBOT_TIMEZONE"))
    language: Literal["da", "en"] = Field("da", validation_alias=_env("KOMPETENCEBOT_LANGUAGE"))
    min_respondents: int = Field(3, validation_alias=_env("KOMPETENCEBOT_MIN_RESPONDENTS"))
    playground: bool | None = Field(None, validation_alias=_env("KOMPETENCEBOT_PLAYGROUND"))
    public_url: str | None = Field(None, validation_alias=_env("KOMPETENCEBOT_PUBLIC_URL"))
    retention_days: int = Field(
        30, ge=1, le=3650, validation_alias=_env("KOMPETENCEBOT_RETENTION_DAYS")
    )
    """Delivered messages (which may hold answers) and handled event ids are kept this long."""

    slack_bot_token: str | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: str | None = Field(None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_app_token: str | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_client_id: str | None = Field(None, validation_alias=_env("SLACK_CLIENT_ID"))
    slack_client_secret: str | None = Field(None, validation_alias=_env("SLACK_CLIENT_SECRET"))
    slack_api_url: str = Field("https://slack.com/api/", validation_alias=_env("SLACK_API_URL"))

    microsoft_app_id: str | None = Field(None, validation_alias=_env("MICROSOFT_APP_ID"))
    microsoft_app_password: str | None = Field(
        None, validation_alias=_env("MICROSOFT_APP_PASSWORD")
    )
    microsoft_app_type: str = Field("MultiTenant", validation_alias=_env("MICROSOFT_APP_TYPE"))
    microsoft_app_tenant_id: str | None = Field(
        None, validation_alias=_env("MICROSOFT_APP_TENANT_ID")
    )
    teams_emulator: bool = Field(False, validation_alias=_env("KOMPETENCEBOT_TEAMS_EMULATOR"))
    metrics_token: str | None = Field(None, validation_alias=_env("KOMPETENCEBOT_METRICS_TOKEN"))
    metrics_address: str | None = Field(
        None, validation_alias=_env("KOMPETENCEBOT_METRICS_ADDRESS")
    )

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL: {value!r}") from exc
        if url.drivername not in ASYNC_DRIVERS:
            raise ValueError(
                f"driver {url.drivername!r} is not supported; use "
                "sqlite+aiosqlite:///FILE or postgresql+asyncpg://USER@HOST/DB"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("min_respondents")
    @classmethod
    def _check_min_respondents(cls, value: int) -> int:
        if value < 3:
            raise ValueError(f"must be at least 3 to protect anonymity (got {value})")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _slash_terminated(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("metrics_token")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        if value is not None and len(value) < MIN_TOKEN:
            raise ValueError(f"at least {MIN_TOKEN} characters, or anyone could guess it")
        return value

    @field_validator("metrics_address")
    @classmethod
    def _host_and_port(cls, value: str | None) -> str | None:
        if value is not None:
            _split_address(value)
        return value

    @model_validator(mode="after")
    def _emulator_alone(self) -> Settings:
        if self.teams_emulator and self.microsoft_app_id:
            raise ValueError(
                "KOMPETENCEBOT_TEAMS_EMULATOR=on serves /api/messages without authentication "
                "and cannot be combined with MICROSOFT_APP_ID; unset one of them"
            )
        return self

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def metrics_listen(self) -> tuple[str, int] | None:
        """Where the separate metrics listener binds, if one is configured."""
        return _split_address(self.metrics_address) if self.metrics_address else None

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_signing_secret and (self.slack_bot_token or self.slack_client_id))

    @property
    def teams_enabled(self) -> bool:
        return bool(self.microsoft_app_id)

    @property
    def teams_endpoint(self) -> bool:
        """`/api/messages` exists: with an app id (authenticated) or the Emulator switch."""
        return self.teams_enabled or self.teams_emulator

    @property
    def playground_enabled(self) -> bool:
        """On by default only when no real channel is configured: it has no login."""
        if self.playground is not None:
            return self.playground
        return not (self.slack_enabled or self.teams_enabled)


def _split_address(value: str) -> tuple[str, int]:
    """`HOST:PORT` (an IPv6 host in brackets) as (host, port)."""
    host, _, port = value.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"must be HOST:PORT, e.g. 127.0.0.1:9464 (got {value!r})")
    return host, int(port)


class ConfigError(Exception):
    """A configuration problem, already phrased for the operator."""


_ALIASES = {
    name: str(field.validation_alias.choices[0])  # type: ignore[union-attr]
    for name, field in Settings.model_fields.items()
}


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            message = str(error["msg"]).removeprefix("Value error, ")
            if not error["loc"]:  # a rule across variables names them itself
                lines.append(message)
                continue
            field = str(error["loc"][0])
            lines.append(f"{_ALIASES.get(field, field.upper())}: {message}")
        raise ConfigError("; ".join(lines)) from None
