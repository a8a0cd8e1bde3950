"""A small view vocabulary every channel can render: Block Kit, Adaptive Cards, HTML.

Views are plain frozen data and serialise to JSON, so the outbox can store them and any
process can render them later. Limits are chosen to fit every channel: at most 25 buttons a
row-group, button labels at most 75 characters, no more than 50 blocks in a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

MAX_LABEL = 75

Style = Literal["primary", "danger", "default"]
Tone = Literal["info", "success", "warning", "error"]


def clip(text: str, limit: int = MAX_LABEL) -> str:
    """`text` in at most `limit` characters, cut at a word boundary with "…" (a phone
    notification or a button that ends mid-word reads as a mistake). A single word longer
    than most of the room is cut where it must be."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if not text[limit - 1].isspace() and space >= limit * 0.5:
        cut = cut[:space]
    return cut.rstrip(" ,.;:·–-") + "…"


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    data: dict[str, Any] = field(default_factory=dict)
    style: Style = "default"

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", clip(self.label))


@dataclass(frozen=True)
class Fact:
    """One labelled value (a count, a deadline): a FactSet row, a Slack field."""

    label: str
    value: str


@dataclass(frozen=True)
class Link:
    """A page or file the reader opens in a browser (an export): a link button, never a
    raw URL in the text."""

    label: str
    url: str


@dataclass(frozen=True)
class Table:
    """Rows under column headers; the first column names the row. `notes` explain the
    table's marks and are read under it."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Message:
    """Text (light markdown: *bold*, line breaks), then its facts, table, links and buttons."""

    text: str
    buttons: tuple[Button, ...] = ()
    tone: Tone = "info"
    facts: tuple[Fact, ...] = ()
    table: Table | None = None
    links: tuple[Link, ...] = ()
    kind: Literal["message"] = "message"


@dataclass(frozen=True)
class ChoicePrompt:
    """One question with its choices: the score prompt. `key` names the competence asked."""

    key: str
    title: str
    subtitle: str
    body: str
    progress: str
    choices: tuple[Button, ...]
    navigation: tuple[Button, ...] = ()
    details: str | None = None
    details_title: str = ""
    expanded: bool = False
    note: str | None = None
    selected: int | None = None
    kind: Literal["prompt"] = "prompt"


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """A form field: `choice` (one of options), `text` (one line) or `textarea`.

    Consecutive fields with the same `group` sit under one heading; `group_intro`, on the
    group's first field, is read under that heading (a channel short of room may leave it out,
    together with the headings).
    """

    name: str
    label: str
    type: Literal["choice", "text", "textarea"] = "choice"
    options: tuple[Option, ...] = ()
    value: str | None = None
    group: str | None = None
    hint: str | None = None
    group_intro: str | None = None


@dataclass(frozen=True)
class Form:
    """Inputs submitted together by one of `submit` (a Slack modal, an Adaptive Card);
    `error` why the last submission was refused, shown in the form, its inputs kept."""

    key: str
    title: str
    intro: str
    fields: tuple[Field, ...]
    submit: tuple[Button, ...]
    error: str = ""
    kind: Literal["form"] = "form"


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class SummaryCard:
    """Aggregates with a chart: a round's summary, or a unit's overview. `chart` is the
    token of the round or campaign whose chart goes with it, if any.

    `sections` come first (the largest gaps), then the chart, whose axis names competences
    by id: `legend` gives their names. `details` (calibration, dimensions, changes) may sit
    behind a toggle titled `details_title` where a channel has one; `open_chart` labels a
    link to the full-size chart.
    """

    title: str
    intro: str
    sections: tuple[Section, ...]
    chart: str | None = None
    chart_alt: str = ""
    buttons: tuple[Button, ...] = ()
    details: tuple[Section, ...] = ()
    details_title: str = ""
    legend: tuple[Fact, ...] = ()
    legend_title: str = ""
    open_chart: str = ""
    kind: Literal["summary"] = "summary"


View = Message | ChoicePrompt | Form | SummaryCard


def _plain(value: Any) -> Any:
    """Views hold only dataclasses, tuples and JSON scalars; this is `asdict` without its
    deep copies, which dominate a 10,000-member fan-out."""
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def view_to_dict(view: View) -> dict[str, Any]:
    result: dict[str, Any] = _plain(view)
    return result


def message_text(view: Message) -> str:
    """The whole message as light-markdown lines: for plain-text fallbacks and the CLI."""
    lines = [view.text] if view.text else []
    lines += [f"{fact.label}: {fact.value}" for fact in view.facts]
    if view.table is not None:
        lines += [table_line(view.table, row) for row in view.table.rows]
        lines += view.table.notes
    lines += [f"{link.label}: {link.url}" for link in view.links]
    return "\n".join(lines)


def table_line(table: Table, row: tuple[str, ...]) -> str:
    """A row as one line of text: "M02 Navn: dit svar 3 · mål 4"."""
    cells = zip(table.columns[1:], row[1:], strict=True)
    return f"{row[0]}: " + " · ".join(f"{column.lower()} {cell}" for column, cell in cells)


def _buttons(items: list[dict[str, Any]]) -> tuple[Button, ...]:
    return tuple(Button(**item) for item in items)


def _facts(items: list[dict[str, Any]]) -> tuple[Fact, ...]:
    return tuple(Fact(**item) for item in items)


def _sections(items: list[dict[str, Any]]) -> tuple[Section, ...]:
    return tuple(Section(s["title"], tuple(s["lines"])) for s in items)


def view_from_dict(data: dict[str, Any]) -> View:
    """Inverse of `view_to_dict`, for views read back from the outbox."""
    kind = data["kind"]
    values = {k: v for k, v in data.items() if k != "kind"}
    if kind == "message":
        table = values.get("table")
        return Message(
            **{
                **values,
                "buttons": _buttons(values["buttons"]),
                "facts": _facts(values.get("facts", [])),
                "links": tuple(Link(**item) for item in values.get("links", [])),
                "table": None
                if table is None
                else Table(
                    tuple(table["columns"]),
                    tuple(tuple(row) for row in table["rows"]),
                    tuple(table["notes"]),
                ),
            }
        )
    if kind == "prompt":
        return ChoicePrompt(
            **{
                **values,
                "choices": _buttons(values["choices"]),
                "navigation": _buttons(values["navigation"]),
            }
        )
    if kind == "form":
        fields = tuple(
            Field(**{**f, "options": tuple(Option(**o) for o in f["options"])})
            for f in values["fields"]
        )
        return Form(**{**values, "fields": fields, "submit": _buttons(values["submit"])})
    if kind == "summary":
        return SummaryCard(
            **{
                **values,
                "sections": _sections(values["sections"]),
                "buttons": _buttons(values.get("buttons", [])),
                "details": _sections(values.get("details", [])),
                "legend": _facts(values.get("legend", [])),
            }
        )
    raise ValueError(f"unknown view kind {kind!r}")
