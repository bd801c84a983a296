"""Writes good/workbook.xlsx, the committed XLSX fixture (run once; the file is committed).

It mimics a workbook a person fills in by hand: capitalised sheet names, an
extra notes sheet, Dutch labels, real date cells next to dates typed as text,
a number cell as a key, number and yes/no cells in extra columns, a weight
typed with a decimal comma.

    python tests/unit/files/make_xlsx_fixture.py
"""

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def main() -> None:
    wb = Workbook()
    notes = wb.active
    notes.title = "Toelichting"
    notes["A1"] = "Vul de bladen Actors en Ties in. Dit blad wordt niet ingelezen."

    actors = wb.create_sheet("Actors")
    actors.append(["Key", "Kind", "Name", "Proeftuin", "leeftijd", "vrijwilliger", "sinds"])
    actors.append(["a1", "bewoner", "Ünal", "zwolle", 34, True, dt.datetime(2020, 5, 1)])
    actors.append(["a2", "Bewoner", "Anne-Marie 't Hart", "zwolle", 61.5, False, None])
    actors.append([1001, "fonds", "Fonds Leefbaarheid", "zwolle|utrecht", None, None, None])
    actors.append([None, None, None, None, None, None, None])  # an empty row in between
    actors.append(["g1", "gemeente", "Wijkregisseur", None, None, None, None])

    ties = wb.create_sheet("Ties")
    ties.append(["source", "target", "type", "since", "until", "weight", "provenance"])
    ties.append(["a1", "a2", "kent", dt.datetime(2024, 3, 1), None, 2, "enquête"])
    ties.append(["1001", "a1", "financiert", "15-01-2024", dt.datetime(2024, 12, 31), "1,5", None])
    ties.append(["g1", "a2", "ondersteunt", dt.datetime(2024, 2, 1), None, 0.5, None])
    for row in (2, 3, 4):
        for col in ("D", "E"):
            ties[f"{col}{row}"].number_format = "dd-mm-yyyy"

    meetings = wb.create_sheet("Meetings")
    meetings.append(["key", "date", "title", "proeftuin"])
    meetings.append(["m1", dt.datetime(2024, 3, 12), "Buurtavond", "zwolle"])
    meetings["B2"].number_format = "dd-mm-yyyy"

    attendance = wb.create_sheet("Attendance")
    attendance.append(["meeting", "actor"])
    attendance.append(["m1", "a1"])
    attendance.append(["m1", 1001])

    wb.save(HERE / "good" / "workbook.xlsx")


if __name__ == "__main__":
    main()
