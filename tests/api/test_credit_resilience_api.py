"""The API's side of issue 10: co-funded contributions and withdrawal resilience."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Callers, error_of


def _contribution(cid: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "donor": "DEU",
        "amount": 900e6,
        "currency": "EUR",
        "date": "2025-04-01",
        "category": "equipment",
        "status": "delivered",
        **extra,
    }


def test_a_co_funded_contribution_credits_its_funders(api: TestClient, callers: Callers) -> None:
    funders = [{"iso3": "DEU", "share": 0.5}, {"iso3": "POL", "share": 0.5}]
    made = api.post(
        "/api/v1/contributions",
        json=_contribution("joint", funders=funders),
        headers=callers.deu,
    )
    assert made.status_code == 201, made.text
    assert made.json()["funders"] == funders and made.json()["parent"] is None
    lines = {
        n["iso3"]: n
        for n in api.get("/api/v1/shares", headers=callers.coordinator).json()["nations"]
    }
    assert lines["DEU"]["counted_eur"] == pytest.approx(450e6)
    assert lines["POL"]["counted_eur"] == pytest.approx(450e6)
    bad = api.post(
        "/api/v1/contributions",
        json=_contribution("half", funders=[{"iso3": "POL", "share": 0.5}]),
        headers=callers.deu,
    )
    assert bad.status_code == 422
    assert error_of(bad) == "contributions[half].funders: shares add up to 0.5, not 1"
    orphan = api.post(
        "/api/v1/contributions", json=_contribution("orphan", parent="nope"), headers=callers.deu
    )
    assert error_of(orphan) == "contributions[orphan].parent: unknown contribution 'nope'"


def test_resilience_ranks_the_united_states_first_and_withholds_hidden_gaps(
    api: TestClient, callers: Callers
) -> None:
    public = api.get("/api/v1/shares/resilience")
    assert public.status_code == 200
    doc = public.json()
    assert doc["format"] == "ramstein.resilience/1"
    usa = doc["exits"][0]
    assert usa["iso3"] == "USA"
    assert usa["shifted_eur"] == pytest.approx(usa["fair_share_eur"])
    assert usa["fair_share_eur"] == pytest.approx(0.5309 * 40e9, rel=1e-3)
    assert len(doc["exits"]) == 31  # every participant but Hungary

    secret = _contribution("secret", visibility="nation")
    assert api.post("/api/v1/contributions", json=secret, headers=callers.deu).status_code == 201
    hidden = api.get("/api/v1/shares/resilience").json()["exits"][0]
    deu = next(t for t in hidden["takers"] if t["iso3"] == "DEU")
    assert deu["withheld"] is True and deu["extra_gap_eur"] is None
    assert hidden["extra_gap_eur"] is None
    seen = api.get("/api/v1/shares/resilience", headers=callers.deu).json()["exits"][0]
    deu_own = next(t for t in seen["takers"] if t["iso3"] == "DEU")
    assert deu_own["withheld"] is False and deu_own["extra_gap_eur"] is not None
