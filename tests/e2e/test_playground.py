"""A real browser plays a whole round in the playground against a real server process.

The test computes the expected summary numbers itself from the clicks it makes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.adapters.web.seed import TARGETS
from catalog.profiles import _template_data
from tests.support.processes import Server

ORDER = [item["id"] for item in _template_data("materialegaard")["competences"]]


def _scores() -> dict[str, list[int | None]]:
    """Bo answers all (and later changes his third); Cecilie skips the fifth; David all."""
    bo: list[int | None] = [i % 6 for i in range(len(ORDER))]
    cecilie: list[int | None] = [(2 * i + 1) % 6 for i in range(len(ORDER))]
    cecilie[4] = None
    david: list[int | None] = [(i + 3) % 6 for i in range(len(ORDER))]
    return {"bo": bo, "cecilie": cecilie, "david": david}


def _comma(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _expected_gap_lines(final: dict[str, list[int | None]]) -> list[str]:
    """The three largest positive gaps, worked out independently of the summary code."""
    rows = []
    for index, cid in enumerate(ORDER):
        answers = [s[index] for s in final.values() if s[index] is not None]
        if len(answers) < 3:
            continue
        mean = sum(a for a in answers if a is not None) / len(answers)
        below = sum(1 for a in answers if a is not None and a < TARGETS[cid]) / len(answers)
        gap = TARGETS[cid] - mean
        if gap > 0:
            rows.append((-gap, -below, index, cid, mean, gap))
    rows.sort()
    return [
        f"mål {TARGETS[cid]}, gennemsnit {_comma(mean)} (gab {_comma(gap)})"
        for *_, cid, mean, gap in rows[:3]
    ]


def test_a_whole_round_in_the_browser(server: Server, browser: Any, tmp_path: Path) -> None:
    scores = _scores()
    final = {who: list(values) for who, values in scores.items()}
    final["bo"][2] = 5  # the changed answer

    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(server.url)
    page.locator("#person").select_option("anna")
    page.locator("#channel-pane input").fill("start 3d")
    page.locator("#channel-pane input").press("Enter")
    page.locator("#channel").get_by_text("Ny kompetencerunde").wait_for()

    for who, values in scores.items():
        page.locator("#person").select_option(who)
        page.locator(f"body[data-me={who}]").wait_for(state="attached")
        page.locator("#dm").get_by_role("button", name="Kom i gang").click()
        for index, value in enumerate(values):
            page.locator("#dm .progress").get_by_text(f"{index + 1} af 22").wait_for()
            if value is None:
                page.locator("#dm").get_by_role("button", name="Spring over →").click()
            else:
                page.locator("#dm .choices button").nth(value).click()
            if who == "bo" and index == 2:
                page.locator("#dm .progress").get_by_text("4 af 22").wait_for()
                page.locator("#dm").get_by_role("button", name="← Tilbage").click()
                page.locator("#dm .note").get_by_text(f"Dit svar nu: {value}").wait_for()
                page.locator("#dm .choices button").nth(5).click()
        page.locator("#dm").get_by_text("Tak!" if None not in values else "sprunget").wait_for()

    page.locator("#person").select_option("anna")
    page.locator("body[data-me=anna]").wait_for(state="attached")
    page.locator("#channel-pane input").fill("status")
    page.locator("#channel-pane input").press("Enter")
    facts = page.locator("#channel .facts").last
    facts.wait_for()
    labels, values = facts.locator("dt").all_inner_texts(), facts.locator("dd").all_inner_texts()
    shown = dict(zip(labels, values, strict=True))
    assert (shown["Færdige:"], shown["I gang:"], shown["Ikke startet:"]) == ("2", "1", "1")
    page.locator("#channel-pane input").fill("luk")
    page.locator("#channel-pane input").press("Enter")
    summary = page.locator("#channel .summary")
    summary.wait_for()
    summary.get_by_text("Flere detaljer").click()  # calibration, dimensions, too few answers
    text = summary.inner_text()
    assert "2 af 4 har svaret på alle kompetencer (50 %)." in text
    expected = _expected_gap_lines(final)
    assert len(expected) == 3
    for line in expected:
        assert line in text, line
    assert "For få svar" in text  # M05 had only two answers
    chart = summary.locator("img.chart")
    chart.wait_for()
    page.wait_for_function(
        "document.querySelector('#channel img.chart').naturalWidth > 0", timeout=30000
    )
    page.screenshot(path=str(tmp_path / "playground.png"), full_page=True)

    # Bo's private results show his changed answer; Anna cannot see them.
    page.locator("#person").select_option("bo")
    page.locator("body[data-me=bo]").wait_for(state="attached")
    answers = page.locator("#dm table.rows td:nth-child(2)")
    answers.filter(has_text=re.compile(r"^5$")).first.wait_for()
    page.locator("#person").select_option("anna")
    page.locator("body[data-me=anna]").wait_for(state="attached")
    page.locator("#channel .summary").wait_for()
    assert "Bo Jensen" not in page.locator("#channel").inner_text()
