"""The ledger out: CSV, XLSX and Parquet in the import template's columns, and JSON as a
`ramstein.scenario/1` document, so that every export imports back to the same ledger."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ramstein.domain.contribution_schema import FIELDS, ContributionRowDoc
from ramstein.domain.contributions import Contribution
from ramstein.domain.errors import InputError
from ramstein.domain.nations import IndicatorValue
from ramstein.domain.scenario import Scenario
from ramstein.io.cells import write_csv_rows, write_xlsx_rows
from ramstein.io.scenario_json import ContributionDoc

FORMATS = (".csv", ".xlsx", ".json", ".parquet")


def row_of(c: Contribution) -> dict[str, str]:
    """A contribution in the template's columns: the one row shape of every export."""
    return ContributionRowDoc.cells(c)


def write_csv(out: TextIO, contributions: Sequence[Contribution]) -> int:
    """Contributions as CSV rows under the template's header; returns the rows.

    Every cell goes through `io.cells`: one that a spreadsheet would run as a formula is
    written with a leading apostrophe, which the readers drop again.
    """
    write_csv_rows(out, FIELDS, (row_of(c) for c in contributions))
    return len(contributions)


def write_xlsx(
    out: Path | BinaryIO, contributions: Sequence[Contribution], *, title: str = "contributions"
) -> int:
    """Contributions as a workbook's rows under the template's header (amounts as numbers).

    Text cells are typed as text and neutralised as in `write_csv` (`io.cells`).
    """

    def cells(c: Contribution) -> list[Any]:
        row: dict[str, Any] = row_of(c)
        row["amount"] = _xlsx_number(c.amount)
        return [row[name] for name in FIELDS]

    write_xlsx_rows(out, title, FIELDS, (cells(c) for c in contributions))
    return len(contributions)


def _xlsx_number(amount: float | None) -> float | str | None:
    """An amount as a number where a workbook holds it exactly (16 digits), else its text."""
    if amount is None or float(f"{amount:.16g}") == amount:
        return amount
    return repr(amount)


def contribution_document(c: Contribution) -> dict[str, Any]:
    """A contribution as the scenario document holds it (no empty funders, no null parent)."""
    doc = ContributionDoc.model_construct(**ContributionDoc.values_of(c)).model_dump(mode="json")
    if not c.funders:
        del doc["funders"]
    if c.parent is None:
        del doc["parent"]
    return doc


def _series(values: dict[int, IndicatorValue]) -> dict[str, Any]:
    return {
        str(year): {"amount": v.amount, "currency": v.currency, "unit": v.unit}
        for year, v in sorted(values.items())
    }


def scenario_document(scenario: Scenario) -> dict[str, Any]:
    """A scenario as `ramstein.scenario/1`, its optional key rules and flow links included."""
    key: dict[str, Any] = {"indicator": scenario.key_indicator, "year": scenario.key_year}
    if scenario.key_years:
        key["years"] = list(scenario.key_years)
    if scenario.key_floor is not None:
        key["floor"] = scenario.key_floor
    if scenario.key_ceiling is not None:
        key["ceiling"] = scenario.key_ceiling
    if scenario.key_gradient is not None:
        key["capacity"] = {"gradient": scenario.key_gradient}
    return {
        "format": "ramstein.scenario/1",
        "name": scenario.name,
        "baseline": {"amount": scenario.baseline_amount, "currency": scenario.baseline_currency},
        "period": {
            "start": scenario.period_start.isoformat(),
            "end": scenario.period_end.isoformat(),
        },
        "key": key,
        "opt_out": list(scenario.opt_out),
        "opt_out_share": scenario.opt_out_share.value,
        "nations": [
            {"iso3": n.iso3, "name": n.name}
            | {k: _series(v) for k, v in n.indicators.items() if k in ("gdp", "gni", "population")}
            for n in scenario.nations
        ],
        "fx": [
            {"from": r.source, "to": r.target, "year": r.year, "rate": r.rate} for r in scenario.fx
        ],
        "fx_rule": scenario.fx_rule.value,
        "contributions": [contribution_document(c) for c in scenario.contributions],
    }


def export(path: Path, contributions: list[Contribution], scenario: Scenario | None) -> int:
    """Write the contributions (JSON: the scenario with them) to `path`; returns the rows."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            return write_csv(f, contributions)
    if suffix == ".xlsx":
        return write_xlsx(path, contributions)
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [row_of(c) for c in contributions]
        pq.write_table(pa.table({n: [r[n] for r in rows] for n in FIELDS}), path)
        return len(rows)
    if suffix == ".json":
        if scenario is None:
            raise InputError("scenario", "the store has none to export as JSON")
        path.write_text(json.dumps(scenario_document(scenario), indent=1), encoding="utf-8")
        return len(scenario.contributions)
    raise InputError("file", f"export to one of {', '.join(FORMATS)}, not {path.name!r}")
