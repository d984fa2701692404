"""logistics: network, nodes, links, overrides, consignments, events"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0003"  # created 2026-11-23 05:33:29.489234
down_revision = "0002"


def upgrade() -> None:
    shapes.create("networks", "id int, start date, period str10, horizon int, late_weight float")
    shapes.create("nodes", "id str200, kind str20, throughput int?, owner str3, location str200")
    shapes.create(
        "consignments",
        "id str200, item str200, pallets int, origin str200, destination str200, ready date,"
        " due date, priority float, fulfils str200",
        refers={"destination": "nodes.id", "origin": "nodes.id"},
    )
    shapes.create(
        "links",
        "id int, source str200, target str200, transit int, capacity int, cost float",
        refers={"source": "nodes.id", "target": "nodes.id"},
        unique=("source", "target"),
    )
    shapes.create(
        "throughput_overrides",
        "id int, hub str200, start date, end date, throughput int, reason text",
        refers={"hub": "nodes.id"},
    )
    shapes.create(
        "consignment_events",
        "id int, consignment str200, kind str20, pallets int, place str200, to str200,"
        " at datetime, actor str200, note text",
        refers={"consignment": "consignments.id", "place": "nodes.id"},
    )


def downgrade() -> None:
    shapes.drop(
        "consignment_events", "throughput_overrides", "links", "consignments", "nodes", "networks"
    )
