"""match: items, components, requirements, offers, plans

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 04:54:34.459915
"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    shapes.create("items", shapes.string("id"), shapes.string("name"), shapes.text("note"))
    shapes.create(
        "plans",
        shapes.integer("id"),
        shapes.word("kind"),
        shapes.integer("version"),
        *shapes.stamp("created_at"),
        shapes.digest("inputs_digest"),
        shapes.number("score"),
        shapes.number("bound"),
        shapes.flag("optimal"),
        shapes.string("solver", 40),
        shapes.number("seconds"),
        shapes.document("document"),
        shapes.unique("kind", "version"),
    )
    shapes.create(
        "item_components",
        shapes.integer("id"),
        shapes.string("parent"),
        shapes.string("component"),
        shapes.integer("quantity"),
        shapes.integer("position"),
        shapes.refers("component", "items.id"),
        shapes.refers("parent", "items.id"),
        shapes.unique("parent", "component"),
    )
    shapes.create(
        "offers",
        shapes.string("id"),
        shapes.iso("donor"),
        shapes.string("item"),
        shapes.integer("quantity"),
        shapes.day("available_from", nullable=True),
        shapes.word("visibility"),
        shapes.text("note"),
        shapes.refers("donor", "nations.iso3"),
        shapes.refers("item", "items.id"),
    )
    shapes.create(
        "requirements",
        shapes.string("id"),
        shapes.string("item"),
        shapes.integer("quantity"),
        shapes.number("priority"),
        shapes.day("needed_by", nullable=True),
        shapes.document("substitutes"),
        shapes.text("note"),
        shapes.refers("item", "items.id"),
    )


def downgrade() -> None:
    shapes.drop("requirements", "offers", "item_components", "plans", "items")
