"""The catalog's domain objects: immutable, bilingual, free of any platform type."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Language = Literal["da", "en"]
Edition = Literal["employee", "leader"]
LANGUAGES: tuple[Language, ...] = ("da", "en")
EDITIONS: tuple[Edition, ...] = ("employee", "leader")


@dataclass(frozen=True)
class Text:
    """A text in both languages; Danish is the source, English our translation."""

    da: str
    en: str

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.da


@dataclass(frozen=True)
class Competence:
    """`group` is the source's heading within an area (Brugerkompetencer has five);
    `name_supplied` marks a name the project wrote where the source's name cell is empty."""

    id: str
    edition: Edition
    dimension: str
    area: Text
    name: Text
    description: Text
    examples: Text | None = None
    group: Text | None = None
    name_supplied: bool = False


@dataclass(frozen=True)
class Area:
    """A sub-heading of a dimension as the source prints it, with its introduction (the
    advice people need when they choose, e.g. adapt the user competences to local systems).
    A dimension without sub-headings has one area named like the dimension."""

    name: Text
    description: Text | None
    competence_ids: tuple[str, ...]


@dataclass(frozen=True)
class Dimension:
    id: str
    edition: Edition
    name: Text
    description: Text
    areas: tuple[Area, ...]
    uses: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScaleLevel:
    level: int
    label: Text


@dataclass(frozen=True)
class Step:
    """One of section 4's five steps: the catalog's text and a one-line summary of it."""

    number: int
    summary: Text
    text: Text


@dataclass(frozen=True)
class Method:
    """Section 4, quoted where people decide: what the catalog is for, who needs what, when
    to use it, that the steps are done together, the steps, and step 4's calibration advice."""

    purpose: Text
    not_everyone: Text
    occasions: Text
    together: Text
    steps: tuple[Step, ...]
    calibration: Text


@dataclass(frozen=True)
class Catalog:
    """The whole KL catalog; dicts keep catalog order."""

    source_note: Text
    editions: dict[str, Text]
    edition_descriptions: dict[str, Text]
    dimensions: dict[str, Dimension]
    competences: dict[str, Competence]
    scale: tuple[ScaleLevel, ...]
    method: Method
    _order: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _areas: dict[str, Area] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._order.update({cid: i for i, cid in enumerate(self.competences)})
        for dimension in self.dimensions.values():
            self._areas.update({cid: a for a in dimension.areas for cid in a.competence_ids})

    def competence(self, competence_id: str) -> Competence:
        return self.competences[competence_id]

    def area(self, competence_id: str) -> Area:
        return self._areas[competence_id]

    def of_edition(self, edition: Edition | None = None) -> list[Competence]:
        return [c for c in self.competences.values() if edition is None or c.edition == edition]

    def order(self, competence_id: str) -> int:
        """Catalog position, for sorting a profile the way the catalog reads."""
        return self._order.get(competence_id, len(self._order))

    def scale_label(self, level: int, language: str) -> str:
        return self.scale[level].label(language)
