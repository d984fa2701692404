"""The logistics network (depots, hubs, destinations, links) and consignments over time."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ramstein.domain.contributions import Channel
from ramstein.domain.errors import InputError


class NodeKind(StrEnum):
    """What a node is: where donations start, are handled, or are delivered."""

    DEPOT = "depot"
    HUB = "hub"
    DESTINATION = "destination"


@dataclass(frozen=True)
class Node:
    """A depot, hub (with a throughput per period) or destination."""

    id: str
    kind: NodeKind
    throughput: int | None = None
    owner: str = ""
    location: str = ""


@dataclass(frozen=True)
class Link:
    """A link from `source` to `target`: `transit` periods, `capacity` pallets per period."""

    source: str
    target: str
    transit: int
    capacity: int
    cost: float


@dataclass(frozen=True)
class Consignment:
    """Pallets of one item moving from `origin` to `destination`, ready and due in periods."""

    id: str
    item: str
    pallets: int
    origin: str
    destination: str
    ready: int
    due: int
    priority: float
    fulfils: str = ""
    channel: Channel = Channel.BILATERAL


def check_routable(c: Consignment) -> None:
    """Hard: domestic production is delivered in Ukraine by its maker, never through a hub."""
    if c.channel is Channel.DOMESTIC_PRODUCTION:
        raise InputError(
            f"consignments[{c.id}].channel",
            "domestic production is delivered in Ukraine, never routed through a hub",
        )


@dataclass(frozen=True)
class ThroughputOverride:
    """A hub's throughput from period `start` to `end` (inclusive), e.g. 0 while closed."""

    hub: str
    start: int
    end: int
    throughput: int


@dataclass(frozen=True)
class LogisticsInstance:
    """Everything the route planner needs over a horizon of `horizon` periods."""

    period: str
    horizon: int
    late_weight: float
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    consignments: tuple[Consignment, ...]
    overrides: tuple[ThroughputOverride, ...] = ()

    @property
    def hubs(self) -> tuple[str, ...]:
        """The hubs' node ids, in node order."""
        return tuple(n.id for n in self.nodes if n.kind is NodeKind.HUB)

    def throughput(self, hub: str, period: int) -> int | None:
        """The hub's throughput in `period` (overrides win); None for unlimited nodes."""
        for o in reversed(self.overrides):
            if o.hub == hub and o.start <= period <= o.end:
                return o.throughput
        node = next(n for n in self.nodes if n.id == hub)
        return node.throughput if node.kind is NodeKind.HUB else None

    def check(self) -> None:
        """Raise InputError for unknown nodes, duplicate links or ids, or periods off horizon."""
        if self.horizon <= 0:
            raise InputError("horizon", "must be a positive integer")
        ids: set[str] = set()
        for n in self.nodes:
            if n.id in ids:
                raise InputError(f"nodes[{n.id}].id", "duplicate id")
            ids.add(n.id)
            if n.kind is NodeKind.HUB and n.throughput is None:
                raise InputError(f"nodes[{n.id}].throughput", "a hub needs a throughput")
        pairs: set[tuple[str, str]] = set()
        for link in self.links:
            name = f"links[{link.source}->{link.target}]"
            for end, node in (("from", link.source), ("to", link.target)):
                if node not in ids:
                    raise InputError(f"{name}.{end}", f"unknown node {node!r}")
            if (link.source, link.target) in pairs:
                raise InputError(name, "duplicate link")
            if link.source == link.target:
                raise InputError(name, "a link joins two different nodes")
            pairs.add((link.source, link.target))
        seen: set[str] = set()
        for c in self.consignments:
            name = f"consignments[{c.id}]"
            if c.id in seen:
                raise InputError(f"{name}.id", "duplicate id")
            seen.add(c.id)
            for key, node in (("origin", c.origin), ("destination", c.destination)):
                if node not in ids:
                    raise InputError(f"{name}.{key}", f"unknown node {node!r}")
            for key, value in (("ready", c.ready), ("due", c.due)):
                if not 0 <= value < self.horizon:
                    raise InputError(f"{name}.{key}", f"{value} is outside 0..{self.horizon - 1}")
            if c.origin == c.destination:
                raise InputError(f"{name}.destination", "is the origin")
            check_routable(c)
        for o in self.overrides:
            if o.hub not in ids:
                raise InputError("overrides.hub", f"unknown node {o.hub!r}")
