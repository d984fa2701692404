"""Rich tables of the ledger and the shares for the terminal, and the plain listing they share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.measure import Measurement
from rich.table import Table

from ramstein.cli.common import console
from ramstein.domain.contributions import Contribution, ContributionEvent
from ramstein.shares.credit import Flow
from ramstein.shares.fair import NationShare, SharesResult
from ramstein.shares.resilience import Exit
from ramstein.shares.review import Restatement, Review


class Readable(Table):
    """A table that wraps and never cuts: at a narrow terminal its cells fold onto more lines
    (no "…"); columns added with `no_wrap=True` (ids) are kept whole."""

    def add_column(self, header: Any = "", *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("overflow", "fold")
        super().add_column(header, *args, **kwargs)


def listing(
    title: str,
    headers: tuple[str, ...],
    rows: Iterable[Iterable[object]],
    *,
    right: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
    caption: str | None = None,
    width: int | None = None,
) -> Table:
    """A table of `rows` under `headers`, each cell as text; `right` columns right-aligned.

    Readable at any width, never cut: the first column (the id) and every column of single
    words (ids, dates, numbers) stay whole while text columns wrap at their spaces; when the
    table is still wider than `width` (default: the terminal), the `optional` columns are
    left out in order; failing that, every column but the first folds onto more lines.
    """
    cells = [[str(cell) for cell in row] for row in rows]
    limit = width or console.width
    shown = list(range(len(headers)))
    for name in (None, *optional):
        if name is not None and name in headers:
            shown.remove(headers.index(name))
        table = _table(title, caption, headers, cells, shown, right, atomic=True)
        if _natural_width(table) <= limit:
            return table
    return _table(title, caption, headers, cells, shown, right, atomic=False)


def _natural_width(table: Table) -> int:
    """The width a table takes when nothing forces it narrower."""
    return Measurement.get(console, console.options.update_width(10**4), table).maximum


def _table(
    title: str,
    caption: str | None,
    headers: tuple[str, ...],
    cells: list[list[str]],
    shown: list[int],
    right: tuple[str, ...],
    *,
    atomic: bool,
) -> Table:
    table = Readable(title=title, caption=caption)
    for i in shown:
        whole = i == shown[0] or (
            atomic and all(not any(ch.isspace() for ch in row[i]) for row in cells)
        )
        header = headers[i]
        table.add_column(header, justify="right" if header in right else "left", no_wrap=whole)
    for row in cells:
        table.add_row(*(row[i] for i in shown))
    return table


def _bn(eur: float) -> str:
    return f"{eur / 1e9:,.2f}"


def shares_table(result: SharesResult, *, base: SharesResult | None = None, title: str) -> Table:
    """Fair share, counted and gap per nation, largest fair share first; with `base`, the change."""
    table = Readable(title=title, caption="EUR bn; key share in % of the participants' key")
    for header in ("ISO3", "Nation", "Key share %", "Fair share", "Counted", "Gap", "% of GDP"):
        table.add_column(header, justify="left" if header in ("ISO3", "Nation") else "right")
    if base is not None:
        table.add_column("Change vs base", justify="right")
    before = base.by_iso3() if base is not None else {}
    for n in sorted(result.nations, key=lambda n: (-n.fair_share_eur, n.iso3)):
        cells = [
            n.iso3,
            n.name if n.participating else f"{n.name} (opt-out)",
            f"{100 * n.key_share:.2f}",
            _bn(n.fair_share_eur),
            _bn(n.counted_eur),
            _bn(n.gap_eur),
            f"{n.counted_pct_of_gdp:.3f}",
        ]
        if base is not None:
            delta = n.fair_share_eur - before[n.iso3].fair_share_eur
            cells.append(f"{delta / 1e9:+,.2f}")
        table.add_row(*cells)
    total_fair = sum(n.fair_share_eur for n in result.nations)
    total_counted = sum(n.counted_eur for n in result.nations)
    table.add_section()
    footer = ["", "Total", "", _bn(total_fair), _bn(total_counted), _bn(total_fair - total_counted)]
    table.add_row(*footer, "", *([""] if base is not None else []))
    return table


def contributions_table(contributions: list[Contribution]) -> Table:
    """The ledger's contributions, one per row."""
    return listing(
        "Contributions",
        ("Id", "Donor", "Date", "Category", "Status", "Amount", "Visibility"),
        (
            (
                c.id,
                c.donor,
                c.date.isoformat(),
                c.category,
                c.status,
                "-" if c.amount is None else f"{c.amount:,.0f} {c.currency}",
                c.visibility,
            )
            for c in contributions
        ),
        right=("Amount",),
        optional=("Visibility", "Category", "Donor"),
    )


