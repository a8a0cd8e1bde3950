"""The chart is a real PNG that grows with the profile and renders the same every time."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.domain import RoundCompetence
from bot.services.charts import render_chart, section_breaks
from bot.services.summary import Summary, summarize

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def make_summary(count: int, suppressed: frozenset[int] = frozenset()) -> Summary:
    """`count` competences over two dimensions; the indices in `suppressed` get two answers."""
    competences = [
        RoundCompetence(
            id=f"M{i + 1:02d}",
            name=f"Kunne indgå i udvikling, anskaffelse og implementering af løsning {i}",
            dimension="M1" if i < count // 2 else "M4",
            dimension_name="Anvendelse" if i < count // 2 else "Udvikling",
            target=1 + i % 5,
        )
        for i in range(count)
    ]
    scores = {
        f"U{user}": {
            c.id: (user + i) % 6
            for i, c in enumerate(competences)
            if not (i in suppressed and user >= 2)
        }
        for user in range(5)
    }
    return summarize(competences, scores, invited=6, min_respondents=3)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[12:16] == b"IHDR"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_renders_png() -> None:
    png = render_chart(make_summary(5), "da", "Kompetenceprofil")
    assert png.startswith(PNG_SIGNATURE)
    width, height = png_size(png)
    assert 1000 <= width <= 1500
    assert height > 0


def test_height_grows_with_competences() -> None:
    _, small = png_size(render_chart(make_summary(5), "da", "Fem"))
    _, large = png_size(render_chart(make_summary(60), "da", "Tres"))
    assert large > 3 * small


def test_renders_with_suppressed_entries() -> None:
    summary = make_summary(8, suppressed=frozenset({0, 5}))
    assert [c.suppressed for c in summary.competences].count(True) == 2
    for language in ("da", "en"):
        assert render_chart(summary, language, "Title").startswith(PNG_SIGNATURE)


def test_renders_empty_summary() -> None:
    assert render_chart(make_summary(0), "en", "Empty").startswith(PNG_SIGNATURE)


def test_same_input_gives_identical_bytes() -> None:
    summary = make_summary(22, suppressed=frozenset({3}))
    assert render_chart(summary, "da", "Runde 1") == render_chart(summary, "da", "Runde 1")


def test_identical_bytes_across_threads() -> None:
    summary = make_summary(6, suppressed=frozenset({1}))
    expected = render_chart(summary, "en", "Round")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: render_chart(summary, "en", "Round"), range(4)))
    assert all(result == expected for result in results)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        render_chart(make_summary(3), "sv", "Titel")


def named(summary: Summary, name: str) -> Summary:
    competences = tuple(dataclasses.replace(c, name=name) for c in summary.competences)
    return dataclasses.replace(summary, competences=competences)


@pytest.mark.parametrize("name", ["Pris $x^$ pr. time", r"$\undefined$", "$", "a $$ b", "\\$"])
def test_dollars_and_backslashes_in_names_render(name: str) -> None:
    """Matplotlib used to read `$…$` as math: these names made every chart of the round fail."""
    assert render_chart(named(make_summary(4), name), "da", name).startswith(PNG_SIGNATURE)


def test_names_are_drawn_as_written_not_as_math() -> None:
    # Math text ignores spaces, so "$a$" and "$ a$" only look different when drawn literally.
    summary = make_summary(3)
    assert render_chart(named(summary, "$a$"), "da", "T") != render_chart(
        named(summary, "$ a$"), "da", "T"
    )
    assert render_chart(summary, "da", "Hold $a$") != render_chart(summary, "da", "Hold $ a$")


def test_rows_are_grouped_by_dimension_and_by_the_sources_areas() -> None:
    competences = [
        RoundCompetence(cid, cid, dimension, dimension, 3)
        for cid, dimension in [
            ("M02", "M1"), ("M05", "M1"),  # Brugerkompetencer
            ("M14", "M1"),  # Kompetencer omkring data
            ("M23", "M1"),  # Data- og informationssikkerhed
            ("M41", "M4"), ("M44", "M4"),  # two areas of M4
            ("M48", "M4"), ("M49", "M4"),
            ("local-driftsweb", "M4"),  # a local competence has no area of the source
            ("M51", "M5"), ("M54", "M5"),  # groups, not areas: one block
        ]
    ]  # fmt: skip
    summary = summarize(competences, {}, invited=3, min_respondents=3)
    assert section_breaks(summary.competences) == [
        None, None, "area", "area", "dimension", "area", "area", None, "area", "dimension", None,
    ]  # fmt: skip
    assert render_chart(summary, "da", "Holdet").startswith(PNG_SIGNATURE)
