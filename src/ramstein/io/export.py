"""The ledger out: CSV, XLSX and Parquet in the import template's columns, and JSON as a
`ramstein.scenario/1` document, so that every export imports back to the same ledger."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ramstein.domain.contributions import Contribution
from ramstein.domain.errors import InputError
from ramstein.domain.nations import IndicatorValue
from ramstein.domain.scenario import Scenario
from ramstein.domain.sheets import columns
from ramstein.io.cells import csv_text, xlsx_bytes

FORMATS = (".csv", ".xlsx", ".json", ".parquet")


def row_of(c: Contribution) -> dict[str, Any]:
    """A contribution in the template's columns (empty strings for absent values)."""
    return {
        "id": c.id,
        "donor": c.donor,
        "amount": "" if c.amount is None else repr(c.amount),
        "currency": c.currency,
        "date": c.date.isoformat(),
        "category": c.category.value,
        "status": c.status.value,
        "visibility": c.visibility.value,
        "channel": c.channel.value,
        "recipient": c.recipient,
        "funders": " ".join(f"{f.iso3}:{f.share!r}" for f in c.funders),
        "parent": c.parent or "",
        "source": c.source,
        "description": c.description,
    }


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
    contributions = []
    for c in scenario.contributions:
        doc: dict[str, Any] = {
            "id": c.id,
            "donor": c.donor,
            "amount": c.amount,
            "currency": c.currency,
            "date": c.date.isoformat(),
            "category": c.category.value,
            "status": c.status.value,
            "visibility": c.visibility.value,
            "channel": c.channel.value,
            "recipient": c.recipient,
            "source": c.source,
            "description": c.description,
        }
        if c.funders:
            doc["funders"] = [{"iso3": f.iso3, "share": f.share} for f in c.funders]
        if c.parent:
            doc["parent"] = c.parent
        contributions.append(doc)
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
        "contributions": contributions,
    }


def export(path: Path, contributions: list[Contribution], scenario: Scenario | None) -> int:
    """Write the contributions (JSON: the scenario with them) to `path`; returns the rows."""
    suffix = path.suffix.lower()
    names = [c.name for c in columns("contributions")]
    rows = [row_of(c) for c in contributions]
    if suffix == ".csv":
        path.write_text(csv_text(names, rows), encoding="utf-8", newline="")
    elif suffix == ".xlsx":
        path.write_bytes(
            xlsx_bytes(
                "contributions",
                names,
                ([float(r[n]) if n == "amount" and r[n] else r[n] for n in names] for r in rows),
            )
        )
    elif suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({n: [r[n] for r in rows] for n in names})
        pq.write_table(table, path)
    elif suffix == ".json":
        if scenario is None:
            raise InputError("scenario", "the store has none to export as JSON")
        path.write_text(json.dumps(scenario_document(scenario), indent=1), encoding="utf-8")
        return len(scenario.contributions)
    else:
        raise InputError("file", f"export to one of {', '.join(FORMATS)}, not {path.name!r}")
    return len(rows)
