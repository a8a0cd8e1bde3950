"""The team's profile as files for talks with training providers (the catalog's step 5).

XLSX and the plain CSV carry the exact values of the summary, for spreadsheets and scripts
that round for themselves (CSV: the shortest repr that reads back to the same float; XLSX:
openpyxl's 16 significant digits, past Excel's own 15). The default CSV is for Danish
Excel, which splits on semicolons and reads decimal commas: one decimal, as the channel
shows. Suppressed competences keep their identity, target and n but leave every aggregate
cell empty, as everywhere else.

Names come from users, so text never becomes a formula: a CSV text cell that a spreadsheet
would evaluate gets a leading `'`, and every XLSX text cell is stored as a string.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from os import PathLike
from typing import Literal, get_args

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from bot.services.summary import CompetenceSummary, Summary, format_number

Cell = str | int | float | bool | None
CsvDialect = Literal["excel-da", "plain"]
CSV_DIALECTS: tuple[str, ...] = get_args(CsvDialect)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet evaluate a CSV cell instead of showing it."""
BOOLEANS = {"da": ("ja", "nej"), "en": ("yes", "no")}

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


def write_csv(
    summary: Summary,
    path: str | PathLike[str],
    language: str,
    dialect: CsvDialect = "excel-da",
) -> None:
    """One row per competence; UTF-8 with a byte-order mark so Excel shows æ, ø and å."""
    headers = _headers(language)
    if dialect not in CSV_DIALECTS:
        raise ValueError(f"unsupported CSV dialect {dialect!r}")
    danish_excel = dialect == "excel-da"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";" if danish_excel else ",")
        writer.writerow([_csv_text(header) for header in _header_row(headers)])
        for competence in summary.competences:
            cells = zip(_row(competence), _CSV_KINDS, strict=True)
            if danish_excel:
                writer.writerow([_excel_da_cell(cell, kind, language) for cell, kind in cells])
            else:
                writer.writerow([_plain_cell(cell) for cell, _ in cells])


def write_xlsx(summary: Summary, path: str | PathLike[str], language: str) -> None:
    """Competences on the first sheet, participation and dimensions on the second."""
    headers = _headers(language)
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = headers["sheet"]
    _append(sheet, _header_row(headers))
    for competence in summary.competences:
        _append(sheet, _row(competence))
    for row in sheet.iter_rows(min_row=2):
        for column in _FRACTION_COLUMNS:
            row[column - 1].number_format = "0.00"
        row[_SHARE_COLUMN - 1].number_format = "0%"
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["B"].width = 60

    overview: Worksheet = workbook.create_sheet(headers["overview"])
    participation = summary.participation
    _append(overview, [headers["invited"], participation.invited])
    _append(overview, [headers["completed"], participation.completed])
    _append(overview, [headers["rate"], participation.rate])
    overview["B3"].number_format = "0%"
    _append(overview, [headers["min_respondents"], summary.min_respondents])
    _append(overview, [])
    _append(
        overview,
        [headers["dimension"], headers["dimension_name"], headers["target"], headers["mean"]],
    )
    for dimension in summary.dimensions:
        _append(overview, [dimension.id, dimension.name, dimension.target, dimension.mean])
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


_CSV_KINDS = ("text",) * 3 + ("number",) * 2 + ("decimal",) * 3 + ("share",) + ("number",) * 8
"""How the Danish dialect writes each column of `_row` (booleans are known by their type)."""


def _plain_cell(cell: Cell) -> str:
    """Booleans as true/false and floats in their shortest exact-round-trip form."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return repr(cell)
    return _csv_text(cell) if isinstance(cell, str) else str(cell)


def _excel_da_cell(cell: Cell, kind: str, language: str) -> str:
    """One decimal with the language's separator, shares in per cent, booleans as words."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        yes, no = BOOLEANS[language]
        return yes if cell else no
    if isinstance(cell, str):
        return _csv_text(cell)
    if kind == "share":
        return format_number(100 * cell, language) + "%"
    if kind == "decimal":
        return format_number(cell, language)
    return str(cell)


def _csv_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _append(sheet: Worksheet, cells: Sequence[Cell]) -> None:
    """A row whose text cells are strings, never formulas, without what XML cannot hold."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells])
    for column, value in enumerate(cells, start=1):
        if isinstance(value, str):
            sheet.cell(row=sheet.max_row, column=column).data_type = "s"
