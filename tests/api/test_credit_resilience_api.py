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
    # A nation may not write into another's standing: only coordinators name other funders.
    lane = api.post(
        "/api/v1/contributions",
        json=_contribution("DEU-joint", funders=funders),
        headers=callers.deu,
    )
    assert error_of(lane) == (
        "contributions[DEU-joint].funders: only coordinators may name other nations"
    )
    made = api.post(
        "/api/v1/contributions",
        json=_contribution("DEU-joint", funders=funders),
        headers=callers.coordinator,
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
        json=_contribution("DEU-half", funders=[{"iso3": "POL", "share": 0.5}]),
        headers=callers.coordinator,
    )
    assert bad.status_code == 422
    assert error_of(bad) == "contributions[DEU-half].funders: shares add up to 0.5, not 1"
    orphan = api.post(
        "/api/v1/contributions",
        json=_contribution("DEU-orphan", parent="nope"),
        headers=callers.deu,
    )
    assert error_of(orphan) == "contributions[DEU-orphan].parent: unknown contribution 'nope'"


def test_resilience_ranks_the_united_states_first_and_ignores_hidden_rows(
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

    secret = _contribution("DEU-secret", visibility="nation")
    assert api.post("/api/v1/contributions", json=secret, headers=callers.deu).status_code == 201
    # The public's answer is the same, byte for byte: for it the row does not exist.
    assert api.get("/api/v1/shares/resilience").content == public.content
    seen = api.get("/api/v1/shares/resilience", headers=callers.deu)
    # Germany sees every row here, as the coordinators do: its answer is theirs.
    everything = api.get("/api/v1/shares/resilience", headers=callers.coordinator)
    assert seen.content == everything.content
    deu_own = next(t for t in seen.json()["exits"][0]["takers"] if t["iso3"] == "DEU")
    assert deu_own["extra_gap_eur"] is not None and "withheld" not in deu_own
