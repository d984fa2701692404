"""Spreadsheets in and out: templates with validation lists, and rows read from CSV or XLSX.

A template's first row holds the field names, the second an example; XLSX templates carry
drop-down lists for the fields with fixed choices. Reading gives each data row with the
spreadsheet row number it came from, so that errors can point at it.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from ramstein.domain.errors import InputError
from ramstein.domain.sheets import Row, columns
from ramstein.io.cells import QUOTE, neutral, restored


def write_template(kind: str, path: Path) -> None:
    """Write the template of `kind` as .xlsx (with drop-down lists) or .csv."""
    cols = columns(kind)
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow([neutral(c.name) for c in cols])
            writer.writerow([neutral(c.example) for c in cols])
        return
    if path.suffix.lower() != ".xlsx":
        raise InputError("file", f"write a .xlsx or .csv template, not {path.name!r}")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind
    sheet.append([c.name for c in cols])
    sheet.append([c.example for c in cols])
    for i, col in enumerate(cols, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = max(14, len(col.example) + 4)
        if col.choices:
            check = DataValidation(
                type="list",
                formula1=f'"{",".join(col.choices)}"',
                allow_blank=False,
                showErrorMessage=True,
                errorTitle=f"Invalid {col.name}",
                error=f"{col.name} is one of: {', '.join(col.choices)}",
            )
            check.add(f"{letter}2:{letter}100000")
            sheet.add_data_validation(check)
    notes = book.create_sheet("fields")
    notes.append(["field", "what it holds", "choices"])
    for col in cols:
        notes.append([col.name, col.help, ", ".join(col.choices)])
    book.save(path)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):  # datetime from a date cell
        return str(value.date())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return restored(str(value).strip())


def _csv_rows(path: Path, text: str) -> tuple[list[str], Iterator[Row]]:
    """The header and rows of CSV text; a malformed line (a NUL byte, a cell over the
    field limit) is bad input naming the file and its line when the rows are read."""
    reader = csv.reader(io.StringIO(text))

    def lines() -> Iterator[list[str]]:
        try:
            yield from reader
        except csv.Error as exc:
            raise InputError("file", f"{path.name} line {reader.line_num}: {exc}") from None

    records = lines()
    header = [restored(h.strip()) for h in next(records, [])]

    def body() -> Iterator[Row]:
        # `restored` inline: a million rows of ten cells each is ten million calls.
        for n, values in enumerate(records, start=2):
            cells = [v.strip() for v in values]
            if any(cells):
                texts = [v[1:] if v[:1] == QUOTE else v for v in cells]
                yield Row(n, dict(zip(header, texts, strict=False)))

    return header, body()


def _with_rows(
    path: Path, header: list[str], body: Iterator[Row]
) -> tuple[list[str], Iterator[Row]]:
    """Header and rows, refusing a file with no data rows (a header alone is no import)."""
    first = next(body, None)
    if first is None:
        raise InputError("file", f"{path.name}: no rows")
    return header, itertools.chain([first], body)


def read_rows(path: Path, *, sheet: str | None = None) -> tuple[list[str], Iterator[Row]]:
    """The header and the data rows of a .csv, .xlsx or .parquet file (empty rows skipped).

    A file that cannot be read (missing, a directory, not UTF-8, binary, damaged) or that
    has no data rows is bad input.
    """
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError("file", f"{path} does not exist")
    if not path.is_file():
        raise InputError("file", f"{path} is not a file")
    if suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                "file", f"{path.name} is not UTF-8 text (byte {exc.start}: {exc.reason})"
            ) from None
        except OSError as exc:
            raise InputError("file", f"cannot read {path}: {exc.strerror or exc}") from None
        if "\x00" in text:
            raise InputError("file", f"{path.name} is binary, not CSV text")
        return _with_rows(path, *_csv_rows(path, text))
    if suffix == ".xlsx":
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a damaged file
            raise InputError("file", f"{path.name} is not a readable .xlsx: {exc}") from None
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError("file", f"{path.name} has no sheet {sheet!r}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [_text(h) for h in next(rows, ())]
        body = (
            Row(n, dict(zip(header, (_text(v) for v in values), strict=False)))
            for n, values in enumerate(rows, start=2)
            if any(v not in (None, "") for v in values)
        )
        return _with_rows(path, header, body)
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowException) as exc:
            raise InputError("file", f"{path.name} is not a readable .parquet: {exc}") from None
        header = list(table.column_names)
        records = table.to_pylist()
        return _with_rows(
            path,
            header,
            (Row(n, {k: _text(v) for k, v in r.items()}) for n, r in enumerate(records, start=2)),
        )
    raise InputError("file", f"read a .csv, .xlsx or .parquet file, not {path.name!r}")
