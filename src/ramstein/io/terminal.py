"""Rich renderings of results for the terminal."""

from __future__ import annotations

from rich.table import Table

from ramstein.domain.contributions import Contribution, ContributionEvent
from ramstein.shares.fair import SharesResult


def _bn(eur: float) -> str:
    return f"{eur / 1e9:,.2f}"


def shares_table(result: SharesResult, *, base: SharesResult | None = None, title: str) -> Table:
    """Fair share, counted and gap per nation, largest fair share first; with `base`, the change."""
    table = Table(title=title, caption="EUR bn; key share in % of the participants' key")
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
    table = Table(title="Contributions")
    for header in ("Id", "Donor", "Date", "Category", "Status", "Amount", "Visibility"):
        table.add_column(header, justify="right" if header == "Amount" else "left")
    for c in contributions:
        amount = "-" if c.amount is None else f"{c.amount:,.0f} {c.currency}"
        table.add_row(c.id, c.donor, c.date.isoformat(), c.category, c.status, amount, c.visibility)
    return table


def history_table(contribution_id: str, events: list[ContributionEvent]) -> Table:
    """A contribution's status events, oldest first."""
    table = Table(title=f"History of {contribution_id}")
    for header in ("When", "Who", "From", "To", "Why"):
        table.add_column(header)
    for e in events:
        table.add_row(
            e.at.isoformat(timespec="seconds"),
            e.actor,
            e.from_status or "-",
            e.to_status,
            e.reason,
        )
    return table
