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
from bot.views import Button, ChoicePrompt, Field, Form, Message, SummaryCard, View

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
CARD_LIMIT = 40 * 1024
ACTIVITY_LIMIT = 28 * 1024
FORM_BUDGET = ACTIVITY_LIMIT - 2 * 1024
"""A form card's size that leaves room for the activity around it."""
EXAMPLES_ID = "examples"
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
    body: list[Element] = [
        {"type": "Container", "style": TONES[view.tone], "items": _paragraphs(view.text)}
    ]
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
    """A setup form; competences are grouped under the catalog's headings."""
    body = _heading(view.title, view.intro)
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


def _summary(view: SummaryCard, public_url: str) -> Element:
    body = _heading(view.title, view.intro)
    for section in view.sections:
        body.append(_text(section.title, weight="bolder", spacing="medium"))
        body.extend(_text(f"• {line}", spacing="none") for line in section.lines)
    if view.chart:
        body.append(
            {
                "type": "Image",
                "url": chart_url(public_url, view.chart),
                "altText": view.chart_alt,
                "size": "stretch",
            }
        )
    return _card(body)


def chart_url(public_url: str, token: str) -> str:
    """Where the bot serves a closed round's chart (bots cannot upload to channels)."""
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
    return plain(first)[:200]


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
