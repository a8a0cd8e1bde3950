"""Neutral views rendered as Block Kit, always inside Slack's limits.

Slack rejects a whole message when one limit is broken, so every limit is enforced here
rather than trusted: at most 50 blocks in a message and 100 in a modal, 25 elements in an
actions block, 75 characters of button text, 2,000 of button value, 3,000 of section text,
150 of header text and 24 of modal title. A button's `action_id` is `action:index`, unique
within the view; its `value` is the JSON of the button's data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

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
    View,
    clip,
    message_text,
    table_line,
)

MAX_MESSAGE_BLOCKS = 50
MAX_MODAL_BLOCKS = 100
MAX_ACTIONS = 25
MAX_VALUE = 2000
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_MODAL_TITLE = 24
MAX_OPTIONS = 100
MAX_METADATA = 3000
MAX_FIELDS = 10
INPUT_PREFIX = "f:"
INPUT_ACTION = "v"
TONE_PREFIX = {
    "info": "",
    "success": ":white_check_mark: ",
    "warning": ":warning: ",
    "error": ":no_entry: ",
}

Block = dict[str, Any]


class TooLarge(ValueError):
    """A form that cannot fit in one modal; the adapter says so instead of sending it."""


def escape(text: str) -> str:
    """Slack's three control characters: unescaped, a name like `<!channel>` would ping."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str, limit: int = MAX_SECTION) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text or " ", limit), "emoji": True}


def _chunks(text: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in [line[i : i + limit] for i in range(0, len(line), limit)] or [""]:
            if current and len(current) + 1 + len(piece) > limit:
                chunks.append(current)
                current = piece
            else:
                current = f"{current}\n{piece}" if current else piece
    chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


def sections(text: str) -> list[Block]:
    """Light markdown as section blocks, split at line breaks to stay under 3,000 chars."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
        for chunk in _chunks(escape(text), MAX_SECTION)
    ]


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(escape(text), 3000)}]}


def button(item: Button, index: int) -> dict[str, Any]:
    value = json.dumps(item.data, separators=(",", ":"), ensure_ascii=False)
    if len(value) > MAX_VALUE:
        raise ValueError(f"button {item.action!r} carries {len(value)} characters of data")
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(item.label, 75),
        "action_id": f"{item.action}:{index}",
        "value": value,
    }
    if item.style != "default":
        element["style"] = item.style
    return element


def actions(buttons: Sequence[Button], first_index: int = 0) -> list[Block]:
    """Buttons in rows of at most 25; indexes continue across rows so ids stay unique."""
    rows = []
    for start in range(0, len(buttons), MAX_ACTIONS):
        row = buttons[start : start + MAX_ACTIONS]
        rows.append(
            {
                "type": "actions",
                "elements": [button(b, first_index + start + i) for i, b in enumerate(row)],
            }
        )
    return rows


def _fit(blocks: list[Block], limit: int) -> list[Block]:
    if len(blocks) <= limit:
        return blocks
    return [*blocks[: limit - 1], context("…")]


def _fields(facts: Sequence[Fact]) -> list[Block]:
    """Facts as a section's two-column fields, at most ten a section."""
    return [
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": clip(f"*{escape(f.label)}:* {escape(f.value)}", 2000)}
                for f in facts[start : start + MAX_FIELDS]
            ],
        }
        for start in range(0, len(facts), MAX_FIELDS)
    ]


def _links(links: Sequence[Link]) -> list[Block]:
    """Links as Slack's named links, never a raw URL in the text."""
    if not links:
        return []
    named = (f"<{link.url}|{escape(link.label).replace('|', '/')}>" for link in links)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": "  ·  ".join(named)}}]


def _message(view: Message) -> list[Block]:
    blocks = [*sections(TONE_PREFIX[view.tone] + view.text), *_fields(view.facts)]
    if view.table is not None:
        table = view.table
        blocks += sections("\n".join(table_line(table, row) for row in table.rows))
        blocks += [context(note) for note in table.notes]
    return [*blocks, *_links(view.links), *actions(view.buttons)]


def _prompt(view: ChoicePrompt) -> list[Block]:
    blocks = [context(f"{view.progress} · {view.subtitle}")]
    blocks += sections(f"*{view.title}*\n{view.body}" if view.body else f"*{view.title}*")
    if view.expanded and view.details:
        blocks += sections(f"*{view.details_title}*\n{view.details}")
    if view.note:
        blocks.append(context(view.note))
    blocks += actions(view.choices)
    navigation = [b for b in view.navigation if b.action != "examples" or not view.expanded]
    blocks += actions(navigation, len(view.choices))
    return blocks


def _sections(items: Sequence[Section]) -> list[Block]:
    blocks: list[Block] = []
    for section in items:
        lines = "\n".join(f"• {line}" for line in section.lines)
        blocks += sections(f"*{section.title}*\n{lines}")
    return blocks


