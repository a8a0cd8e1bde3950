"""CSV and XLSX exports read back with the exact numbers and nothing for suppressed rows."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Literal

import pytest
from openpyxl import load_workbook

from bot.domain import RoundCompetence
from bot.services.export import write_csv, write_xlsx
from bot.services.summary import Summary, summarize

HOSTILE = ['=HYPERLINK("http://x";"klik")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def make_summary(name: str = "Anvende fagsystemer") -> Summary:
    competences = [
        RoundCompetence("M02", name, "M1", "Anvendelse", 3),
        RoundCompetence("M18", "Brug data andre har skabt", "M1", "Anvendelse", 4),
        RoundCompetence("M51", "Læse-/skrivefærdigheder", "M5", "Underliggende", 2),
    ]
    scores = {
        "U1": {"M02": 4, "M18": 5, "M51": 2},
        "U2": {"M02": 1, "M18": 0},
        "U3": {"M02": 2},
        "U4": {},
    }
    return summarize(competences, scores, invited=5, min_respondents=3)


def test_plain_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "profile.csv"
    write_csv(make_summary(), path, "da", "plain")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))

    header, m02, m18, m51 = rows
    assert header[:10] == [
        "Id",
        "Kompetence",
        "Dimension",
        "Mål",
        "Antal svar",
        "Gennemsnit",
        "Median",
        "Gab (mål − gennemsnit)",
        "Andel under mål",
        "Kalibrér",
    ]
    assert header[10:16] == [f"Antal {score}" for score in range(6)]

    assert m02[:5] == ["M02", "Anvende fagsystemer", "M1", "3", "3"]
    assert float(m02[5]) == 7 / 3  # (4 + 1 + 2) / 3, exact to the last digit
    assert float(m02[6]) == 2.0
    assert float(m02[7]) == 2 / 3
    assert float(m02[8]) == 2 / 3
    assert m02[9] == "true"  # 4 − 1 = 3
    assert [int(count) for count in m02[10:16]] == [0, 1, 1, 0, 1, 0]

    assert m18[:5] == ["M18", "Brug data andre har skabt", "M1", "4", "2"]
    assert m18[5:16] == [""] * 11  # suppressed: no mean, no counts
    assert m51[3:5] == ["2", "1"]
    assert m51[5] == ""


def test_csv_for_danish_excel_by_default(tmp_path: Path) -> None:
    """Semicolons, decimal commas, one decimal, ja/nej: Danish Excel opens it as columns."""
    path = tmp_path / "profile.csv"
    write_csv(make_summary(), path, "da")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Id;Kompetence;Dimension;Mål;Antal svar;Gennemsnit;Median;")
    # M02: 4, 1, 2 -> mean 2,3, median 2,0, gap 0,7, two of three below target
    assert lines[1] == "M02;Anvende fagsystemer;M1;3;3;2,3;2,0;0,7;66,7%;ja;0;1;1;0;1;0;nej"
    assert lines[2] == "M18;Brug data andre har skabt;M1;4;2;;;;;;;;;;;;ja"


def test_csv_headers_and_booleans_in_english(tmp_path: Path) -> None:
    path = tmp_path / "profile.csv"
    write_csv(make_summary(), path, "en")
    header, m02 = path.read_text(encoding="utf-8-sig").splitlines()[:2]
    assert header.split(";")[:6] == ["Id", "Competence", "Dimension", "Target", "Answers", "Mean"]
    assert m02.split(";")[5:10] == ["2.3", "2.0", "0.7", "66.7%", "yes"]


def test_csv_rejects_an_unknown_dialect(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_csv(make_summary(), tmp_path / "x.csv", "da", "excel-se")  # type: ignore[arg-type]


@pytest.mark.parametrize("dialect", ["excel-da", "plain"])
@pytest.mark.parametrize("name", HOSTILE)
def test_csv_text_that_looks_like_a_formula_is_quoted(
    tmp_path: Path, dialect: Literal["excel-da", "plain"], name: str
) -> None:
    path = tmp_path / "profile.csv"
    write_csv(make_summary(name), path, "da", dialect)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";" if dialect == "excel-da" else ","))
    assert rows[1][1] == "'" + name
    assert rows[1][0] == "M02"  # ordinary text stays as it is


def test_csv_negative_numbers_are_not_quoted(tmp_path: Path) -> None:
    competences = [RoundCompetence("M02", "Anvende", "M1", "Anvendelse", 1)]
    scores = {f"U{i}": {"M02": 3} for i in range(3)}
    path = tmp_path / "profile.csv"
    write_csv(summarize(competences, scores, invited=3, min_respondents=3), path, "da")
    gap = path.read_text(encoding="utf-8-sig").splitlines()[1].split(";")[7]
    assert gap == "-2,0"


@pytest.mark.parametrize("name", HOSTILE)
def test_xlsx_text_that_looks_like_a_formula_stays_text(tmp_path: Path, name: str) -> None:
    path = tmp_path / "profile.xlsx"
    write_xlsx(make_summary(name), path, "da")
    cell = load_workbook(path)["Kompetencer"]["B2"]
    assert cell.data_type == "s"
    assert cell.value == name.replace("\r", "\n")  # XML reads a lone CR back as a line break


def test_xlsx_drops_characters_a_workbook_cannot_hold(tmp_path: Path) -> None:
    path = tmp_path / "profile.xlsx"
    write_xlsx(make_summary("Fag\x01systemer\x1b"), path, "da")
    assert load_workbook(path)["Kompetencer"]["B2"].value == "Fagsystemer"


def test_xlsx_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "profile.xlsx"
    write_xlsx(make_summary(), path, "en")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Competences", "Participation"]

    rows = list(workbook["Competences"].iter_rows(values_only=True))
    header, m02, m18, _ = rows
    assert header[:5] == ("Id", "Competence", "Dimension", "Target", "Answers")
    assert m02[:5] == ("M02", "Anvende fagsystemer", "M1", 3, 3)
    # openpyxl stores 16 significant digits (Excel itself keeps 15): exact to that precision
    assert m02[5] == pytest.approx(7 / 3, rel=1e-15, abs=0)
    assert m02[6] == 2.0
    assert m02[7] == pytest.approx(2 / 3, rel=1e-15, abs=0)
    assert m02[8] == pytest.approx(2 / 3, rel=1e-15, abs=0)
    assert m02[9] is True
    assert m02[10:16] == (0, 1, 1, 0, 1, 0)
    assert m18[:5] == ("M18", "Brug data andre har skabt", "M1", 4, 2)
    assert m18[5] is None  # suppressed: no mean
    assert all(cell is None for cell in m18[5:16])

    overview = list(workbook["Participation"].iter_rows(values_only=True))
    assert overview[0] == ("Invited", 5, None, None)
    assert overview[1] == ("Answered everything", 1, None, None)
    assert overview[2] == ("Participation rate", 0.2, None, None)
    assert overview[3] == ("Minimum answers", 3, None, None)
    assert overview[5] == ("Dimension", "Name", "Target", "Mean")
    assert overview[6][:3] == ("M1", "Anvendelse", 3.0)
    assert overview[6][3] == pytest.approx(7 / 3, rel=1e-15, abs=0)
    assert overview[7] == ("M5", "Underliggende", None, None)


def test_xlsx_sheet_names_in_danish(tmp_path: Path) -> None:
    path = tmp_path / "profile.xlsx"
    write_xlsx(make_summary(), path, "da")
    assert load_workbook(path).sheetnames == ["Kompetencer", "Deltagelse"]
