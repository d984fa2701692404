"""Read and write the coordination catalog: items with their BOMs, requirements and offers."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.domain.contributions import Visibility
from ramstein.domain.errors import InputError
from ramstein.domain.items import Component, Item, MatchInstance, Offer, Requirement
from ramstein.store.access import visible_clause
from ramstein.store.models import (
    CoalitionRow,
    ItemComponentRow,
    ItemRow,
    NationRow,
    OfferRow,
    RequirementRow,
)
from ramstein.store.rows import from_row


def upsert_item(session: Session, item: Item) -> None:
    """Create or update an item and replace its bill of materials."""
    _upsert_item_row(session, item)
    session.flush()
    _replace_components(session, item)


def _upsert_item_row(session: Session, item: Item) -> None:
    row = session.get(ItemRow, item.id)
    if row is None:
        session.add(ItemRow(id=item.id, name=item.name, note=item.note))
    else:
        row.name, row.note = item.name, item.note


def _replace_components(session: Session, item: Item) -> None:
    """The item's components as given; rows already as given are left alone (a reload of
    the same catalog writes nothing, so the audit chain records no change)."""
    stored = list(
        session.scalars(
            select(ItemComponentRow)
            .where(ItemComponentRow.parent == item.id)
            .order_by(ItemComponentRow.position)
        )
    )
    if [(r.component, r.quantity) for r in stored] == [
        (c.item, c.quantity) for c in item.components
    ]:
        return
    # Row by row through the ORM, so that each removal is audited like any other write.
    for old in stored:
        session.delete(old)
    session.flush()
    for position, c in enumerate(item.components):
        session.add(
            ItemComponentRow(
                parent=item.id, component=c.item, quantity=c.quantity, position=position
            )
        )


def list_items(session: Session) -> list[Item]:
    """Every item with its components, by id."""
    components: dict[str, list[Component]] = {}
    rows = session.scalars(
        select(ItemComponentRow).order_by(ItemComponentRow.parent, ItemComponentRow.position)
    )
    for c in rows:
        components.setdefault(c.parent, []).append(Component(c.component, c.quantity))
    return [
        Item(r.id, r.name, tuple(components.get(r.id, ())), r.note)
        for r in session.scalars(select(ItemRow).order_by(ItemRow.id))
    ]


def _known_item(session: Session, item: str, field: str) -> None:
    """Hard: a requirement or offer names an item of the catalog (checked before the insert)."""
    if session.get(ItemRow, item) is None:
        raise InputError(field, f"unknown item {item!r}")


def _known_coalition(session: Session, coalition: str | None, field: str) -> None:
    if coalition is not None and session.get(CoalitionRow, coalition) is None:
        raise InputError(field, f"unknown coalition {coalition!r}")


def upsert_requirement(session: Session, requirement: Requirement) -> None:
    """Create or update a requirement; its item and substitutes must be in the catalog, its
    coalition, when named, known (an update that names none keeps the stored one:
    `tag_requirement` changes it)."""
    field = f"requirements[{requirement.id}]"
    _known_item(session, requirement.item, f"{field}.item")
    for substitute in requirement.substitutes:
        _known_item(session, substitute, f"{field}.substitutes")
    if requirement.quantity <= 0:
        raise InputError(f"{field}.quantity", "must be a positive integer")
    if not requirement.priority > 0:
        raise InputError(f"{field}.priority", "must be positive")
    _known_coalition(session, requirement.coalition, f"{field}.coalition")
    row = session.get(RequirementRow, requirement.id) or RequirementRow(id=requirement.id)
    if requirement.coalition is not None:
        row.coalition = requirement.coalition
    row.item = requirement.item
    row.quantity = requirement.quantity
    row.priority = requirement.priority
    row.needed_by = requirement.needed_by
    row.substitutes = list(requirement.substitutes)
    row.note = requirement.note
    session.add(row)


def remove_requirement(session: Session, requirement_id: str) -> Requirement:
    """Close a requirement: remove it from the open list (an audited delete); returns it."""
    row = session.get(RequirementRow, requirement_id)
    if row is None:
        raise InputError(f"requirements[{requirement_id}]", "no such requirement")
    closed = _requirement(row)
    session.delete(row)
    session.flush()
    return closed


def remove_offer(session: Session, offer_id: str) -> Offer:
    """Withdraw an offer (an audited delete); returns it."""
    row = session.get(OfferRow, offer_id)
    if row is None:
        raise InputError(f"offers[{offer_id}]", "no such offer")
    gone = _offer(row)
    session.delete(row)
    session.flush()
    return gone


def _requirement(r: RequirementRow) -> Requirement:
    return from_row(Requirement, r, substitutes=tuple(str(s) for s in r.substitutes))


def _offer(r: OfferRow) -> Offer:
    return from_row(Offer, r)


def list_requirements(session: Session, *, coalition: str | None = None) -> list[Requirement]:
    """Every requirement (of one capability coalition when given), highest priority first."""
    query = select(RequirementRow).order_by(RequirementRow.priority.desc(), RequirementRow.id)
    if coalition is not None:
        query = query.where(RequirementRow.coalition == coalition)
    return [_requirement(r) for r in session.scalars(query)]


def upsert_offer(session: Session, offer: Offer) -> None:
    """Create or update an offer; its donor must be a known nation, its item in the catalog,
    its coalition (needed when it is shared with one) a known coalition. An update that
    names no coalition keeps the stored one (`tag_offer` changes it)."""
    if session.get(NationRow, offer.donor) is None:
        raise InputError(f"offers[{offer.id}].donor", f"unknown nation {offer.donor!r}")
    _known_item(session, offer.item, f"offers[{offer.id}].item")
    if offer.quantity <= 0:
        raise InputError(f"offers[{offer.id}].quantity", "must be a positive integer")
    row = session.get(OfferRow, offer.id) or OfferRow(id=offer.id)
    if offer.coalition is None and row.coalition is not None:
        offer = replace(offer, coalition=row.coalition)
    offer.check_coalition()
    _known_coalition(session, offer.coalition, f"offers[{offer.id}].coalition")
    row.donor = offer.donor
    row.item = offer.item
    row.quantity = offer.quantity
    row.available_from = offer.available_from
    row.visibility = offer.visibility.value
    row.note = offer.note
    row.coalition = offer.coalition
    session.add(row)


def list_offers(
    session: Session,
    *,
    donor: str | None = None,
    viewer: Viewer | None = None,
    coalition: str | None = None,
) -> list[Offer]:
    """Every offer, by id: of one donor, only those `viewer` may see (the access rule, in
    SQL), and only those of one capability coalition, where given."""
    query = select(OfferRow).order_by(OfferRow.id)
    if donor is not None:
        query = query.where(OfferRow.donor == donor)
    if viewer is not None:
        query = query.where(
            visible_clause(viewer, OfferRow.visibility, OfferRow.donor, OfferRow.coalition)
        )
    if coalition is not None:
        query = query.where(OfferRow.coalition == coalition)
    return [_offer(r) for r in session.scalars(query)]


def match_instance(session: Session, viewer: Viewer | None = None) -> MatchInstance:
    """The stored catalog, requirements and offers as one instance; with a `viewer`, only
    the offers it may see (the access rule, in SQL)."""
    return MatchInstance(
        items=tuple(list_items(session)),
        requirements=tuple(list_requirements(session)),
        offers=tuple(list_offers(session, viewer=viewer)),
    )


def import_instance(session: Session, instance: MatchInstance) -> None:
    """Upsert an instance's items, requirements and offers, then check the whole catalog."""
    instance.check()
    for item in instance.items:
        _upsert_item_row(session, item)
    session.flush()
    for item in instance.items:
        _replace_components(session, item)
    session.flush()
    for requirement in instance.requirements:
        upsert_requirement(session, requirement)
    for offer in instance.offers:
        upsert_offer(session, offer)
    session.flush()
    # The merged catalog must still be sound (an update may close a cycle).
    match_instance(session).check()


