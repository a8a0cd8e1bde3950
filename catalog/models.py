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
    id: str
    edition: Edition
    dimension: str
    area: Text
    name: Text
    description: Text
    examples: Text | None = None


@dataclass(frozen=True)
class Dimension:
    id: str
    edition: Edition
    name: Text
    description: Text
    competence_ids: tuple[str, ...]
    uses: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScaleLevel:
    level: int
    label: Text


@dataclass(frozen=True)
class Catalog:
    """The whole KL catalog; dicts keep catalog order."""

    source_title: str
    source_publisher: str
    source_note: Text
    editions: dict[str, Text]
    edition_descriptions: dict[str, Text]
    dimensions: dict[str, Dimension]
    competences: dict[str, Competence]
    scale: tuple[ScaleLevel, ...]
    method: tuple[Text, ...]
    calibration: Text
    _order: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._order.update({cid: i for i, cid in enumerate(self.competences)})

    def competence(self, competence_id: str) -> Competence:
        return self.competences[competence_id]

    def of_edition(self, edition: Edition | None = None) -> list[Competence]:
        return [c for c in self.competences.values() if edition is None or c.edition == edition]

    def order(self, competence_id: str) -> int:
        """Catalog position, for sorting a profile the way the catalog reads."""
        return self._order.get(competence_id, len(self._order))

    def scale_label(self, level: int, language: str) -> str:
        return self.scale[level].label(language)
