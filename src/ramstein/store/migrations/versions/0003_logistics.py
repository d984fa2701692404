"""logistics: network, nodes, links, overrides, consignments, events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 05:33:29.489234
"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    shapes.create(
        "networks",
        shapes.integer("id"),
        shapes.day("start"),
        shapes.string("period", 10),
        shapes.integer("horizon"),
        shapes.number("late_weight"),
    )
    shapes.create(
        "nodes",
        shapes.string("id"),
        shapes.word("kind"),
        shapes.integer("throughput", nullable=True),
        shapes.iso("owner"),
        shapes.string("location"),
    )
    shapes.create(
        "consignments",
        shapes.string("id"),
        shapes.string("item"),
        shapes.integer("pallets"),
        shapes.string("origin"),
        shapes.string("destination"),
        shapes.day("ready"),
        shapes.day("due"),
        shapes.number("priority"),
        shapes.string("fulfils"),
        shapes.refers("destination", "nodes.id"),
        shapes.refers("origin", "nodes.id"),
    )
    shapes.create(
        "links",
        shapes.integer("id"),
        shapes.string("source"),
        shapes.string("target"),
        shapes.integer("transit"),
        shapes.integer("capacity"),
        shapes.number("cost"),
        shapes.refers("source", "nodes.id"),
        shapes.refers("target", "nodes.id"),
        shapes.unique("source", "target"),
    )
    shapes.create(
        "throughput_overrides",
        shapes.integer("id"),
        shapes.string("hub"),
        shapes.day("start"),
        shapes.day("end"),
        shapes.integer("throughput"),
        shapes.text("reason"),
        shapes.refers("hub", "nodes.id"),
    )
    shapes.create(
        "consignment_events",
        shapes.integer("id"),
        shapes.string("consignment"),
        shapes.word("kind"),
        shapes.integer("pallets"),
        shapes.string("place"),
        shapes.string("to"),
        *shapes.stamp(),
        shapes.text("note"),
        shapes.refers("consignment", "consignments.id"),
        shapes.refers("place", "nodes.id"),
    )


def downgrade() -> None:
    shapes.drop(
        "consignment_events", "throughput_overrides", "links", "consignments", "nodes", "networks"
    )
