"""Spreadsheet cells that cannot run: CSV and XLSX writers and the readers' inverse.

OWASP's rule against formula injection: a cell that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return is written with a leading apostrophe, so that no spreadsheet reads
it as a formula. A cell that itself starts with an apostrophe gets one more, so that
reading drops exactly one and every value comes back as it was. XLSX cells holding text
are also typed as text (never a formula), whatever they start with.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutral(value: Any) -> Any:
    """A cell value that no spreadsheet evaluates (text only; numbers stay numbers)."""
    if isinstance(value, str) and value.startswith((*TRIGGERS, QUOTE)):
        return QUOTE + value
    return value


def restored(text: str) -> str:
    """The value a neutralised cell stood for (the inverse of `neutral`)."""
    return text[1:] if text.startswith(QUOTE) else text


def write_csv_rows(out: TextIO, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    """CSV to `out`: a header row, then the rows by column, every cell neutralised."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutral(c) for c in columns])
    for row in rows:
        writer.writerow([neutral(row[c]) for c in columns])


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """CSV with a header row, every cell neutralised."""
    out = io.StringIO()
    write_csv_rows(out, columns, rows)
    return out.getvalue()


def text_cell(sheet: Any, value: Any) -> Any:
    """A write-only XLSX cell: text neutralised and typed as text, numbers as numbers."""
    cell = WriteOnlyCell(sheet, value=neutral(value))
    if isinstance(value, str):
        cell.data_type = "s"  # never "f" (formula), whatever the text starts with
    return cell


def write_xlsx_rows(
    out: Path | BinaryIO, title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """An XLSX workbook of one sheet to `out`: a header row, then the rows, every cell safe."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append([text_cell(sheet, c) for c in columns])
    for row in rows:
        sheet.append([text_cell(sheet, v) for v in row])
    book.save(out)


def xlsx_bytes(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """An XLSX workbook of one sheet: a header row, then the rows, every cell safe."""
    out = io.BytesIO()
    write_xlsx_rows(out, title, columns, rows)
    return out.getvalue()
