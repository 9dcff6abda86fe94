"""Writes the spreadsheet fixtures in this folder (run by hand; the files are committed).

    python tests/data/make_fixtures.py

* ``jira-all-fields.csv`` — Jira's "Export Excel CSV (all fields)": UTF-8, commas, repeated
  "Labels" columns, "12/Mar/25 9:14 AM" timestamps, a description with a line break, a
  summary that is a formula, one row without a summary and one with "eight" story points.
* ``measurements-de.csv`` — what German Excel saves as "CSV (Trennzeichen-getrennt)":
  Windows-1252, semicolons, decimal commas, 1.234,5, dates as 03.02.2025, CRLF; bad rows:
  "n/a" as a value, a metric that does not exist, 31.02.2025.
* ``hr-stakeholders.xlsx`` — an HR list: typed cells (a date, a percentage, whole numbers), the
  people on the second sheet after a cover sheet; bad rows: a power of 12, a row without a
  name.
* ``protected.xlsx`` — the start of an encrypted Office file (an OLE compound file holding an
  "EncryptedPackage" stream), as Excel writes a workbook with a password.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent

JIRA = [
    ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Assignee",
     "Reporter", "Created", "Updated", "Labels", "Labels", "Labels", "Description",
     "Custom field (Story Points)", "Fix Version/s", "Sprint"],
    ["Hand-off checklist in the incident channel", "OPS-101", "10101", "Story", "Done", "High",
     "Tomás Reyes", "Maya Lindqvist", "12/Mar/25 9:14 AM", "02/Apr/25 4:45 PM", "handoff", "mvp",
     "", "One screen pinned in every incident channel.\nSeven points, confirm-back at the end.",
     "3", "MVP — hand-off kit", "OPS Sprint 4"],
    ["Shadowing rotation with the on-call leads", "OPS-102", "10102", "Story", "In Progress",
     "Medium", "Aisha Karimi", "Maya Lindqvist", "12/Mar/25 9:20 AM", "28/Mar/25 11:02 AM",
     "handoff", "sme", "", "Two weeks, three shifts each.", "5", "MVP — hand-off kit",
     "OPS Sprint 4"],
    ["Micro-module for new hires: your first hand-off", "OPS-103", "10103", "Task", "To Do",
     "Low", "", "Maya Lindqvist", "13/Mar/25 2:05 PM", "13/Mar/25 2:05 PM", "onboarding", "", "",
     "10 minutes, in the LMS.", "2", "", ""],
    ['=HYPERLINK("http://evil.example","Click")', "OPS-104", "10104", "Bug", "Won't Do",
     "Lowest", "", "Sam Ortiz", "14/Mar/25 12:30 PM", "15/Mar/25 8:00 AM", "", "", "",
     "Someone pasted a formula.", "", "", ""],
    ["", "OPS-105", "10105", "Story", "Open", "Low", "", "Sam Ortiz", "15/Mar/25 10:00 AM",
     "15/Mar/25 10:00 AM", "", "", "", "No summary.", "1", "", ""],
    ["Pairing sessions for incident commanders", "OPS-106", "10106", "Story",
     "Selected for Development", "Medium", "", "Maya Lindqvist", "16/Mar/25 3:15 PM",
     "16/Mar/25 3:15 PM", "", "", "", "", "eight", "", ""],
]  # fmt: skip

GERMAN = [
    "Kennzahl;Datum;Wert;Segment;Bemerkung",
    "Hand-off errors per incident;03.02.2025;2,48;;Ausgangswert",
    "Hand-off errors per incident;10.02.2025;2,31;Remote engineers;",
    "Hand-off errors per incident;17.02.2025;1.234,5;;Ausreißer? prüfen",
    "Mean time to resolve (minutes);17.02.2025;84,0;;",
    "Hand-off errors per incident;24.02.2025;n/a;;fehlt",
    "Unbekannte Kennzahl;24.02.2025;3;;",
    "Hand-off errors per incident;31.02.2025;2,0;;",
]

HR = [
    ["Employee ID", "First name", "Last name", "Job title", "Department", "Email",
     "Stakeholder type", "Influence", "Interest", "Start date", "FTE"],
    ["E1001", "Daniel", "Okafor", "Head of Engineering", "Engineering",
     "daniel.okafor@northwind.example", "Sponsor", 9, 9, date(2019, 4, 1), 1.0],
    ["E1002", "Helen", "Brandt", "Director of Operations", "Operations",
     "helen.brandt@northwind.example", "Business leader", 9, 6, date(2017, 9, 15), 1.0],
    ["E1003", "Tomás", "Reyes", "On-call Lead, Platform", "Operations",
     "tomas.reyes@northwind.example", "SME", 4, 8, date(2021, 1, 11), 0.8],
    ["E1004", "Grace", "Liu", "HR Business Partner", "People",
     "grace.liu@northwind.example", "Liaison", 12, 5, date(2020, 6, 1), 1.0],
    ["E1005", "", "", "Contractor", "Operations", "", "", 3, 3, date(2024, 2, 1), 0.5],
    ["E1006", "Priya", "Nair", "On-call Engineer", "Operations",
     "priya.nair@northwind.example", "Learner", 2, 7, date(2024, 11, 4), 1.0],
]  # fmt: skip


def main() -> None:
    with (HERE / "jira-all-fields.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(JIRA)
    (HERE / "measurements-de.csv").write_bytes(("\r\n".join(GERMAN) + "\r\n").encode("cp1252"))

    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    cover = book.active
    cover.title = "Read me"
    cover["A1"] = "Stakeholder list for the incident hand-off initiative (HR export)"
    sheet = book.create_sheet("Stakeholders")
    for row in HR:
        sheet.append(row)
    for cell in sheet["J"][1:]:
        cell.number_format = "dd.mm.yyyy"
    for cell in sheet["K"][1:]:
        cell.number_format = "0%"
    book.save(HERE / "hr-stakeholders.xlsx")

    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entries = b"".join(
        name.encode("utf-16-le").ljust(64, b"\x00") + bytes(64)
        for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")
    )
    (HERE / "protected.xlsx").write_bytes(header + entries + bytes(1024))


if __name__ == "__main__":
    main()
