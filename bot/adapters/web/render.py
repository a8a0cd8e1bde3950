"""Neutral views as HTML fragments for the playground; every text is escaped here."""

from __future__ import annotations

import json
import re
from html import escape

from bot.views import (
    Button,
    ChoicePrompt,
    Fact,
    Form,
    Link,
    Message,
    Section,
    SummaryCard,
    Table,
    View,
)

LINK = re.compile(r"(https?://[^\s<]+)")
BOLD = re.compile(r"\*([^*\n]+)\*")
CODE = re.compile(r"`([^`\n]+)`")


def rich(text: str) -> str:
    """The views' light markdown (*bold*, `code`, links, line breaks) as safe HTML."""
    html = escape(text)
    html = CODE.sub(r"<code>\1</code>", html)
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = LINK.sub(r'<a href="\1" target="_blank" rel="noopener">\1</a>', html)
    return html.replace("\n", "<br>")


def button(item: Button, css: str = "") -> str:
    payload = escape(json.dumps(item.data, ensure_ascii=False), quote=True)
    classes = f"btn btn-{item.style} {css}".strip()
    return (
        f'<button type="button" class="{classes}" data-action="{escape(item.action)}" '
        f'data-payload="{payload}">{escape(item.label)}</button>'
    )


def _facts(facts: tuple[Fact, ...]) -> str:
    if not facts:
        return ""
    rows = "".join(f"<dt>{escape(f.label)}:</dt> <dd>{escape(f.value)}</dd>" for f in facts)
    return f'<dl class="facts">{rows}</dl>'


def _table(table: Table | None) -> str:
    if table is None:
        return ""
    head = "".join(f"<th>{escape(column)}</th>" for column in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows
    )
    notes = "".join(f'<p class="fineprint">{escape(note)}</p>' for note in table.notes)
    return f'<table class="rows"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{notes}'


def _buttons(items: tuple[Button, ...], links: tuple[Link, ...] = ()) -> str:
    anchors = "".join(
        f'<a class="btn btn-default" href="{escape(link.url, quote=True)}" target="_blank" '
        f'rel="noopener">{escape(link.label)}</a>'
        for link in links
    )
    buttons = anchors + "".join(button(b) for b in items)
    return f'<div class="buttons">{buttons}</div>' if buttons else ""


def _message(view: Message) -> str:
    row = _buttons(view.buttons, view.links)
    return (
        f'<div class="card tone-{view.tone}"><div class="text">{rich(view.text)}</div>'
        f"{_facts(view.facts)}{_table(view.table)}{row}</div>"
    )


def _prompt(view: ChoicePrompt) -> str:
    details = ""
    if view.details:
        opened = " open" if view.expanded else ""
        details = (
            f'<details class="examples"{opened}><summary>{escape(view.details_title)}</summary>'
            f"<p>{rich(view.details)}</p></details>"
        )
    note = f'<p class="note">{escape(view.note)}</p>' if view.note else ""
    choices = "".join(button(b, "choice") for b in view.choices)
    navigation = "".join(
        button(b) for b in view.navigation if b.action != "examples" or not view.details
    )
    return (
        f'<div class="card prompt" data-key="{escape(view.key)}"><div class="head">'
        f'<div class="progress">{escape(view.progress)}</div>'
        f"<h3>{escape(view.title)}</h3>"
        f'<div class="subtitle">{escape(view.subtitle)}</div></div>'
        f"<p>{rich(view.body)}</p>{details}{note}"
        f'<div class="choices">{choices}</div>'
        f'<div class="buttons nav">{navigation}</div></div>'
    )


def _form(view: Form) -> str:
    parts: list[str] = []
    group = None
    for field in view.fields:
        if field.group != group:
            group = field.group
            if group:
                parts.append(f"<h4>{escape(group)}</h4>")
            if field.group_intro:
                parts.append(f'<p class="group-intro">{rich(field.group_intro)}</p>')
        name = escape(field.name, quote=True)
        label = f'<span class="label">{escape(field.label)}</span>'
        if field.type == "choice":
            options = "".join(
                f'<option value="{escape(o.value, quote=True)}"'
                f"{' selected' if o.value == field.value else ''}>{escape(o.label)}</option>"
                for o in field.options
            )
            control = f'<select name="{name}">{options}</select>'
        elif field.type == "textarea":
            control = f'<textarea name="{name}" rows="3">{escape(field.value or "")}</textarea>'
        else:
            value = escape(field.value or "", quote=True)
            control = f'<input type="text" name="{name}" value="{value}">'
        parts.append(f'<label class="field">{label}{control}</label>')
    submit = "".join(button(b, "submit") for b in view.submit)
    error = f'<p class="form-error" role="alert">{escape(view.error)}</p>' if view.error else ""
    return (
        f'<form class="card form" data-key="{escape(view.key)}" onsubmit="return false">'
        f"<h3>{escape(view.title)}</h3><p>{rich(view.intro)}</p>{error}{''.join(parts)}"
        f'<div class="buttons">{submit}</div></form>'
    )


def _sections(sections: tuple[Section, ...]) -> str:
    return "".join(
        f"<h4>{escape(s.title)}</h4><ul>{''.join(f'<li>{rich(x)}</li>' for x in s.lines)}</ul>"
        for s in sections
    )


def _folded(title: str, content: str) -> str:
    return f'<details class="more"><summary>{escape(title)}</summary>{content}</details>'


def _summary(view: SummaryCard) -> str:
    """The gaps, the chart right after them, its legend and the details folded away."""
    chart = ""
    if view.chart:
        src = f"/files/{escape(view.chart, quote=True)}/chart.png"
        alt = escape(view.chart_alt, quote=True)
        # A link to the image itself: on a phone the chart is too small to read in the card.
        chart = (
            f'<a class="chart-link" href="{src}" target="_blank" rel="noopener">'
            f'<img class="chart" src="{src}" alt="{alt}"></a>'
        )
    legend = _folded(view.legend_title, _facts(view.legend)) if view.legend else ""
    details = _folded(view.details_title, _sections(view.details)) if view.details else ""
    return (
        f'<div class="card summary"><h3>{escape(view.title)}</h3>'
        f"<p>{rich(view.intro)}</p>{_sections(view.sections)}{chart}{legend}{details}"
        f"{_buttons(view.buttons)}</div>"
    )


def render(view: View) -> str:
    if isinstance(view, Message):
        return _message(view)
    if isinstance(view, ChoicePrompt):
        return _prompt(view)
    if isinstance(view, Form):
        return _form(view)
    return _summary(view)
