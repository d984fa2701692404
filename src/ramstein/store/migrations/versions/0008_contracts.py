"""contracts"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0008"  # created 2026-11-23 07:53:08.431491
down_revision = "0007"


def upgrade() -> None:
    shapes.create(
        "contracts",
        "id str200, agency str200, supplier str200, item str200, currency str3,"
        " total_value float, signed date, recipient str3, source text, tiers json",
    )
    shapes.create(
        "contract_buyers",
        "id int, contract_id str200, iso3 str3, ordered int, funding_share float, donate int",
        refers={"contract_id": "contracts.id", "iso3": "nations.iso3"},
        unique=("contract_id", "iso3"),
    )
    shapes.create(
        "contract_events",
        "id int, contract_id str200, at datetime, actor str200, kind str20, lot str200, note text",
        refers={"contract_id": "contracts.id"},
    )
    shapes.index("contract_events", "contract_id")
    shapes.create(
        "contract_lots",
        "id int, contract_id str200, lot str200, quantity int, expected date, status str20,"
        " delivered_on date?, allocation json?",
        refers={"contract_id": "contracts.id"},
        unique=("contract_id", "lot"),
    )


def downgrade() -> None:
    shapes.drop("contract_lots")
    shapes.unindex("contract_events", "contract_id")
    shapes.drop("contract_events", "contract_buyers", "contracts")
