"""match: items, components, requirements, offers, plans"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0002"  # created 2026-11-23 04:54:34.459915
down_revision = "0001"


def upgrade() -> None:
    shapes.create("items", "id str200, name str200, note text")
    shapes.create(
        "plans",
        "id int, kind str20, version int, created_at datetime, actor str200, inputs_digest str64,"
        " score float, bound float, optimal bool, solver str40, seconds float, document json",
        unique=("kind", "version"),
    )
    shapes.create(
        "item_components",
        "id int, parent str200, component str200, quantity int, position int",
        refers={"component": "items.id", "parent": "items.id"},
        unique=("parent", "component"),
    )
    shapes.create(
        "offers",
        "id str200, donor str3, item str200, quantity int, available_from date?,"
        " visibility str20, note text",
        refers={"donor": "nations.iso3", "item": "items.id"},
    )
    shapes.create(
        "requirements",
        "id str200, item str200, quantity int, priority float, needed_by date?, substitutes json,"
        " note text",
        refers={"item": "items.id"},
    )


def downgrade() -> None:
    shapes.drop("requirements", "offers", "item_components", "plans", "items")
