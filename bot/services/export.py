"""The team's profile as files for talks with training providers (the catalog's step 5).

Files carry the exact values of the summary, not the one-decimal text of the channel: they
are read by spreadsheets and scripts that round for themselves (CSV: the shortest repr that
reads back to the same float; XLSX: openpyxl's 16 significant digits, past Excel's own 15).
Suppressed competences keep their identity, target and n but leave every aggregate cell
empty, as everywhere else.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from os import PathLike

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.services.summary import CompetenceSummary, Summary

Cell = str | int | float | bool | None

HEADERS: dict[str, dict[str, str]] = {
    "da": {
        "sheet": "Kompetencer",
        "overview": "Deltagelse",
        "id": "Id",
        "name": "Kompetence",
        "dimension": "Dimension",
        "target": "Mål",
        "n": "Antal svar",
        "mean": "Gennemsnit",
        "median": "Median",
        "gap": "Gab (mål − gennemsnit)",
        "below_target": "Andel under mål",
        "calibrate": "Kalibrér",
        "count": "Antal {score}",
        "suppressed": "For få svar",
        "invited": "Inviterede",
        "completed": "Svaret på alt",
        "rate": "Svarprocent",
        "min_respondents": "Mindste antal svar",
        "dimension_name": "Navn",
    },
    "en": {
        "sheet": "Competences",
        "overview": "Participation",
        "id": "Id",
        "name": "Competence",
        "dimension": "Dimension",
        "target": "Target",
        "n": "Answers",
        "mean": "Mean",
        "median": "Median",
        "gap": "Gap (target − mean)",
        "below_target": "Share below target",
        "calibrate": "Calibrate",
        "count": "Count {score}",
        "suppressed": "Too few answers",
        "invited": "Invited",
        "completed": "Answered everything",
        "rate": "Participation rate",
        "min_respondents": "Minimum answers",
        "dimension_name": "Name",
    },
}

_FRACTION_COLUMNS = (6, 7, 8)  # mean, median, gap (1-based, as openpyxl counts)
_SHARE_COLUMN = 9


def write_csv(summary: Summary, path: str | PathLike[str], language: str) -> None:
    """One row per competence; UTF-8 with a byte-order mark so Excel shows æ, ø and å."""
    headers = _headers(language)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(_header_row(headers))
        for competence in summary.competences:
            writer.writerow(["" if cell is None else _csv_cell(cell) for cell in _row(competence)])


def write_xlsx(summary: Summary, path: str | PathLike[str], language: str) -> None:
    """Competences on the first sheet, participation and dimensions on the second."""
    headers = _headers(language)
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = headers["sheet"]
    sheet.append(_header_row(headers))
    for competence in summary.competences:
        sheet.append(list(_row(competence)))
    for row in sheet.iter_rows(min_row=2):
        for column in _FRACTION_COLUMNS:
            row[column - 1].number_format = "0.00"
        row[_SHARE_COLUMN - 1].number_format = "0%"
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["B"].width = 60

    overview: Worksheet = workbook.create_sheet(headers["overview"])
    participation = summary.participation
    overview.append([headers["invited"], participation.invited])
    overview.append([headers["completed"], participation.completed])
    overview.append([headers["rate"], participation.rate])
    overview["B3"].number_format = "0%"
    overview.append([headers["min_respondents"], summary.min_respondents])
    overview.append([])
    overview.append(
        [headers["dimension"], headers["dimension_name"], headers["target"], headers["mean"]]
    )
    for dimension in summary.dimensions:
        overview.append([dimension.id, dimension.name, dimension.target, dimension.mean])
    overview.column_dimensions["A"].width = 22
    overview.column_dimensions["B"].width = 40
    workbook.save(path)


def _headers(language: str) -> dict[str, str]:
    try:
        return HEADERS[language]
    except KeyError:
        raise ValueError(f"unsupported language {language!r}") from None


def _header_row(headers: dict[str, str]) -> list[str]:
    keys = ("id", "name", "dimension", "target", "n", "mean", "median", "gap", "below_target")
    return [
        *(headers[key] for key in keys),
        headers["calibrate"],
        *(headers["count"].format(score=score) for score in range(6)),
        headers["suppressed"],
    ]


def _row(competence: CompetenceSummary) -> Sequence[Cell]:
    counts: tuple[Cell, ...] = (
        tuple(competence.distribution) if competence.distribution is not None else (None,) * 6
    )
    return (
        competence.id,
        competence.name,
        competence.dimension,
        competence.target,
        competence.n,
        competence.mean,
        competence.median,
        competence.gap,
        competence.below_target,
        competence.calibrate,
        *counts,
        competence.suppressed,
    )


def _csv_cell(cell: str | int | float | bool) -> str:
    """Booleans as true/false and floats in their shortest exact-round-trip form."""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return repr(cell)
    return str(cell)
