"""Bills of materials at work: what can be built from a pool of offered units, and from whom."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ramstein.domain.items import Item, Offer
from ramstein.domain.plans import ItemQuantity, RequirementPlan, Source


class Bom:
    """The catalog's structure: per item, its sub-BOM in assembly-first order."""

    def __init__(self, items: Iterable[Item]) -> None:
        self.catalog = {i.id: i for i in items}
        self.parents: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for item in self.catalog.values():
            for c in item.components:
                self.parents[c.item].append((item.id, c.quantity))
        self._closures: dict[str, list[str]] = {}

    def closure(self, item: str) -> list[str]:
        """`item` and everything it may be built from, each after all assemblies using it."""
        cached = self._closures.get(item)
        if cached is not None:
            return cached
        seen: list[str] = []
        stack = [item]
        members: set[str] = set()
        while stack:  # preorder, in component order, to keep asks in BOM order
            node = stack.pop()
            if node in members:
                continue
            members.add(node)
            seen.append(node)
            stack.extend(c.item for c in reversed(self.catalog[node].components))
        # Order so that every assembly precedes its components (Kahn's algorithm).
        indegree = dict.fromkeys(seen, 0)
        for m in seen:
            for c in self.catalog[m].components:
                indegree[c.item] += 1
        ordered: list[str] = []
        ready = [m for m in seen if indegree[m] == 0]
        while ready:
            node = ready.pop(0)
            ordered.append(node)
            for c in self.catalog[node].components:
                indegree[c.item] -= 1
                if indegree[c.item] == 0:
                    ready.append(c.item)
        self._closures[item] = ordered
        return ordered

    def shortfall(
        self, counts: Mapping[str, int], demand: Mapping[str, int], within: list[str]
    ) -> dict[str, int]:
        """Leaf units missing to meet `demand` from `counts`, using whole units before building.

        Using an offered unit of an item before assembling one is never worse, so pushing
        the remaining demand down the BOM in assembly-first order is exact.
        """
        total: dict[str, int] = defaultdict(int, demand)
        missing: dict[str, int] = {}
        for node in within:
            need = total[node] - counts.get(node, 0)
            if need <= 0:
                continue
            components = self.catalog[node].components
            if not components:
                missing[node] = need
            for c in components:
                total[c.item] += need * c.quantity
        return missing

    def buildable(self, counts: Mapping[str, int], item: str, cap: int) -> int:
        """The most units of `item`, up to `cap`, that `counts` can supply (binary search)."""
        within = self.closure(item)
        low, high = 0, cap
        while low < high:
            mid = (low + high + 1) // 2
            if self.shortfall(counts, {item: mid}, within):
                high = mid - 1
            else:
                low = mid
        return low

    def ask(self, counts: Mapping[str, int], item: str) -> tuple[ItemQuantity, ...]:
        """The leaf units missing for one more unit of `item`, after using `counts`."""
        within = self.closure(item)
        missing = self.shortfall(counts, {item: 1}, within)
        return tuple(ItemQuantity(i, missing[i]) for i in within if i in missing)


class Pool:
    """Offered units not yet allocated, per item, drawn donor by donor."""

    def __init__(self, offers: Iterable[Offer]) -> None:
        self.remaining: dict[str, int] = {}
        self.by_item: dict[str, list[Offer]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        for o in offers:
            self.remaining[o.id] = o.quantity
            self.by_item[o.item].append(o)
            self.counts[o.item] += o.quantity

    def take(self, item: str, quantity: int, donors: set[str]) -> list[Source]:
        """Draw `quantity` units of `item`, preferring `donors`, then the largest offers."""
        candidates = sorted(
            (o for o in self.by_item.get(item, ()) if self.remaining[o.id] > 0),
            key=lambda o: (o.donor not in donors, -self.remaining[o.id], o.id),
        )
        # Fewer donors per requirement: one offer that covers the whole draw beats a split.
        whole = [o for o in candidates if self.remaining[o.id] >= quantity]
        if whole:
            candidates = [whole[0], *(o for o in candidates if o is not whole[0])]
        drawn: list[Source] = []
        for o in candidates:
            if quantity == 0:
                break
            n = min(quantity, self.remaining[o.id])
            self.remaining[o.id] -= n
            self.counts[item] -= n
            quantity -= n
            donors.add(o.donor)
            drawn.append(Source(o.id, item, n))
        if quantity:
            raise ValueError(f"pool has too few units of {item!r}")
        return drawn

    def build(self, bom: Bom, item: str, quantity: int, donors: set[str]) -> list[Source]:
        """Draw the offered units that make `quantity` units of `item`, whole units first."""
        total: dict[str, int] = defaultdict(int, {item: quantity})
        drawn: list[Source] = []
        for node in bom.closure(item):
            need = total[node]
            if need <= 0:
                continue
            direct = min(need, self.counts.get(node, 0))
            if direct:
                drawn += self.take(node, direct, donors)
            for c in bom.catalog[node].components:
                total[c.item] += (need - direct) * c.quantity
            if need > direct and not bom.catalog[node].components:
                raise ValueError(f"pool has too few units of {node!r}")
        return drawn


def merge_sources(sources: Iterable[Source]) -> tuple[Source, ...]:
    """Sources summed per (offer, item), in first-drawn order."""
    totals: dict[tuple[str, str], int] = {}
    for s in sources:
        totals[(s.offer, s.item)] = totals.get((s.offer, s.item), 0) + s.quantity
    return tuple(Source(offer, item, q) for (offer, item), q in totals.items())


@dataclass(frozen=True)
class AddressedAsk:
    """An ask of a plan put to one donor: units of an item for one more unit of a requirement."""

    requirement: str
    item: str
    quantity: int
    why: str  # "you offered ITEM before", or "open to every donor"


def asks_to(
    plan_requirements: tuple[RequirementPlan, ...] | list[RequirementPlan],
    offers: tuple[Offer, ...] | list[Offer],
    donor: str,
) -> list[AddressedAsk]:
    """The plan's asks addressed to `donor`: those for an item it has offered (it can send
    more of what it has), then those no donor has offered (open to all)."""
    offered_by: dict[str, set[str]] = {}
    for o in offers:
        offered_by.setdefault(o.item, set()).add(o.donor)
    mine, open_ = [], []
    for line in plan_requirements:
        for m in line.missing_for_next_unit:
            donors = offered_by.get(m.item, set())
            if donor in donors:
                mine.append(
                    AddressedAsk(line.id, m.item, m.quantity, f"you offered {m.item} before")
                )
            elif not donors:
                open_.append(AddressedAsk(line.id, m.item, m.quantity, "open to every donor"))
    return mine + open_
