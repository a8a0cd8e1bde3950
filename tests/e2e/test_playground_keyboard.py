"""Answering with the keyboard alone, in a real browser against a real server process: after
Enter on a score, the next prompt replaces the answered one and the focus stays on the
button in the same place, so the next Enter or Tab goes on from there (it used to fall back
to the top of the page, and the member had to tab through the whole page again)."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.profiles import _template_data
from tests.e2e.conftest import invited_as, my_answers
from tests.support.processes import Server

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
expect.set_options(timeout=30_000)  # as the other browser tests: a busy machine is slow

ORDER = [item["id"] for item in _template_data("materialegaard")["competences"]]
FOCUSED = """() => {
  const el = document.activeElement;
  const prompt = el && el.closest(".prompt");
  return [el && el.textContent, prompt && prompt.querySelector(".subtitle").textContent];
}"""
"""The focused button's label and the competence of the prompt it is on."""


def test_the_focus_stays_on_the_prompt_from_answer_to_answer(server: Server, browser: Any) -> None:
    page = browser.new_page()
    invited_as(page, server, "bo")

    page.locator("#dm").get_by_role("button", name="Kom i gang").focus()
    page.keyboard.press("Enter")
    prompt = page.locator("#dm .prompt")
    expect(prompt.locator(".progress")).to_have_text(f"1 af {len(ORDER)}")
    prompt.locator(".choices button").nth(3).focus()
    page.keyboard.press("Enter")
    expect(prompt.locator(".progress")).to_have_text(f"2 af {len(ORDER)}")
    label, competence = page.evaluate(FOCUSED)
    assert label == "3 · God" and ORDER[1] in competence

    page.keyboard.press("Tab")  # on to the next score, from where the focus stayed
    page.keyboard.press("Enter")
    expect(prompt.locator(".progress")).to_have_text(f"3 af {len(ORDER)}")
    label, competence = page.evaluate(FOCUSED)
    assert label.startswith("4 ·") and ORDER[2] in competence

    answers = my_answers(page)
    assert (answers[ORDER[0]], answers[ORDER[1]]) == ("3", "4")
    assert "Traceback" not in server.log()
    page.context.close()