def history_table(contribution_id: str, events: list[ContributionEvent]) -> Table:
    """A contribution's status events, oldest first."""
    return listing(
        f"History of {contribution_id}",
        ("When", "Who", "From", "To", "Why"),
        (
            (
                e.at.isoformat(timespec="seconds"),
                e.actor,
                e.from_status or "-",
                e.to_status,
                e.reason,
            )
            for e in events
        ),
    )


def _m(eur: float) -> str:
    return f"{eur / 1e6:,.1f}"


def resilience_table(exits: list[Exit], names: dict[str, str], *, takers: int = 3) -> Table:
    """Participants ranked by the load their withdrawal would shift, with the main takers."""
    table = Readable(
        title="Withdrawal resilience",
        caption="EUR bn; shifted = fair share moved onto the others; "
        "still to give = the others' extra gap beyond what they have counted",
    )
    for header in ("Rank", "If this one leaves", "Shifted", "Still to give", "Uncovered"):
        table.add_column(header, justify="left" if header == "If this one leaves" else "right")
    table.add_column("Largest takers (+EUR bn)")
    for rank, e in enumerate(exits, start=1):
        top = ", ".join(f"{t.iso3} {t.extra_fair_share_eur / 1e9:+.2f}" for t in e.takers[:takers])
        table.add_row(
            str(rank),
            f"{e.iso3} {names.get(e.iso3, '')}",
            _bn(e.shifted_eur),
            _bn(e.extra_gap_eur),
            _bn(e.uncovered_eur),
            top,
        )
    return table


def review_table(r: Review) -> Table:
    """A period's fair share, counted, gap and % of GDP, with the change since the snapshot."""
    since = f"since {r.last.label} {r.year}" if r.last else "(no snapshot yet)"
    table = Readable(title=f"Review {r.year}", caption=f"EUR bn; change {since}")
    for header in ("ISO3", "Nation", "Fair share", "Counted", "Gap", "% of GDP", "Change"):
        table.add_column(header, justify="left" if header in ("ISO3", "Nation") else "right")
    for line in sorted(r.lines, key=lambda x: (-x.share.fair_share_eur, x.share.iso3)):
        n, change = line.share, line.change_eur
        table.add_row(
            n.iso3,
            n.name if n.participating else f"{n.name} (opt-out)",
            _bn(n.fair_share_eur),
            _bn(n.counted_eur),
            _bn(n.gap_eur),
            f"{n.counted_pct_of_gdp:.3f}",
            "-" if change is None else f"{change / 1e9:+,.2f}",
        )
    return table


def restatements_table(rows: list[Restatement]) -> Table:
    """Credits changed after a snapshot reported them."""
    table = Readable(title="Restatements against snapshots", caption="EUR m")
    for header in ("Snapshot", "Contribution", "Nation", "Reported", "Now", "Change"):
        table.add_column(
            header, justify="right" if header in ("Reported", "Now", "Change") else "left"
        )
    for s in rows:
        table.add_row(
            s.label,
            s.contribution,
            s.iso3,
            _m(s.reported_eur),
            _m(s.now_eur),
            f"{s.change_eur / 1e6:+,.1f}",
        )
    return table


def nation_history_table(name: str, rows: list[tuple[int, NationShare]]) -> Table:
    """One nation's standing in every period."""
    table = Readable(title=f"{name}: standing by period", caption="EUR bn")
    for header in ("Period", "Fair share", "Counted", "Gap", "% of GDP"):
        table.add_column(header, justify="right")
    for year, n in rows:
        table.add_row(
            str(year),
            _bn(n.fair_share_eur),
            _bn(n.counted_eur),
            _bn(n.gap_eur),
            f"{n.counted_pct_of_gdp:.3f}",
        )
    return table


def credit_table(rows: list[Flow]) -> Table:
    """Flows whose credit is split or passed on, and to whom it went."""
    table = Readable(title="Split and channelled credit", caption="EUR m")
    for header in ("Flow", "Donor", "Amount", "Rule", "Credited to"):
        table.add_column(header, justify="right" if header == "Amount" else "left")
    for f in rows:
        if f.credits:
            to = ", ".join(f"{c.iso3} {_m(c.eur)}" for c in f.credits)
        else:
            to = f"nobody: credited at {f.root}"
        table.add_row(f.contribution.id, f.contribution.donor, _m(f.eur), f.rule.value, to)
    return table
