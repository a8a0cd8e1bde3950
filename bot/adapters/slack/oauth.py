"""Multi-workspace install: Slack's OAuth flow, with installations and states in our database.

The tables (`slack_installations`, `slack_bots`, `slack_oauth_states`) are slack_sdk's own
layout, created by our migration 0002, so `kompetencebot db upgrade` prepares them too.
"""

from __future__ import annotations

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600
# What the bot does and nothing more; slack/manifest.yml lists the same scopes.
SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "channels:read",
    "channels:join",
    "groups:read",
    "im:write",
    "im:history",
    "users:read",
    "files:write",
)


def oauth_enabled(settings: Settings) -> bool:
    return bool(settings.slack_client_id and settings.slack_client_secret)


def authorization_url(api_url: str) -> str:
    """Slack's consent page beside its Web API (GovSlack has both on its own domain)."""
    site = api_url.rstrip("/").removesuffix("/api")
    return f"{site}/oauth/v2/authorize"


def installation_store(settings: Settings, engine: AsyncEngine) -> AsyncSQLAlchemyInstallationStore:
    assert settings.slack_client_id is not None
    return AsyncSQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine)


def oauth_settings(
    settings: Settings, engine: AsyncEngine, store: AsyncInstallationStore
) -> AsyncOAuthSettings:
    redirect = f"{settings.public_url.rstrip('/')}{REDIRECT_PATH}" if settings.public_url else None
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        redirect_uri=redirect,
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=store,
        installation_store_bot_only=True,
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine),
    )
