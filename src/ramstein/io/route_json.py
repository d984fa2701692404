"""The `ramstein.logistics/1` input and `ramstein.route-plan/1` output documents."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field

from ramstein.domain.contributions import Channel
from ramstein.domain.logistics import (
    Consignment,
    Link,
    LogisticsInstance,
    Node,
    NodeKind,
    ThroughputOverride,
)
from ramstein.domain.plans import ConsignmentOutcome, Movement, RoutePlan, SolveStats
from ramstein.domain.types import Id
from ramstein.io.errors import Strict, parse_document

LOGISTICS_FORMAT = "ramstein.logistics/1"
PLAN_FORMAT = "ramstein.route-plan/1"

Count = Annotated[int, Field(ge=0, le=1_000_000_000)]
Period = Annotated[int, Field(ge=0, le=100_000)]


class NodeDoc(Strict):
    id: Id
    kind: NodeKind
    throughput: Count | None = None
    owner: str = ""
    location: str = ""


class LinkDoc(Strict):
    source: Id = Field(alias="from")
    target: Id = Field(alias="to")
    transit: Count
    capacity: Count
    cost: Annotated[float, Field(ge=0)]


class ConsignmentDoc(Strict):
    id: Id
    item: str
    pallets: Count
    origin: Id
    destination: Id
    ready: Period
    due: Period
    priority: Annotated[float, Field(ge=0)]
    fulfils: str = ""
    channel: Channel = Channel.BILATERAL


class OverrideDoc(Strict):
    hub: Id
    start: Period
    end: Period
    throughput: Count


class LogisticsDoc(Strict):
    format: Literal["ramstein.logistics/1"]
    period: Literal["day", "week"]
    horizon: Annotated[int, Field(gt=0, le=100_000)]
    late_weight: Annotated[float, Field(ge=0)]
    nodes: list[NodeDoc]
    links: list[LinkDoc]
    consignments: list[ConsignmentDoc]
    overrides: list[OverrideDoc] = []


def parse_logistics(text: str) -> LogisticsInstance:
    """Validate a `ramstein.logistics/1` document and return its instance; raises InputError."""
    doc = parse_document(text, LogisticsDoc)
    instance = LogisticsInstance(
        period=doc.period,
        horizon=doc.horizon,
        late_weight=doc.late_weight,
        nodes=tuple(Node(n.id, n.kind, n.throughput, n.owner, n.location) for n in doc.nodes),
        links=tuple(Link(k.source, k.target, k.transit, k.capacity, k.cost) for k in doc.links),
        consignments=tuple(
            Consignment(
                c.id,
                c.item,
                c.pallets,
                c.origin,
                c.destination,
                c.ready,
                c.due,
                c.priority,
                c.fulfils,
                c.channel,
            )
            for c in doc.consignments
        ),
        overrides=tuple(
            ThroughputOverride(o.hub, o.start, o.end, o.throughput) for o in doc.overrides
        ),
    )
    instance.check()
    return instance


def plan_document(plan: RoutePlan) -> dict[str, Any]:
    """The `ramstein.route-plan/1` document of a plan."""
    return {
        "format": PLAN_FORMAT,
        "objective": plan.objective,
        "bound": plan.bound if math.isfinite(plan.bound) else None,
        "optimal": plan.optimal,
        "movements": [
            {
                "consignment": m.consignment,
                "from": m.source,
                "to": m.target,
                "depart": m.depart,
                "arrive": m.arrive,
                "pallets": m.pallets,
            }
            for m in plan.movements
        ],
        "consignments": [
            {
                "id": c.id,
                "delivered": c.delivered,
                "undelivered": c.undelivered,
                "last_arrival": c.last_arrival,
                "late_pallet_periods": c.late_pallet_periods,
            }
            for c in plan.consignments
        ],
        "hubs": [{"id": hub, "load": list(load)} for hub, load in plan.hub_loads.items()],
    }


def plan_from_document(doc: dict[str, Any], stats: SolveStats) -> RoutePlan:
    """A route plan read back from its saved `ramstein.route-plan/1` document."""
    movements = tuple(
        Movement(m["consignment"], m["from"], m["to"], m["depart"], m["arrive"], m["pallets"])
        for m in doc["movements"]
    )
    outcomes = tuple(
        ConsignmentOutcome(
            c["id"], c["delivered"], c["undelivered"], c["last_arrival"], c["late_pallet_periods"]
        )
        for c in doc["consignments"]
    )
    loads = {h["id"]: tuple(h["load"]) for h in doc["hubs"]}
    # A solve stopped before proving any bound saves `null`: nothing below is excluded.
    bound = -math.inf if doc["bound"] is None else float(doc["bound"])
    return RoutePlan(
        float(doc["objective"]),
        bound,
        doc["optimal"],
        movements,
        outcomes,
        loads,
        stats,
    )


def instance_document(instance: LogisticsInstance) -> dict[str, Any]:
    """The `ramstein.logistics/1` document of an instance."""
    return {
        "format": LOGISTICS_FORMAT,
        "period": instance.period,
        "horizon": instance.horizon,
        "late_weight": instance.late_weight,
        "nodes": [
            {"id": n.id, "kind": n.kind.value}
            | ({"throughput": n.throughput} if n.throughput is not None else {})
            for n in instance.nodes
        ],
        "links": [
            {
                "from": k.source,
                "to": k.target,
                "transit": k.transit,
                "capacity": k.capacity,
                "cost": k.cost,
            }
            for k in instance.links
        ],
        "consignments": [
            {
                "id": c.id,
                "item": c.item,
                "pallets": c.pallets,
                "origin": c.origin,
                "destination": c.destination,
                "ready": c.ready,
                "due": c.due,
                "priority": c.priority,
                **({"channel": c.channel.value} if c.channel is not Channel.BILATERAL else {}),
            }
            for c in instance.consignments
        ],
        "overrides": [
            {"hub": o.hub, "start": o.start, "end": o.end, "throughput": o.throughput}
            for o in instance.overrides
        ],
    }
