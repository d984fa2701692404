"""Items and their bills of materials, the recipient's requirements and donors' offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ramstein.domain.contributions import Visibility
from ramstein.domain.errors import InputError, check_unique


@dataclass(frozen=True)
class Component:
    """`quantity` units of `item` go into one unit of the parent assembly."""

    item: str
    quantity: int


@dataclass(frozen=True)
class Item:
    """A type of equipment; with components it is an assembly."""

    id: str
    name: str = ""
    components: tuple[Component, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Requirement:
    """The recipient's need: `quantity` units of `item` (or a substitute) at `priority`."""

    id: str
    item: str
    quantity: int
    priority: float
    needed_by: date | None = None
    substitutes: tuple[str, ...] = ()
    note: str = ""
    coalition: str | None = None  # the capability coalition whose roadmap it serves

    @property
    def acceptable(self) -> tuple[str, ...]:
        """The item itself, then its acceptable substitutes."""
        return (self.item, *self.substitutes)


@dataclass(frozen=True)
class Offer:
    """A donor's `quantity` units of `item`, available to give."""

    id: str
    donor: str
    item: str
    quantity: int
    available_from: date | None = None
    visibility: Visibility = Visibility.PUBLIC
    note: str = ""
    coalition: str | None = None  # the capability coalition it is offered under

    def check_coalition(self) -> None:
        """Hard: an offer shared with a coalition names that coalition."""
        if self.visibility is Visibility.COALITION and not self.coalition:
            raise InputError(
                f"offers[{self.id}].coalition", "required when visibility is coalition"
            )


@dataclass(frozen=True)
class MatchInstance:
    """Items, requirements and offers; `check()` rejects dangling references and cycles."""

    items: tuple[Item, ...]
    requirements: tuple[Requirement, ...]
    offers: tuple[Offer, ...]
    catalog: dict[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "catalog", {i.id: i for i in self.items})

    def check(self) -> None:
        """Raise InputError for duplicate ids, unknown items, bad quantities or a BOM cycle."""
        check_unique([i.id for i in self.items], "items", "duplicate id", suffix=".id")
        check_unique(
            [r.id for r in self.requirements], "requirements", "duplicate id", suffix=".id"
        )
        check_unique([o.id for o in self.offers], "offers", "duplicate id", suffix=".id")
        for item in self.items:
            for c in item.components:
                self._known(c.item, f"items[{item.id}].components.item")
                _positive(c.quantity, f"items[{item.id}].components[{c.item}].quantity")
        for r in self.requirements:
            for name in r.acceptable:
                self._known(name, f"requirements[{r.id}].item")
            _positive(r.quantity, f"requirements[{r.id}].quantity")
            if not r.priority > 0:
                raise InputError(f"requirements[{r.id}].priority", "must be positive")
        for o in self.offers:
            self._known(o.item, f"offers[{o.id}].item")
            o.check_coalition()
            _positive(o.quantity, f"offers[{o.id}].quantity")
        topological_order(self.items)

    def _known(self, item: str, field_name: str) -> None:
        if item not in self.catalog:
            raise InputError(field_name, f"unknown item {item!r}")


def _positive(quantity: int, field_name: str) -> None:
    if quantity <= 0:
        raise InputError(field_name, "must be a positive integer")


def topological_order(items: tuple[Item, ...]) -> list[str]:
    """Item ids with every assembly before its components; a cycle raises InputError."""
    catalog = {i.id: i for i in items}
    order: list[str] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    for root in catalog:
        if state.get(root) == 2:
            continue
        # Iterative depth-first search: bills of materials may be deep.
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, index = stack[-1]
            components = catalog[node].components if node in catalog else ()
            if index < len(components):
                stack[-1] = (node, index + 1)
                child = components[index].item
                if state.get(child) == 1:
                    raise InputError(f"items[{child}].components", f"cycle through {node!r}")
                if state.get(child) is None:
                    state[child] = 1
                    stack.append((child, 0))
            else:
                stack.pop()
                state[node] = 2
                order.append(node)
    order.reverse()
    return order
