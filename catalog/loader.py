"""Reads the catalog's YAML data once and checks it is whole."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, cast

import yaml

from catalog.models import (
    EDITIONS,
    Area,
    Catalog,
    Competence,
    Dimension,
    Edition,
    Method,
    ScaleLevel,
    Step,
    Text,
)

DIMENSION_FILES = ("M1", "M2", "M3", "M4", "M5", "L1", "L2", "L3", "L4", "L5")


class CatalogDataError(ValueError):
    """The packaged catalog data is broken: a bug in this release, not a user error."""


def _read(name: str) -> dict[str, Any]:
    raw = resources.files("catalog").joinpath("data", f"{name}.yaml").read_text("utf-8")
    return cast(dict[str, Any], yaml.safe_load(raw))


def text(value: Any, where: str) -> Text:
    if not isinstance(value, dict) or not value.get("da") or not value.get("en"):
        raise CatalogDataError(f"{where}: needs a Danish and an English text")
    return Text(da=str(value["da"]).strip(), en=str(value["en"]).strip())


def _competence(
    item: dict[str, Any], dim_id: str, edition: Edition, area: Text, group: Text | None
) -> Competence:
    cid = str(item["id"])
    examples = item.get("examples")
    return Competence(
        id=cid,
        edition=edition,
        dimension=dim_id,
        area=area,
        name=text(item.get("name"), f"{cid}.name"),
        description=text(item.get("description"), f"{cid}.description"),
        examples=text(examples, f"{cid}.examples") if examples else None,
        group=group,
        name_supplied=bool(item.get("name_supplied")),
    )


def _area(
    data: dict[str, Any], dim_id: str, edition: Edition, name: Text, out: dict[str, Competence]
) -> Area:
    """An area's competences, directly or under its groups (headings within the area)."""
    ids: list[str] = []
    for group in data.get("groups") or [{"competences": data["competences"]}]:
        heading = text(group["name"], f"{dim_id} group") if group.get("name") else None
        for item in group["competences"]:
            competence = _competence(item, dim_id, edition, name, heading)
            if competence.id in out:
                raise CatalogDataError(f"{competence.id}: defined twice")
            out[competence.id] = competence
            ids.append(competence.id)
    intro = data.get("description")
    return Area(name, text(intro, f"{dim_id} area intro") if intro else None, tuple(ids))


def _dimension(data: dict[str, Any], competences: dict[str, Competence]) -> Dimension:
    dim_id = str(data["id"])
    edition = cast(Edition, data["edition"])
    if edition not in EDITIONS:
        raise CatalogDataError(f"{dim_id}: unknown edition {edition!r}")
    name = text(data["name"], f"{dim_id}.name")
    areas = tuple(
        _area(
            area,
            dim_id,
            edition,
            text(area["name"], f"{dim_id} area") if area.get("name") else name,
            competences,
        )
        for area in data.get("areas") or []
    )
    return Dimension(
        id=dim_id,
        edition=edition,
        name=name,
        description=text(data["description"], f"{dim_id}.description"),
        areas=areas,
        uses=tuple(str(u) for u in data.get("uses") or ()),
    )


def _method(data: dict[str, Any]) -> Method:
    steps = tuple(
        Step(
            int(step["step"]),
            text(step["summary"], f"method step {step['step']} summary"),
            text(step["text"], f"method step {step['step']}"),
        )
        for step in data["steps"]
    )
    if [s.number for s in steps] != [1, 2, 3, 4, 5]:
        raise CatalogDataError("the method must have the steps 1 to 5")
    return Method(
        purpose=text(data["purpose"], "method.purpose"),
        not_everyone=text(data["not_everyone"], "method.not_everyone"),
        occasions=text(data["occasions"], "method.occasions"),
        together=text(data["together"], "method.together"),
        steps=steps,
        calibration=text(data["calibration"], "method.calibration"),
    )


@cache
def load_catalog() -> Catalog:
    """The packaged catalog (cached: it is read-only data)."""
    meta = _read("catalog")
    competences: dict[str, Competence] = {}
    dimensions = {name: _dimension(_read(name), competences) for name in DIMENSION_FILES}
    for dim in dimensions.values():
        missing = [u for u in dim.uses if u not in competences]
        if missing:
            raise CatalogDataError(f"{dim.id} uses unknown competences {missing}")
    scale = tuple(
        ScaleLevel(int(s["level"]), text(s["label"], f"scale {s['level']}")) for s in meta["scale"]
    )
    if [s.level for s in scale] != list(range(6)):
        raise CatalogDataError("the scale must have the levels 0 to 5")
    editions = meta["editions"]
    return Catalog(
        source_note=text(meta["source"]["note"], "source.note"),
        editions={e: text(editions[e]["name"], f"edition {e}") for e in EDITIONS},
        edition_descriptions={
            e: text(editions[e]["description"], f"edition {e}") for e in EDITIONS
        },
        dimensions=dimensions,
        competences=competences,
        scale=scale,
        method=_method(meta["method"]),
    )
