"""The playground's HTML: everything a view carries arrives as text, never as markup."""

from __future__ import annotations

from bot.adapters.web.render import render
from bot.views import Button, ChoicePrompt, Field, Form, Option, SummaryCard

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_the_chart_opens_full_size_and_nothing_in_it_is_markup() -> None:
    html = render(SummaryCard("Resultat", HOSTILE, (), chart="t0k3n", chart_alt=HOSTILE))
    assert '<a class="chart-link" href="/files/t0k3n/chart.png" target="_blank"' in html
    assert '<img class="chart" src="/files/t0k3n/chart.png"' in html
    hostile = render(SummaryCard(HOSTILE, HOSTILE, (), chart=HOSTILE, chart_alt=HOSTILE))
    for markup in (html, hostile):
        assert "<script>" not in markup
        assert "<img src=x" not in markup


def test_a_prompts_head_is_text() -> None:
    prompt = ChoicePrompt(
        "M02", HOSTILE, HOSTILE, HOSTILE, "1 af 22", (Button(HOSTILE, "score", {"s": 0}),)
    )
    html = render(prompt)
    assert html.count("<script>") == 0
    assert '<div class="head"><div class="progress">1 af 22</div>' in html


def test_a_refused_form_says_why_above_its_inputs_as_text() -> None:
    field = Field("M02", "M02 Fagsystemer", options=(Option("0", "0"), Option("3", "3")), value="3")
    form = Form("targets", "Mål", "", (field,), (Button("Gem", "setup-save", {}),), error=HOSTILE)
    html = render(form)
    assert html.index('class="form-error" role="alert"') < html.index('name="M02"')
    assert "<script>" not in html and '<option value="3" selected>' in html
