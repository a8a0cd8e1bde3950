"""A unit overview as files: one row per competence with the pooled numbers, then one column
per team with the team's mean where the rule lets it show (empty where it is hidden).

CSV is for Danish Excel like a round report's (semicolons, one decimal with the language's
separator); XLSX carries exact values, and a second sheet the participation per team. Team
and competence names come from users, so text never becomes a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from os import PathLike

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.services.export import HEADERS, Cell, _append, _csv_text
from bot.services.overview import Overview
from bot.services.summary import format_number

TEAMS_SHEET = {"da": "Hold", "en": "Teams"}
TEAM = {"da": "Hold", "en": "Team"}


def _header(overview: Overview, language: str) -> list[str]:
    h = HEADERS[language]
    pooled = [h[k] for k in ("id", "name", "dimension", "target", "n", "mean", "median", "gap")]
    return [*pooled, h["below_target"], *(f"{t.name} ({h['mean']})" for t in overview.teams)]


def _rows(overview: Overview) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for c in overview.pooled.competences:
        cells = overview.by_team[c.id]
        rows.append(
            [
                c.id, c.name, c.dimension, c.target, c.n,
                c.mean, c.median, c.gap, c.below_target,
                *(cell.mean for cell in cells),
            ]
        )  # fmt: skip
    return rows


def _danish_excel(cell: Cell, language: str, share: bool) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return _csv_text(cell)
    if isinstance(cell, float):
        return format_number(100 * cell, language) + "%" if share else format_number(cell, language)
    return str(cell)


SHARE_COLUMN = 8
"""0-based: below_target, shown in per cent."""


def write_csv(overview: Overview, path: str | PathLike[str], language: str) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([_csv_text(h) for h in _header(overview, language)])
        for row in _rows(overview):
            writer.writerow(
                [_danish_excel(c, language, i == SHARE_COLUMN) for i, c in enumerate(row)]
            )


def write_xlsx(overview: Overview, path: str | PathLike[str], language: str) -> None:
    h = HEADERS[language]
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = h["sheet"]
    _append(sheet, _header(overview, language))
    for row in _rows(overview):
        _append(sheet, row)
    for cells in sheet.iter_rows(min_row=2):
        for index, cell in enumerate(cells):
            if index >= 5:
                cell.number_format = "0%" if index == SHARE_COLUMN else "0.00"
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 50

    teams: Worksheet = workbook.create_sheet(TEAMS_SHEET[language])
    header: Sequence[Cell] = ["Id", TEAM[language], h["invited"], h["completed"], h["rate"]]
    _append(teams, header)
    for part in overview.teams:
        rate = part.completed / part.invited if part.invited else 0.0
        _append(teams, [part.key, part.name, part.invited, part.completed, rate])
    for cells in teams.iter_rows(min_row=2):
        cells[4].number_format = "0%"
    teams.column_dimensions["B"].width = 40
    workbook.save(path)
