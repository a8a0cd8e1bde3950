"""`kompetencebot teams package`: the zip a Teams admin sideloads."""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from bot.cli import main

APP_ID = "6b3c1f5e-2f4a-4d6e-9a1b-00000000b007"
REQUIRED = (
    "manifestVersion",
    "version",
    "id",
    "developer",
    "name",
    "description",
    "icons",
    "accentColor",
)
SEMVER = re.compile(r"^\d+\.\d+\.\d+([-+].+)?$")


def _png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGBA pixels of an unfiltered 8-bit RGBA PNG."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6)
    start = data.index(b"IDAT") + 4
    length = struct.unpack(">I", data[start - 8 : start - 4])[0]
    raw = zlib.decompress(data[start : start + length])
    stride = 1 + 4 * width
    pixels = [
        raw[row * stride + 1 + 4 * x : row * stride + 5 + 4 * x]
        for row in range(height)
        for x in range(width)
    ]
    return width, height, pixels


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> zipfile.ZipFile:
    monkeypatch.setenv("KOMPETENCEBOT_PUBLIC_URL", "https://kompetencebot.example.dk/")
    out = tmp_path / "app.zip"
    assert main(["teams", "package", "--app-id", APP_ID, "--out", str(out)]) == 0
    return zipfile.ZipFile(out)


def test_the_manifest_has_every_required_field(package: zipfile.ZipFile) -> None:
    manifest = json.loads(package.read("manifest.json"))
    assert all(manifest.get(field) for field in REQUIRED)
    assert manifest["$schema"].endswith(
        f"v{manifest['manifestVersion']}/MicrosoftTeams.schema.json"
    )
    assert SEMVER.match(manifest["version"])
    assert manifest["id"] == APP_ID
    developer = manifest["developer"]
    assert developer["name"]
    for url in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert developer[url].startswith("https://")
    assert 0 < len(manifest["name"]["short"]) <= 30
    assert 0 < len(manifest["description"]["short"]) <= 80 and manifest["description"]["full"]
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", manifest["accentColor"])
    assert manifest["validDomains"] == ["kompetencebot.example.dk"]

    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert sorted(bot["scopes"]) == ["personal", "team"]
    lists = {
        tuple(c["scopes"]): [cmd["title"] for cmd in c["commands"]] for c in bot["commandLists"]
    }
    assert {"opsæt", "start", "status", "luk", "hjælp"} <= set(lists[("team",)])
    assert sorted(lists[("personal",)]) == ["hjælp", "mine", "slet-mine-data"]
    for command_list in bot["commandLists"]:
        assert len(command_list["commands"]) <= 10
        assert all(
            len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in command_list["commands"]
        )


def test_english_command_words_come_from_the_localisation_file(package: zipfile.ZipFile) -> None:
    manifest = json.loads(package.read("manifest.json"))
    [english] = manifest["localizationInfo"]["additionalLanguages"]
    strings = json.loads(package.read(english["file"]))
    assert strings["bots[0].commandLists[0].commands[1].title"] == "setup"
    personal = [
        v
        for k, v in strings.items()
        if k.startswith("bots[0].commandLists[1]") and k.endswith(".title")
    ]
    assert "forget-me" in personal and "me" in personal
    assert {"name.short", "description.short", "description.full"} <= set(strings)


def test_the_icons_are_192_colour_and_32_white_outline(package: zipfile.ZipFile) -> None:
    manifest = json.loads(package.read("manifest.json"))
    width, height, pixels = _png(package.read(manifest["icons"]["color"]))
    assert (width, height) == (192, 192)
    assert len({p for p in pixels if p[3]}) >= 2
    width, height, pixels = _png(package.read(manifest["icons"]["outline"]))
    assert (width, height) == (32, 32)
    assert {p for p in pixels if p[3]} == {b"\xff\xff\xff\xff"}
    assert any(p[3] == 0 for p in pixels)


@pytest.mark.parametrize(
    ("app_id", "public_url"),
    [("not-a-guid", "https://kompetencebot.example.dk"), (APP_ID, "http://127.0.0.1:3978")],
)
def test_a_package_teams_would_refuse_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_id: str, public_url: str
) -> None:
    monkeypatch.setenv("KOMPETENCEBOT_PUBLIC_URL", public_url)
    out = tmp_path / "app.zip"
    assert main(["teams", "package", "--app-id", app_id, "--out", str(out)]) == 2
    assert not out.exists()
