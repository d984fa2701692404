"""Rate files for `ramstein fx import`: the ECB's history (.csv or its .zip) or one's own table."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from ramstein.domain.ecb import parse_rates
from ramstein.domain.errors import InputError
from ramstein.domain.money import DayRate


def read_rates(path: Path) -> list[DayRate]:
    """Every rate in the file; InputError naming the file, row and column of a bad cell."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if not names:
                    raise InputError("file", f"{path.name} holds no .csv file")
                text = archive.read(names[0]).decode("utf-8-sig")
        else:
            text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise InputError("file", f"cannot read {path}: {exc}") from None
    rates = parse_rates(csv.reader(io.StringIO(text)))
    if not rates:
        raise InputError("file", f"{path.name} holds no rates")
    return rates
