"""The chart is a real PNG that grows with the profile and renders the same every time."""

from __future__ import annotations

import dataclasses
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from bot.domain import RoundCompetence
from bot.services.charts import PHONE_PX, chart_figure, render_chart, section_breaks
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


def test_titles_are_drawn_as_written_not_as_math() -> None:
    # Math text ignores spaces, so "$a$" and "$ a$" only look different when drawn literally.
    summary = make_summary(3)
    assert render_chart(summary, "da", "Hold $a$") != render_chart(summary, "da", "Hold $ a$")


def _texts(figure: Figure) -> list[Text]:
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("count", [5, 22, 60])
def test_every_text_reads_on_a_phone(count: int) -> None:
    """Teams and Slack show the chart 340 px wide on a phone: no text there under 10 px."""
    figure = chart_figure(make_summary(count, frozenset({1})), "da", "Materialegården – marken")
    shown = _texts(figure)
    assert len(shown) > count  # the row labels, notes, ticks, legend and title were all found
    for text in shown:
        pixels = text.get_fontsize() * PHONE_PX / (72 * figure.get_figwidth())
        assert pixels >= 10, (text.get_text(), round(pixels, 1))
    width, _ = png_size(render_chart(make_summary(count), "da", "T"))
    assert width >= 2 * PHONE_PX  # sharp on a phone's screen, and when opened full size


def test_rows_are_labelled_by_id_and_the_names_stay_out_of_the_chart() -> None:
    summary = make_summary(6)
    figure = chart_figure(summary, "da", "Holdet")
    [axes] = figure.axes
    assert [label.get_text() for label in axes.get_yticklabels()] == [
        c.id for c in summary.competences
    ]
    assert not [t for t in _texts(figure) if "løsning" in t.get_text()]


def test_the_chart_is_a_light_panel_with_a_transparent_margin() -> None:
    """In a dark theme the chart must not be a bare white block: its margin is transparent
    and its panel light, with rounded corners."""
    image = Image.open(io.BytesIO(render_chart(make_summary(5), "en", "Team")))
    assert image.mode == "RGBA"
    width, height = image.size
    for corner in ((0, 0), (width - 1, 0), (0, height - 1), (width - 1, height - 1), (14, 14)):
        assert image.getpixel(corner)[3] == 0, corner  # transparent, also just inside a curve
    red, green, blue, alpha = image.getpixel((width // 2, 20))
    assert alpha == 255 and min(red, green, blue) > 230


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
