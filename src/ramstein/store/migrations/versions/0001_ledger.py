"""ledger: nations, indicators, fx, scenarios, contributions, events"""

from __future__ import annotations

from ramstein.store.migrations import shapes

revision = "0001"  # created 2026-11-23 04:44:37.723564
down_revision = None


def upgrade() -> None:
    shapes.create(
        "fx_rates",
        "id int, source str3, target str3, year int, rate float, origin str200",
        unique=("source", "target", "year"),
    )
    shapes.create("nations", "iso3 str3, name str200, group str20", key=("iso3",))
    shapes.create(
        "scenarios",
        "id int, name str200, baseline_amount float, baseline_currency str3, period_start date,"
        " period_end date, key_indicator str40, key_year int, opt_out_share str20, members json,"
        " opt_out json, is_current bool",
        unique=("name",),
    )
    shapes.create(
        "contributions",
        "id int, external_id str200, donor str3, recipient str3, amount float?, currency str3,"
        " date date, category str20, channel str20, status str20, visibility str20, source text,"
        " description text",
        refers={"donor": "nations.iso3"},
        unique=("external_id",),
    )
    shapes.create(
        "indicators",
        "id int, iso3 str3, indicator str40, year int, amount float, currency str3, unit str4,"
        " source str200",
        refers={"iso3": "nations.iso3"},
        unique=("iso3", "indicator", "year"),
    )
    shapes.create(
        "contribution_events",
        "id int, contribution_id int, at datetime, actor str200, from_status str20?,"
        " to_status str20, reason text",
        refers={"contribution_id": "contributions.id"},
    )


def downgrade() -> None:
    shapes.drop(
        "contribution_events", "indicators", "contributions", "scenarios", "nations", "fx_rates"
    )
