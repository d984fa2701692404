"""ledger: nations, indicators, fx, scenarios, contributions, events

Revision ID: 0001
Revises:
Create Date: 2026-11-23 04:44:37.723564
"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0001"
down_revision = None


def upgrade() -> None:
    shapes.create(
        "fx_rates",
        shapes.integer("id"),
        shapes.iso("source"),
        shapes.iso("target"),
        shapes.integer("year"),
        shapes.number("rate"),
        shapes.string("origin"),
        shapes.unique("source", "target", "year"),
    )
    shapes.create(
        "nations", shapes.iso("iso3"), shapes.string("name"), shapes.word("group"), key=("iso3",)
    )
    shapes.create(
        "scenarios",
        shapes.integer("id"),
        shapes.string("name"),
        shapes.number("baseline_amount"),
        shapes.iso("baseline_currency"),
        shapes.day("period_start"),
        shapes.day("period_end"),
        shapes.string("key_indicator", 40),
        shapes.integer("key_year"),
        shapes.word("opt_out_share"),
        shapes.document("members"),
        shapes.document("opt_out"),
        shapes.flag("is_current"),
        shapes.unique("name"),
    )
    shapes.create(
        "contributions",
        shapes.integer("id"),
        shapes.string("external_id"),
        shapes.iso("donor"),
        shapes.iso("recipient"),
        shapes.number("amount", nullable=True),
        shapes.iso("currency"),
        shapes.day("date"),
        shapes.word("category"),
        shapes.word("channel"),
        shapes.word("status"),
        shapes.word("visibility"),
        shapes.text("source"),
        shapes.text("description"),
        shapes.refers("donor", "nations.iso3"),
        shapes.unique("external_id"),
    )
    shapes.create(
        "indicators",
        shapes.integer("id"),
        shapes.iso("iso3"),
        shapes.string("indicator", 40),
        shapes.integer("year"),
        shapes.number("amount"),
        shapes.iso("currency"),
        shapes.string("unit", 4),
        shapes.string("source"),
        shapes.refers("iso3", "nations.iso3"),
        shapes.unique("iso3", "indicator", "year"),
    )
    shapes.create(
        "contribution_events",
        shapes.integer("id"),
        shapes.integer("contribution_id"),
        *shapes.stamp(),
        shapes.word("from_status", nullable=True),
        shapes.word("to_status"),
        shapes.text("reason"),
        shapes.refers("contribution_id", "contributions.id"),
    )


def downgrade() -> None:
    shapes.drop(
        "contribution_events", "indicators", "contributions", "scenarios", "nations", "fx_rates"
    )
