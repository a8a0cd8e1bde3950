"""Every bilingual text of the catalog and its templates, named by where it sits."""

from __future__ import annotations

from collections.abc import Iterator

from catalog.loader import load_catalog
from catalog.models import Text
from catalog.profiles import TEMPLATES, _template_data

CATALOG = load_catalog()


def catalog_texts() -> Iterator[tuple[str, Text]]:
    """Every bilingual text a person may read, named by where it sits."""
    for dim in CATALOG.dimensions.values():
        yield f"{dim.id} name", dim.name
        yield f"{dim.id} description", dim.description
        for area in dim.areas:
            yield f"{dim.id} area {area.name.da}", area.name
            if area.description:
                yield f"{dim.id} area intro {area.name.da}", area.description
    for c in CATALOG.competences.values():
        yield f"{c.id} name", c.name
        yield f"{c.id} description", c.description
        if c.examples:
            yield f"{c.id} examples", c.examples
        if c.group:
            yield f"{c.id} group", c.group
    for edition, name in CATALOG.editions.items():
        yield f"edition {edition}", name
        yield f"edition {edition} description", CATALOG.edition_descriptions[edition]
    method = CATALOG.method
    for key in ("purpose", "not_everyone", "occasions", "together", "calibration"):
        yield f"method {key}", getattr(method, key)
    for step in method.steps:
        yield f"step {step.number}", step.text
        yield f"step {step.number} summary", step.summary
    for level in CATALOG.scale:
        yield f"scale {level.level}", level.label
    yield "source note", CATALOG.source_note


def template_texts() -> Iterator[tuple[str, Text]]:
    for name in TEMPLATES:
        data = _template_data(name)
        yield f"{name} name", Text(data["name"], data["name_en"])
        for item in data["competences"]:
            for key in ("name", "description", "examples"):
                if key in item:
                    yield f"{name} {item['id']} {key}", Text(**item[key])
