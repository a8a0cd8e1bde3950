"""Neutral views as Adaptive Cards 1.5, and the activities that carry them.

Buttons become `Action.Execute` (Universal Actions: Teams refreshes the card in place from
the invoke response) with an `Action.Submit` fallback for clients without it. Both carry the
same data under `ACTION_KEY`, so translate.py reads them alike. Teams refuses a card over
40 KB and an activity over 28 KB; rendering checks both and raises `CardTooLarge` rather than
let Teams drop the message.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.adapters.teams.translate import ACTION_KEY
from bot.views import (
    Button,
    ChoicePrompt,
    Fact,
    Field,
    Form,
    Link,
    Message,
    Section,
    SummaryCard,
    Table,
    View,
    clip,
    table_line,
)

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
CARD_LIMIT = 40 * 1024
ACTIVITY_LIMIT = 28 * 1024
FORM_BUDGET = ACTIVITY_LIMIT - 2 * 1024
"""A form card's size that leaves room for the activity around it."""
EXAMPLES_ID = "examples"
LEGEND_ID = "legend"
DETAILS_ID = "details"
SUMMARY_LIMIT = 200
"""Characters of the notification preview Teams shows instead of "Card"."""
NAME_WEIGHT, VALUE_WEIGHT = 5, 2
"""Column weights of a table: the name gets the room, the short values stay aligned."""
TONES = {"info": "default", "success": "good", "warning": "warning", "error": "attention"}
STYLES = {"primary": "positive", "danger": "destructive"}
BOLD = re.compile(r"(?<!\*)\*([^*\n]+)\*(?!\*)")
CODE = re.compile(r"`([^`\n]+)`")

Element = dict[str, Any]


class CardTooLarge(ValueError):
    """A view renders larger than Teams accepts."""


def size(payload: object) -> int:
    """Bytes on the wire, counted as the most verbose JSON encoding would send them."""
    return len(json.dumps(payload, ensure_ascii=True).encode())


def markdown(text: str) -> str:
    """The views' light markup (*bold*, `code`) in Adaptive Card markdown."""
    return CODE.sub(r"**\1**", BOLD.sub(r"**\1**", text))


def plain(text: str) -> str:
    return CODE.sub(r"\1", BOLD.sub(r"\1", text))


