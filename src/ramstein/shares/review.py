"""The summit review cycle: yearly periods, half-year snapshots, restatements and history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from ramstein.domain.errors import InputError
from ramstein.domain.scenario import Scenario
from ramstein.shares.credit import Credit, flows
from ramstein.shares.fair import NationShare, SharesResult, compute_shares, counts

HALVES = {"H1": (6, 30), "H2": (12, 31)}
RESTATEMENT_EUR = 0.005  # below a cent a difference is float noise, not a correction


def cutoff(year: int, label: str) -> date:
    """The last day a half-year snapshot counts: 30 June (H1) or 31 December (H2)."""
    if label not in HALVES:
        raise InputError("snapshot", f"is H1 or H2, not {label!r}")
    month, day = HALVES[label]
    return date(year, month, day)


@dataclass(frozen=True)
class Figures:
    """A period's shares as counted up to `cutoff`, with every credit behind them."""

    year: int
    cutoff: date
    result: SharesResult
    credits: tuple[Credit, ...]


def figures(scenario: Scenario, year: int, until: date | None = None) -> Figures:
    """The figures of period `year` counting contributions dated up to `until` (its end)."""
    period = scenario.for_period(year)
    if until is not None:
        period = replace(period, period_end=min(until, period.period_end))
    result = compute_shares(period)
    fx = period.fx_table()
    credits = tuple(
        credit
        for flow in flows(period.contributions, fx, lambda c: counts(c, period))
        for credit in flow.credits
    )
    return Figures(year, period.period_end, result, credits)


@dataclass(frozen=True)
class Snapshot:
    """Figures frozen as reported on a date: immutable once recorded."""

    year: int
    label: str
    taken_at: datetime
    actor: str
    figures: Figures


@dataclass(frozen=True)
class Restatement:
    """A contribution's credit to a nation that changed after a snapshot reported it."""

    label: str
    contribution: str
    iso3: str
    reported_eur: float
    now_eur: float

    @property
    def change_eur(self) -> float:
        """How much the credit moved since it was reported."""
        return self.now_eur - self.reported_eur


def _by_key(credits: Iterable[Credit]) -> dict[tuple[str, str], float]:
    totals: dict[tuple[str, str], float] = {}
    for c in credits:
        totals[(c.contribution, c.iso3)] = totals.get((c.contribution, c.iso3), 0.0) + c.eur
    return totals


def restatements(snapshot: Snapshot, scenario: Scenario) -> list[Restatement]:
    """Credits as the snapshot reported them against the same cut-off counted today."""
    reported = _by_key(snapshot.figures.credits)
    now = _by_key(figures(scenario, snapshot.year, snapshot.figures.cutoff).credits)
    changed = []
    for key in sorted(reported.keys() | now.keys()):
        before, after = reported.get(key, 0.0), now.get(key, 0.0)
        if abs(after - before) > RESTATEMENT_EUR:
            changed.append(Restatement(snapshot.label, key[0], key[1], before, after))
    return changed


@dataclass(frozen=True)
class ReviewLine:
    """One nation's line of a period review, with its change since the last snapshot."""

    share: NationShare
    counted_at_snapshot: float | None

    @property
    def change_eur(self) -> float | None:
        """Counted now less counted at the last snapshot (None without a snapshot)."""
        if self.counted_at_snapshot is None:
            return None
        return self.share.counted_eur - self.counted_at_snapshot


@dataclass(frozen=True)
class Review:
    """A period's table, the last snapshot it is compared with, and every restatement."""

    year: int
    result: SharesResult
    last: Snapshot | None
    lines: tuple[ReviewLine, ...]
    restatements: tuple[Restatement, ...]


def review(scenario: Scenario, year: int, snapshots: Iterable[Snapshot]) -> Review:
    """The period's figures now beside its latest snapshot, and corrections to each one."""
    taken = sorted((s for s in snapshots if s.year == year), key=lambda s: s.figures.cutoff)
    now = figures(scenario, year)
    last = taken[-1] if taken else None
    reported: Mapping[str, NationShare] = last.figures.result.by_iso3() if last else {}
    lines = tuple(
        ReviewLine(share, reported[share.iso3].counted_eur if share.iso3 in reported else None)
        for share in now.result.nations
    )
    changed = tuple(r for s in taken for r in restatements(s, scenario))
    return Review(year, now.result, last, lines, changed)


def periods(scenario: Scenario) -> list[int]:
    """The pledge periods where the scenario sets them; else the years with any contribution,
    and the scenario's own period year, in order."""
    if scenario.periods:
        return sorted(scenario.period_years)
    return sorted({c.date.year for c in scenario.contributions} | {scenario.period_start.year})


def history(scenario: Scenario, iso3: str) -> list[tuple[int, NationShare]]:
    """One nation's line in every period: fair share, counted, gap and % of GDP."""
    if iso3 not in {n.iso3 for n in scenario.nations}:
        raise InputError("nation", f"unknown nation {iso3!r}")
    return [(y, figures(scenario, y).result.by_iso3()[iso3]) for y in periods(scenario)]
