"""The Teams app package (`kompetencebot teams package`): manifest, localisation, icons.

Sideloading this zip (Teams → Apps → Manage your apps → Upload an app) installs the bot in
teams and personal chats. The manifest is written in Danish with an English localisation
file, so the command menu follows each user's Teams language; both command words work.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from bot.adapters.teams.icons import ACCENT, color_icon, outline_icon
from bot.dialogs.commands import menu
from bot.i18n import t

MANIFEST_VERSION = "1.30"
SCHEMA = (
    "https://developer.microsoft.com/json-schemas/teams/"
    f"v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
)
LOCALIZATION_SCHEMA = (
    "https://developer.microsoft.com/json-schemas/teams/"
    f"v{MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json"
)
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
ENGLISH_FILE = "en-us.json"

NAME = {"short": "Kompetencebot", "full": "Kompetencebot – digitale kompetencer efter KL"}
DESCRIPTION = {
    "da": {
        "short": "Holdets digitale kompetencer, kortlagt efter KL's katalog",
        "full": (
            "Kompetencebot kører KL's selvvurdering af digitale kompetencer («Kompetencer til "
            "et digitalt arbejdsliv») i holdets kanal. Lederen vælger kompetencer og mål og "
            "starter en runde; hver medarbejder vurderer sig selv 0–5 i en privat chat; "
            "holdet får gabet mellem mål og niveau som tekst og graf. Ingen ser andres svar, "
            "og tal med færre end tre svar vises aldrig."
        ),
    },
    "en": {
        "short": "Your team's digital competences, mapped with KL's catalog",
        "full": (
            "Kompetencebot runs KL's self-assessment of digital competences («Kompetencer til "
            "et digitalt arbejdsliv») in the team's channel. The leader picks competences and "
            "targets and starts a round; each member rates themselves 0–5 in a private chat; "
            "the team gets the gap between target and level as text and a chart. Nobody sees "
            "anyone else's answers, and numbers based on fewer than three answers never show."
        ),
    },
}


class PackageError(ValueError):
    """The package cannot be built from these inputs; the message says what to change."""


Scope = Literal["team", "personal"]
SCOPES: tuple[Scope, ...] = ("team", "personal")


def _commands(scope: Scope, language: str) -> list[dict[str, str]]:
    """The command menu, from the one table of command words."""
    return [
        {"title": word.word(language), "description": t(f"command.{word.intent}", language)}
        for word in menu(scope)
    ]


def manifest(app_id: str, public_url: str, app_version: str) -> dict[str, Any]:
    host = urlsplit(public_url).hostname or ""
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": app_version,
        "id": app_id,
        "developer": {
            "name": "Kompetencebot",
            "websiteUrl": public_url,
            "privacyUrl": public_url,
            "termsOfUseUrl": public_url,
        },
        "localizationInfo": {
            "defaultLanguageTag": "da-dk",
            "additionalLanguages": [{"languageTag": "en-us", "file": ENGLISH_FILE}],
        },
        "name": NAME,
        "description": DESCRIPTION["da"],
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app_id,
                "scopes": ["team", "personal"],
                "isNotificationOnly": False,
                "supportsFiles": False,
                "commandLists": [
                    {"scopes": [scope], "commands": _commands(scope, "da")} for scope in SCOPES
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
        "supportsChannelFeatures": "tier1",
        "defaultInstallScope": "team",
    }


def english() -> dict[str, str]:
    """The localisation file: English names, description and command words."""
    strings = {
        "$schema": LOCALIZATION_SCHEMA,
        "name.short": NAME["short"],
        "name.full": "Kompetencebot – digital competences with KL's catalog",
        "description.short": DESCRIPTION["en"]["short"],
        "description.full": DESCRIPTION["en"]["full"],
    }
    for index, scope in enumerate(SCOPES):
        for position, command in enumerate(_commands(scope, "en")):
            prefix = f"bots[0].commandLists[{index}].commands[{position}]"
            strings[f"{prefix}.title"] = command["title"]
            strings[f"{prefix}.description"] = command["description"]
    return strings


def build(app_id: str, public_url: str | None) -> bytes:
    """The zip's bytes; refuses an app id that is not a GUID or a base URL Teams can't use."""
    if not GUID.match(app_id):
        raise PackageError(f"--app-id must be the bot's Microsoft App ID (a GUID), not {app_id!r}")
    if not public_url or urlsplit(public_url).scheme != "https":
        raise PackageError(
            "set KOMPETENCEBOT_PUBLIC_URL to the https address where Teams reaches this "
            "server (for a try-out, a dev tunnel's URL)"
        )
    base = public_url.rstrip("/")
    files = {
        "manifest.json": json.dumps(
            manifest(app_id, base, version("kompetencebot")), indent=2, ensure_ascii=False
        ),
        ENGLISH_FILE: json.dumps(english(), indent=2, ensure_ascii=False),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode())
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return buffer.getvalue()


def write(app_id: str, public_url: str | None, out: Path) -> Path:
    out.write_bytes(build(app_id, public_url))
    return out
