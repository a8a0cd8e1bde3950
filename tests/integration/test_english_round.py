"""An English round from the Materialegård template, played through the playground's own API:
everything a member, the leader and the channel read, the chart's labels and the CSV are
English; Danish appears only in the names of people and the team."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text as Label

from bot.adapters.web import seed
from bot.config import Settings
from bot.i18n import messages
from bot.services import charts
from bot.usecases.summaries import round_summary
from catalog.loader import load_catalog
from catalog.profiles import template_entries
from storage import rounds
from tests.support.catalog_texts import catalog_texts, template_texts
from tests.support.drivers import PlaygroundDriver, open_driver
from tests.support.pace import human_pace

NAMES = [seed.TEAM_NAME, *(name for _, name in seed.MEMBERS)]
DANISH_LETTERS = re.compile("[æøåÆØÅ]")
WORD = re.compile(r"[^\W\d_]{3,}")


def _words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(text)}


def _danish_strings() -> list[str]:
    """Every Danish text of the round's competences: the catalog's and the template's local
    wording (names, descriptions, examples)."""
    ids = [entry.id for entry in template_entries("materialegaard", "da")[1]]
    catalog = load_catalog()
    found = []
    for cid in ids:
        known = catalog.competences[cid]
        found += [known.name("da"), known.description("da")]
        if known.examples:
            found.append(known.examples("da"))
    found += [text.da for where, text in template_texts() if where.startswith("materialegaard")]
    return found


def _danish_only_words() -> set[str]:
    """Words of the catalog's and the template's Danish text that no English text uses."""
    english: set[str] = set()
    for _, text in (*catalog_texts(), *template_texts()):
        english |= _words(text.en)
    for texts in messages().values():
        english |= _words(texts["en"])
    return set().union(*(_words(text) for text in _danish_strings())) - english


def _without_names(text: str) -> str:
    for name in NAMES:
        text = text.replace(name, "")
    return text


@pytest.fixture
async def playground(settings: Settings) -> AsyncIterator[PlaygroundDriver]:
    async with open_driver("playground", settings) as driver:
        assert isinstance(driver, PlaygroundDriver)
        yield driver


@pytest.fixture
def chart_labels(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every text drawn on a chart rendered while the test runs."""
    drawn: list[str] = []
    rasterise = charts._png

    def noting(figure: Figure) -> bytes:
        drawn.extend(label.get_text() for label in figure.findobj(Label) if label.get_text())
        return rasterise(figure)

    monkeypatch.setattr(charts, "_png", noting)
    yield drawn


async def test_an_english_round_shows_no_danish(
    playground: PlaygroundDriver, chart_labels: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    human_pace(monkeypatch)
    driver, client = playground, playground.client
    switched = await client.post("/api/language", json={"language": "en"})
    assert switched.status == 200
    seen: list[str] = []

    lead, *members = driver.people
    seen.append(await driver.say(lead, "start 3d"))
    await driver.drain()
    for number, who in enumerate(driver.people):
        seen.append((await driver.prompt(who)).text)
        seen.append(await driver.press(who, "Get started"))
        while "Thank you!" not in (prompt := await driver.prompt(who)).text:
            seen.append(prompt.text)  # title, wording, examples and buttons of each prompt
            await driver.press(who, f"{number % 6} ")
        seen.append(prompt.text)
    seen.append(await driver.say(members[0], "me"))
    seen.append(await driver.say(lead, "status"))
    seen.append(await driver.say(lead, "close"))
    await driver.drain()
    seen += [message.text for message in await driver.channel()]
    exported = await driver.say(lead, "export")
    seen.append(exported)

    [csv_link] = [
        found.group(1)
        for link in await driver.links(lead)
        if (found := re.search(r"(/exports/[^/]+/summary\.csv)$", link))
    ]
    response = await client.get(csv_link)
    assert response.status == 200
    csv = (await response.read()).decode("utf-8-sig")
    async with driver.runtime.sessions() as session:
        [round_id] = [r.id for r in await rounds.all_rounds(session)]
        round_ = await rounds.get(session, round_id)
        assert round_ is not None and round_.language == "en"
        summary = await round_summary(session, round_)
    charts.render_chart(summary, "en", seed.TEAM_NAME)
    assert len(chart_labels) > 22

    texts = {"chat": "\n".join(seen), "csv": csv, "chart": "\n".join(chart_labels)}
    assert "Use data created by others" in texts["chat"] and "Thank you!" in texts["chat"]
    assert "Use data created by others" in texts["csv"] + texts["chart"]
    danish_words = _danish_only_words()
    assert {"kunne", "anvende", "borgerne"} <= danish_words  # the check can fail
    for where, text in texts.items():
        shown = _without_names(text)
        assert not DANISH_LETTERS.findall(shown), (where, DANISH_LETTERS.search(shown))
        assert not _words(shown) & danish_words, (where, sorted(_words(shown) & danish_words))
        flat = " ".join(shown.split())
        for danish in _danish_strings():
            assert " ".join(danish.split()) not in flat, (where, danish)