def tag_requirement(session: Session, requirement: str, coalition: str | None) -> None:
    """Say which capability coalition a stored requirement serves (None: none)."""
    row = session.get(RequirementRow, requirement)
    if row is None:
        raise InputError(f"requirements[{requirement}]", "no such requirement")
    _known_coalition(session, coalition, f"requirements[{requirement}].coalition")
    row.coalition = coalition


def tag_offer(session: Session, offer: str, coalition: str | None) -> None:
    """Say which capability coalition a stored offer is made under (None: none); an offer
    shared with its coalition keeps one."""
    row = session.get(OfferRow, offer)
    if row is None:
        raise InputError(f"offers[{offer}]", "no such offer")
    _known_coalition(session, coalition, f"offers[{offer}].coalition")
    if coalition is None and row.visibility == Visibility.COALITION.value:
        raise InputError(f"offers[{offer}].coalition", "required when visibility is coalition")
    row.coalition = coalition


def mark_sensitive(session: Session, item_id: str, sensitive: bool = True) -> None:
    """Mark an item sensitive (its serial numbers are checked in custody), or not."""
    row = session.get(ItemRow, item_id)
    if row is None:
        raise InputError(f"items[{item_id}]", "no such item")
    row.sensitive = sensitive


def is_sensitive(session: Session, item_id: str) -> bool:
    """Whether an item is marked sensitive (an unknown item is not)."""
    row = session.get(ItemRow, item_id)
    return row is not None and row.sensitive


def sensitive_items(session: Session) -> list[str]:
    """The ids of the items marked sensitive."""
    return list(session.scalars(select(ItemRow.id).where(ItemRow.sensitive).order_by(ItemRow.id)))


def ensure_item(session: Session, item_id: str, name: str = "") -> None:
    """Make sure an item exists (a leaf item when new); an existing one is left as it is."""
    if session.get(ItemRow, item_id) is None:
        session.add(ItemRow(id=item_id, name=name, note=""))
        session.flush()


def remove_offers(session: Session, prefix: str, *, keep: set[str]) -> int:
    """Delete the offers whose id starts with `prefix` except those in `keep`; returns how many."""
    stale = [
        r
        for r in session.scalars(select(OfferRow).where(OfferRow.id.startswith(prefix)))
        if r.id not in keep
    ]
    for r in stale:
        session.delete(r)
    return len(stale)
