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
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    data: dict[str, Any] = field(default_factory=dict)
    style: Style = "default"

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", clip(self.label))


@dataclass(frozen=True)
class Message:
    """Text (light markdown: *bold*, line breaks) with optional buttons."""

    text: str
    buttons: tuple[Button, ...] = ()
    tone: Tone = "info"
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
    """Inputs submitted together by one of `submit` (a Slack modal, an Adaptive Card)."""

    key: str
    title: str
    intro: str
    fields: tuple[Field, ...]
    submit: tuple[Button, ...]
    kind: Literal["form"] = "form"


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class SummaryCard:
    """Aggregates with a chart: a round's summary, or a unit's overview. `chart` is the
    token of the round or campaign whose chart goes with it, if any."""

    title: str
    intro: str
    sections: tuple[Section, ...]
    chart: str | None = None
    chart_alt: str = ""
    buttons: tuple[Button, ...] = ()
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


def _buttons(items: list[dict[str, Any]]) -> tuple[Button, ...]:
    return tuple(Button(**item) for item in items)


def view_from_dict(data: dict[str, Any]) -> View:
    """Inverse of `view_to_dict`, for views read back from the outbox."""
    kind = data["kind"]
    values = {k: v for k, v in data.items() if k != "kind"}
    if kind == "message":
        return Message(**{**values, "buttons": _buttons(values["buttons"])})
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
        sections = tuple(Section(s["title"], tuple(s["lines"])) for s in values["sections"])
        buttons = _buttons(values.get("buttons", []))
        return SummaryCard(**{**values, "sections": sections, "buttons": buttons})
    raise ValueError(f"unknown view kind {kind!r}")