def _text(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": markdown(text), "wrap": True, **style}


def _heading(title: str, intro: str) -> list[Element]:
    return [_text(title, size="large", weight="bolder"), *_paragraphs(intro)]


def _paragraphs(text: str) -> list[Element]:
    """One block per line: Teams ignores single line breaks inside a TextBlock."""
    blocks: list[Element] = []
    gap = False
    for line in text.split("\n"):
        if not line.strip():
            gap = True
            continue
        spacing = {"spacing": "medium" if gap else "none"} if blocks else {}
        blocks.append(_text(line, **spacing))
        gap = False
    return blocks


MAX_CARD_ACTIONS = 6
"""Teams shows no more actions than this at a card's foot (more fall into an overflow menu)."""


def action(button: Button) -> Element:
    """A button as `Action.Execute`, falling back to `Action.Submit` with the same data."""
    data = {ACTION_KEY: {"action": button.action, "data": button.data}}
    style = {"style": STYLES[button.style]} if button.style in STYLES else {}
    return {
        "type": "Action.Execute",
        "title": button.label,
        "verb": button.action,
        "data": data,
        **style,
        "fallback": {"type": "Action.Submit", "title": button.label, "data": data, **style},
    }


def open_url(link: Link) -> Element:
    return {"type": "Action.OpenUrl", "title": link.label, "url": link.url}


def _stacked(actions: list[Element]) -> list[Element]:
    """One ActionSet per action: stacked, every title has the card's width on a phone."""
    return [{"type": "ActionSet", "spacing": "small", "actions": [a]} for a in actions]


def _facts(facts: tuple[Fact, ...]) -> Element:
    return {"type": "FactSet", "facts": [{"title": f.label, "value": f.value} for f in facts]}


def _row(cells: tuple[str, ...], header: bool = False) -> Element:
    """A table row as a ColumnSet; the same weights in every row keep the columns aligned."""
    style = {"weight": "bolder", "isSubtle": True, "size": "small"} if header else {}
    columns = [
        {
            "type": "Column",
            "width": NAME_WEIGHT if index == 0 else VALUE_WEIGHT,
            "items": [{"type": "TextBlock", "text": cell, "wrap": True, **style}],
        }
        for index, cell in enumerate(cells)
    ]
    return {"type": "ColumnSet", "separator": not header, "spacing": "small", "columns": columns}


def _table(table: Table, budget: int) -> list[Element]:
    """Rows under a header; a table too large for the activity keeps one fact per row."""
    rows = [_row(table.columns, header=True), *(_row(r) for r in table.rows)]
    if size(rows) >= budget:
        facts = tuple(Fact(r[0], table_line(table, r).split(": ", 1)[1]) for r in table.rows)
        rows = [_facts(facts)]
    notes = [_text(note, isSubtle=True, size="small", spacing="none") for note in table.notes]
    if notes:
        notes[0]["spacing"] = "small"
    return rows + notes


def _card(body: list[Element], actions: list[Element] | None = None) -> Element:
    card: Element = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions:
        card["actions"] = actions
    return card


def _message(view: Message) -> Element:
    """Text, then facts as a FactSet, a table as rows, links as buttons that open them."""
    body: list[Element] = [
        {"type": "Container", "style": TONES[view.tone], "items": _paragraphs(view.text)}
    ]
    if view.facts:
        body.append(_facts(view.facts))
    if view.table is not None:
        body += _table(view.table, FORM_BUDGET - size(body))
    body += _stacked([open_url(link) for link in view.links])
    if len(view.buttons) <= MAX_CARD_ACTIONS:
        return _card(body, [action(b) for b in view.buttons])
    # A list (the review overview): Teams shows only a few card actions, so one set each.
    body += [
        {"type": "ActionSet", "spacing": "small", "actions": [action(b)]} for b in view.buttons
    ]
    return _card(body)


def _prompt(view: ChoicePrompt) -> Element:
    """The score card: name, wording, examples behind a toggle, 0–5, back/skip, progress."""
    body: list[Element] = [
        _text(view.title, size="large", weight="bolder"),
        _text(view.subtitle, isSubtle=True, spacing="none"),
        *_paragraphs(view.body),
    ]
    if view.details:
        toggle = {
            "type": "Action.ToggleVisibility",
            "title": view.details_title,
            "targetElements": [EXAMPLES_ID],
        }
        body.append({"type": "ActionSet", "actions": [toggle]})
        body.append(
            {
                "type": "Container",
                "id": EXAMPLES_ID,
                "isVisible": view.expanded,
                "style": "emphasis",
                "items": _paragraphs(view.details),
            }
        )
    if view.note:
        body.append(_text(view.note, color="accent"))
    for choice in view.choices:
        # One set per choice stacks the six buttons, so each label is readable on a phone.
        body.append({"type": "ActionSet", "spacing": "small", "actions": [action(choice)]})
    navigation = [action(b) for b in view.navigation if b.action != "examples"]
    if navigation:
        body.append({"type": "ActionSet", "spacing": "medium", "actions": navigation})
    body.append(_text(view.progress, isSubtle=True, size="small"))
    return _card(body)


def _input(field: Field) -> Element:
    if field.type == "choice":
        return {
            "type": "Input.ChoiceSet",
            "id": field.name,
            "label": field.label,
            "value": field.value or "",
            "choices": [{"title": o.label, "value": o.value} for o in field.options],
        }
    return {
        "type": "Input.Text",
        "id": field.name,
        "label": field.label,
        "value": field.value or "",
        "isMultiline": field.type == "textarea",
    }


def _form(view: Form, intros: bool = True) -> Element:
    """A setup form; competences are grouped under the catalog's headings, and why the
    last submission was refused at the top."""
    body = _heading(view.title, view.intro)
    if view.error:
        body.append(
            {"type": "Container", "style": TONES["error"], "items": _paragraphs(view.error)}
        )
    group = None
    for field in view.fields:
        if field.group != group:
            group = field.group
            if group:
                body.append(_text(group, weight="bolder", separator=True, spacing="large"))
            if intros and field.group_intro:
                body += [{**b, "isSubtle": True} for b in _paragraphs(field.group_intro)]
        body.append(_input(field))
        if field.hint:
            body.append(_text(field.hint, isSubtle=True, size="small", spacing="none"))
    return _card(body, [action(b) for b in view.submit])


def _sections(sections: tuple[Section, ...]) -> list[Element]:
    body: list[Element] = []
    for section in sections:
        body.append(_text(section.title, weight="bolder", spacing="medium"))
        body.extend(_text(f"• {line}", spacing="none") for line in section.lines)
    return body


def _toggled(title: str, target: str, items: list[Element]) -> list[Element]:
    """`items` hidden behind a button that shows and hides them."""
    toggle = {"type": "Action.ToggleVisibility", "title": title, "targetElements": [target]}
    hidden = {"type": "Container", "id": target, "isVisible": False, "items": items}
    return [{"type": "ActionSet", "spacing": "small", "actions": [toggle]}, hidden]


def _summary(view: SummaryCard, public_url: str) -> Element:
    """The gaps first, then the chart (tap to enlarge, or open it full size), then the
    chart's legend and the details, each behind its own toggle."""
    body = _heading(view.title, view.intro) + _sections(view.sections)
    if view.chart:
        url = chart_url(public_url, view.chart)
        body.append(
            {
                "type": "Image",
                "url": url,
                "altText": view.chart_alt,
                "size": "stretch",
                "msteams": {"allowExpand": True},
            }
        )
        body += _stacked([open_url(Link(view.open_chart, url))])
    if view.legend:
        body += _toggled(view.legend_title, LEGEND_ID, [_facts(view.legend)])
    if view.details:
        body += _toggled(view.details_title, DETAILS_ID, _sections(view.details))
    return _card(body, [action(b) for b in view.buttons])


def chart_url(public_url: str, token: str) -> str:
    """Where the bot serves a closed round's or campaign's chart (bots cannot upload files
    to channels)."""
    return f"{public_url.rstrip('/')}/files/{token}/chart.png"


def card(view: View, public_url: str) -> Element:
    """The view as an Adaptive Card; raises `CardTooLarge` past Teams' 40 KB."""
    if isinstance(view, Message):
        rendered = _message(view)
    elif isinstance(view, ChoicePrompt):
        rendered = _prompt(view)
    elif isinstance(view, Form):
        rendered = _form(view)
        if size(rendered) >= FORM_BUDGET:
            # A long form keeps its inputs and headings; the group introductions go first.
            rendered = _form(view, intros=False)
    else:
        rendered = _summary(view, public_url)
    if size(rendered) >= CARD_LIMIT:
        raise CardTooLarge(f"{view.kind} card is {size(rendered)} bytes")
    return rendered


def summary(view: View) -> str:
    """A one-line preview, which Teams shows in notifications instead of "Card"."""
    first = view.text.strip().split("\n", 1)[0] if isinstance(view, Message) else view.title
    return clip(plain(first), SUMMARY_LIMIT)


def activity(view: View, public_url: str) -> Element:
    """The message activity's JSON for a view; raises `CardTooLarge` past 28 KB."""
    payload: Element = {
        "type": "message",
        "summary": summary(view),
        "attachments": [{"contentType": CARD_TYPE, "content": card(view, public_url)}],
    }
    if size(payload) >= ACTIVITY_LIMIT:
        raise CardTooLarge(f"{view.kind} activity is {size(payload)} bytes")
    return payload


def refreshed(view: View, public_url: str) -> Element:
    """The body of an `adaptiveCard/action` invoke response that replaces the clicked card."""
    return {"statusCode": 200, "type": CARD_TYPE, "value": card(view, public_url)}


def notice(text: str) -> Element:
    """An invoke response that leaves the card as it is and shows the clicker a short text."""
    return {"statusCode": 200, "type": MESSAGE_TYPE, "value": plain(text)}
