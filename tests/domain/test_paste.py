"""Rows pasted from a spreadsheet: good rows read, every bad row reported with its number."""

from __future__ import annotations

from datetime import date

from ldpm.domain.paste import PastedRow, Problem, read_block


def test_tab_separated_rows_with_a_bad_value_and_a_bad_date() -> None:
    text = (
        "2026-03-16\t2.5\n"
        "2026-03-23\tn/a\n"
        "31/02/2026\t2\n"
        "\n"
        "2026-03-30\t1.9\tRemote engineers\tafter checklist v2\n"
    )
    block = read_block(text)
    assert block.rows == [
        PastedRow(1, date(2026, 3, 16), 2.5),
        PastedRow(5, date(2026, 3, 30), 1.9, "Remote engineers", "after checklist v2"),
    ]
    assert block.problems == [
        Problem(2, "Row 2: “n/a” is not a number."),
        Problem(
            3,
            "Row 3: “31/02/2026” is not a date in a known format (for example 2026-03-16 or "
            "16 Mar 2026).",
        ),
    ]
    assert not block.ok and not block.header


def test_a_header_row_is_skipped() -> None:
    block = read_block("Date\tValue\tSegment\n2026-03-16\t2.5\tTeam Blue\n")
    assert block.header
    assert block.rows == [PastedRow(2, date(2026, 3, 16), 2.5, "Team Blue")]
    assert block.ok


def test_a_missing_value_and_too_many_cells() -> None:
    block = read_block("2026-03-16\n2026-03-23\t2\ta\tb\tc\n")
    assert block.rows == []
    assert [p.line for p in block.problems] == [1, 2]
    assert block.problems[0].sentence == "Row 1 has a date but no value."
    assert "has 5 cells" in block.problems[1].sentence


def test_semicolons_and_the_readers_given() -> None:
    def comma_decimal(text: str) -> float | None:
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return None

    block = read_block('2026-03-16;2,5\n2026-03-23;"1,75"\n', read_number=comma_decimal)
    assert [(r.on.day, r.value) for r in block.rows] == [(16, 2.5), (23, 1.75)]


def test_percent_and_nothing_at_all() -> None:
    assert read_block("2026-03-16,45%\n").rows == [PastedRow(1, date(2026, 3, 16), 45.0)]
    empty = read_block("  \n\n")
    assert empty.rows == [] and empty.problems == [] and not empty.ok