def _summary(view: SummaryCard, chart_url: str | None) -> list[Block]:
    """The gaps, the chart right after them with its legend, then the details."""
    blocks: list[Block] = [{"type": "header", "text": plain(view.title, MAX_HEADER)}]
    blocks += sections(view.intro)
    blocks += _sections(view.sections)
    if chart_url:
        blocks.append(
            {"type": "image", "image_url": chart_url, "alt_text": clip(view.chart_alt or "-", 2000)}
        )
        if view.legend:
            legend = " · ".join(f"{fact.label} {fact.value}" for fact in view.legend)
            blocks.append(context(legend))
    return blocks + _sections(view.details) + actions(view.buttons)


def message_blocks(view: View, *, chart_url: str | None = None) -> list[Block]:
    """A message's blocks; `chart_url` adds the summary chart as an image (public URL only)."""
    if isinstance(view, Message):
        blocks = _message(view)
    elif isinstance(view, ChoicePrompt):
        blocks = _prompt(view)
    elif isinstance(view, SummaryCard):
        blocks = _summary(view, chart_url)
    else:
        blocks = [*sections(f"*{view.title}*\n{view.intro}")]
    return _fit(blocks, MAX_MESSAGE_BLOCKS)


def fallback_text(view: View) -> str:
    """The notification text that goes with the blocks (and shows where blocks cannot)."""
    if isinstance(view, Message):
        return clip(message_text(view), MAX_SECTION)
    if isinstance(view, ChoicePrompt):
        return clip(f"{view.title} ({view.progress})", MAX_SECTION)
    return clip(view.title, MAX_SECTION)


def _element(field: Field) -> dict[str, Any]:
    if field.type == "choice":
        if len(field.options) > MAX_OPTIONS:
            raise TooLarge(f"field {field.name!r} has {len(field.options)} options")
        options = [{"text": plain(o.label, 75), "value": o.value[:150]} for o in field.options]
        element: dict[str, Any] = {
            "type": "static_select",
            "action_id": INPUT_ACTION,
            "options": options,
        }
        chosen = [o for o in options if o["value"] == field.value]
        if chosen:
            element["initial_option"] = chosen[0]
        return element
    element = {
        "type": "plain_text_input",
        "action_id": INPUT_ACTION,
        "multiline": field.type == "textarea",
    }
    if field.value:
        element["initial_value"] = field.value
    return element


def _input(field: Field) -> Block:
    block: Block = {
        "type": "input",
        "block_id": f"{INPUT_PREFIX}{field.name}"[:255],
        "label": plain(field.label, 2000),
        "element": _element(field),
        "optional": field.type != "choice",
    }
    if field.hint:
        block["hint"] = plain(field.hint, 2000)
    return block


def _inputs(fields: Iterable[Field], headers: bool) -> list[Block]:
    blocks: list[Block] = []
    group = None
    for field in fields:
        if headers and field.group and field.group != group:
            blocks.append({"type": "header", "text": plain(field.group, MAX_HEADER)})
            blocks += sections(field.group_intro or "")
        group = field.group
        blocks.append(_input(field))
    return blocks


def modal(form: Form, metadata: dict[str, Any]) -> dict[str, Any]:
    """A form as a modal. Slack modals have one submit button, and every form here has one;
    its action and data travel in `private_metadata` with `metadata`."""
    submit = form.submit[0]
    intro = sections(form.intro)
    inputs = _inputs(form.fields, headers=True)
    if len(intro) + len(inputs) > MAX_MODAL_BLOCKS:
        inputs = _inputs(form.fields, headers=False)
    if len(intro) + len(inputs) > MAX_MODAL_BLOCKS:
        raise TooLarge(f"form {form.key!r} needs {len(intro) + len(inputs)} blocks")
    private = json.dumps(
        {**metadata, "a": submit.action, "d": submit.data},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    if len(private) > MAX_METADATA:
        raise TooLarge(f"form {form.key!r} carries {len(private)} characters of metadata")
    return {
        "type": "modal",
        "callback_id": form.key[:255],
        "title": plain(form.title, MAX_MODAL_TITLE),
        "submit": plain(submit.label, MAX_MODAL_TITLE),
        "private_metadata": private,
        "blocks": intro + inputs,
    }


def message_modal(view: View, title: str) -> dict[str, Any]:
    """A message shown where a modal was: after a form is saved, or when it is refused."""
    return {
        "type": "modal",
        "callback_id": "message",
        "title": plain(title, MAX_MODAL_TITLE),
        "blocks": _fit(message_blocks(view), MAX_MODAL_BLOCKS),
    }


def first_input(view: dict[str, Any]) -> str | None:
    """The block id of a submitted modal's first input: where a refusal is shown."""
    for block in view.get("blocks") or ():
        if block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return None
