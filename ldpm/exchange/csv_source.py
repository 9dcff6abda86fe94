"""CSV as spreadsheets and trackers write it: the encoding and the delimiter found out.

Encoding, from the bytes:

* a byte-order mark says it: UTF-8 (Excel's "CSV UTF-8"), UTF-16 little or big endian
  (Excel's "Unicode text", which is also tab-delimited);
* UTF-16 without a mark shows as a zero byte in every other position;
* otherwise the whole file is checked as UTF-8 (chunk by chunk, never all in memory); a file
  that is not UTF-8 is Windows-1252, what Excel writes as plain "CSV" on Western Windows;
* zero bytes or many control characters in the first 64 KB mean it is not text at all
  (a binary file renamed ``.csv``): refused with a sentence.

The delimiter is the one of comma, semicolon, tab and bar that splits the first rows most
consistently into more than one column; Excel's ``sep=;`` first line, when present, decides.
Rows follow RFC 4180 (quoted cells may hold delimiters, doubled quotes and line breaks).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Generator, Iterator
from pathlib import Path

from ldpm.exchange.problems import ExchangeProblem
from ldpm.exchange.source import Row, Table, unique_headers

#: How much of the file the encoding and delimiter are guessed from.
SAMPLE_BYTES = 64 * 1024
_CHUNK = 1024 * 1024
_DELIMITERS = (",", ";", "\t", "|")
#: The longest cell accepted (a cell longer than this is almost always an unclosed quote).
MAX_CELL = 1_000_000
#: How many records the delimiter is guessed from.
_SNIFF_RECORDS = 50

if csv.field_size_limit() < MAX_CELL:
    csv.field_size_limit(MAX_CELL)

_ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 (with a byte-order mark)",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16 (Unicode text)",
    "utf-16-le": "UTF-16 (Unicode text)",
    "utf-16-be": "UTF-16 (Unicode text)",
    "cp1252": "Windows-1252",
}


class CsvTable(Table):
    """A CSV file read with a known encoding and delimiter."""

    def __init__(
        self,
        path: Path,
        headers: list[str],
        *,
        encoding: str,
        delimiter: str,
        skip: int,
        header_number: int,
    ) -> None:
        super().__init__(
            path=path, headers=headers, kind="csv", encoding=encoding, delimiter=delimiter
        )
        self._skip = skip  # records before the header (a "sep=" line)
        self._header_number = header_number

    @property
    def encoding_name(self) -> str:
        return _ENCODING_NAMES.get(self.encoding, self.encoding)

    def rows(self) -> Iterator[Row]:
        width = len(self.headers)
        number = 0
        header = self._header_number
        for record in self._records():
            number += 1
            if number <= header:
                continue
            joined = "".join(record)
            if not joined or joined.isspace():
                continue  # a blank row
            size = len(record)
            if size == width:
                yield Row(number, record)  # type: ignore[arg-type]
            elif size < width:
                yield Row(number, record + [""] * (width - size))  # type: ignore[arg-type]
            else:
                overflow = sum(1 for cell in record[width:] if cell.strip())
                yield Row(number, record[:width], overflow)  # type: ignore[arg-type]

    def _records(self) -> Generator[list[str], None, None]:
        errors = "replace" if self.encoding == "cp1252" else "strict"
        number = 0
        try:
            with self.path.open(encoding=self.encoding, errors=errors, newline="") as fh:
                reader = csv.reader(fh, delimiter=self.delimiter, strict=False)
                for index, record in enumerate(reader):
                    if index < self._skip:
                        continue
                    number += 1
                    yield record
        except csv.Error:
            raise ExchangeProblem(
                f"Row {number + 1} of “{self.path.name}” has a quote that is never closed, "
                "so LDPM cannot tell where its cells end. Fix it in the file and import again."
            ) from None
        except UnicodeDecodeError:
            raise ExchangeProblem(
                f"Row {number + 1} of “{self.path.name}” is not in the file's text encoding "
                f"({self.encoding_name}). Save the file again as “CSV UTF-8” and import that."
            ) from None
        except OSError as exc:
            raise ExchangeProblem(
                f"LDPM could not read “{self.path.name}”: {exc.strerror}."
            ) from None


def open_csv(path: Path) -> CsvTable:
    """Open a text file as CSV (see the module docstring).  Raises :class:`ExchangeProblem`."""
    name = path.name
    try:
        with path.open("rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise ExchangeProblem(f"LDPM could not read “{name}”: {exc.strerror}.") from None
    encoding = detect_encoding(path, sample)
    text = _decode_sample(sample, encoding)
    if not text.strip():
        raise ExchangeProblem(f"“{name}” is empty: it has no rows to import.")
    skip = 0
    first_line = text.lstrip("\ufeff").split("\n", 1)[0].strip().strip('"')
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        delimiter = first_line[4]
        skip = 1
    else:
        delimiter = detect_delimiter(text)
    table = CsvTable(path, [], encoding=encoding, delimiter=delimiter, skip=skip, header_number=0)
    header: list[str] | None = None
    number = 0
    records = table._records()
    try:
        for record in records:
            number += 1
            if header is None:
                if any(cell.strip() for cell in record):
                    header = record
                    table._header_number = number
                continue
            if any(cell.strip() for cell in record):
                break
        else:
            if header is None:
                raise ExchangeProblem(f"“{name}” is empty: it has no rows to import.")
            raise ExchangeProblem(
                f"“{name}” has only a header row: there are no rows below it to import."
            )
    finally:
        records.close()
    assert header is not None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    table.headers = unique_headers(header)
    return table


def detect_encoding(path: Path, sample: bytes) -> str:
    """The codec name to read ``path`` with (``sample`` is its first bytes)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(sample) >= 4:
        even = sample[0::2]
        odd = sample[1::2]
        if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
            return "utf-16-le"
        if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
            return "utf-16-be"
    if b"\x00" in sample or _control_share(sample) > 0.05:
        raise ExchangeProblem(
            f"“{path.name}” is not a text file, so it cannot be a CSV. Export the data from "
            "its program as CSV or as an Excel workbook (.xlsx) and import that."
        )
    return "utf-8" if _is_utf8(path) else "cp1252"


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return controls / len(sample)


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode_sample(sample: bytes, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(sample, final=False)


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first records of ``text`` most consistently into more
    than one column (comma when none does)."""
    if "\n" in text:
        text = text[: text.rfind("\n") + 1]  # whole lines only
    best = ","
    best_score = (0.0, 0)
    for delimiter in _DELIMITERS:
        counts: list[int] = []
        reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
        try:
            for record in reader:
                if not any(cell.strip() for cell in record):
                    continue
                counts.append(len(record))
                if len(counts) >= _SNIFF_RECORDS:
                    break
        except csv.Error:
            continue
        if not counts:
            continue
        width, hits = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (hits / len(counts), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best
