"""`/api/v1/purl`: packages as each caller may see them, the lifecycle, and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Callers
from tests.conftest import Cli


def _doc(pid: str = "PURL-T", visibility: str = "public", **changes: Any) -> dict[str, Any]:
    package: dict[str, Any] = {
        "id": pid,
        "title": "Interceptors",
        "value_usd": 400e6,
        "proposed_on": "2025-09-01",
        "items": [{"item": "PATRIOT_INTERCEPTOR", "quantity": 50}],
        "payers": [{"iso3": "DEU", "share": 0.75}, {"iso3": "NLD", "share": 0.25}],
        "visibility": visibility,
    }
    package.update(changes)
    return {"format": "ramstein.purl/1", "packages": [package]}


def test_the_dataset_packages_are_public(api: TestClient, callers: Callers) -> None:
    listed = api.get("/api/v1/purl", headers=callers.public)
    assert listed.status_code == 200
    body = listed.json()
    assert [p["id"] for p in body["packages"]] == ["PURL-1", "PURL-2", "PURL-3", "PURL-4"]
    assert body["by_status"]["funded"] + body["by_status"]["delivering"] == 4
    one = api.get("/api/v1/purl/PURL-1").json()
    assert one["payers"] == [
        {"iso3": "NLD", "amount_usd": 578e6, "share": 1.0, "paid_on": "2025-08-04"}
    ]
    assert "actor" not in one["events"][0]  # who wrote it is not the public's business
    assert "/api/v1/purl/{package_id}/pay" in api.get("/api/v1/openapi.json").json()["paths"]


def test_a_package_through_the_api(api: TestClient, callers: Callers) -> None:
    made = api.post("/api/v1/purl", json=_doc(), headers=callers.coordinator)
    assert made.status_code == 201, made.text
    assert made.json()["packages"][0]["status"] == "proposed"
    steps: list[tuple[str, dict[str, Any], str]] = [
        ("approve", {"on": "2025-09-02"}, "approved"),
        ("pay", {"on": "2025-09-03", "payer": "DEU"}, "approved"),
        ("pay", {"on": "2025-09-04", "payer": "NLD"}, "funded"),
        ("start-delivery", {"on": "2025-09-10"}, "delivering"),
        ("deliver", {"on": "2025-10-01"}, "delivered"),
    ]
    usa_before = _counted(api, callers, "USA")
    for step, body, status in steps:
        moved = api.post(f"/api/v1/purl/PURL-T/{step}", json=body, headers=callers.coordinator)
        assert moved.status_code == 200, (step, moved.text)
        assert moved.json()["status"] == status
    assert _counted(api, callers, "USA") == usa_before
    payment = api.get("/api/v1/contributions/PURL-T:DEU", headers=callers.public).json()
    assert (payment["channel"], payment["status"], payment["amount"]) == (
        "purl",
        "delivered",
        300e6,
    )
    again = api.post("/api/v1/purl", json=_doc(), headers=callers.coordinator)
    assert again.status_code == 409


def _counted(api: TestClient, callers: Callers, iso3: str) -> float:
    nations = api.get("/api/v1/shares", headers=callers.coordinator).json()["nations"]
    return float(next(n["counted_eur"] for n in nations if n["iso3"] == iso3))


BAD: list[tuple[str, str, dict[str, Any], str]] = [
    ("", "post", _doc(value_usd=-1), "value_usd"),
    ("", "post", _doc(colour="red"), "colour"),
    ("", "post", _doc(payers=[{"iso3": "DEU", "share": 0.5}]), "payers"),
    ("", "post", _doc(status="shipped"), "status"),
    ("/PURL-1/approve", "post", {"on": "2025-13-01"}, "on"),
    ("/PURL-1/approve", "post", {"on": "2025-09-02"}, "packages[PURL-1].status"),
    ("/PURL-1/pay", "post", {"on": "2025-09-02", "payer": "nld"}, "payer"),
    ("/PURL-1/pay", "post", {"on": "2025-09-02", "payer": "NLD"}, "packages[PURL-1].payers[NLD]"),
    ("/PURL-3/deliver", "post", {"on": "2025-09-02"}, "packages[PURL-3].status"),
]


@pytest.mark.parametrize(("path", "method", "body", "field"), BAD)
def test_bad_input_is_a_422_naming_the_field(
    api: TestClient, callers: Callers, path: str, method: str, body: dict[str, Any], field: str
) -> None:
    before = api.get("/api/v1/purl", headers=callers.coordinator).json()
    answer = api.request(method, f"/api/v1/purl{path}", json=body, headers=callers.coordinator)
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"][0]
    assert field in ".".join(str(x) for x in detail["loc"]), detail
    assert api.get("/api/v1/purl", headers=callers.coordinator).json() == before


def test_only_coordinators_write(api: TestClient, callers: Callers) -> None:
    refused = api.post("/api/v1/purl", json=_doc(), headers=callers.deu)
    assert refused.status_code == 403
    moved = api.post("/api/v1/purl/PURL-1/deliver", json={"on": "2025-10-01"}, headers=callers.pol)
    assert moved.status_code == 403
    assert api.get("/api/v1/purl/PURL-T").status_code == 404


def test_a_confidential_package_is_seen_by_its_payers_only(
    api: TestClient, callers: Callers
) -> None:
    public_before = api.get("/api/v1/purl", headers=callers.public).content
    pol_before = api.get("/api/v1/purl", headers=callers.pol).content
    made = api.post(
        "/api/v1/purl", json=_doc("PURL-S", visibility="nation"), headers=callers.coordinator
    )
    assert made.status_code == 201, made.text
    # Non-interference: what others see, figures included, is as if it did not exist.
    assert api.get("/api/v1/purl", headers=callers.public).content == public_before
    assert api.get("/api/v1/purl", headers=callers.pol).content == pol_before
    for caller in (callers.public, callers.pol, callers.recipient):
        assert api.get("/api/v1/purl/PURL-S", headers=caller).status_code == 404
    for caller in (callers.deu, callers.coordinator):
        seen = api.get("/api/v1/purl", headers=caller).json()
        assert "PURL-S" in [p["id"] for p in seen["packages"]]
        assert seen["value_usd"] == pytest.approx(578e6 + 495e6 + 500e6 + 500e6 + 400e6)
    page = api.get("/purl", params={"format": "json"}).json()
    assert "PURL-S" not in [p["id"] for p in page["packages"]]


def test_purl_and_production_operations_conform_to_their_schema(
    loaded: Cli, callers: Callers
) -> None:
    """Schemathesis on this module's operations: no 5xx, every answer as documented."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis import checks

    from ramstein.app import create_app

    api = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(loaded.url))
    checked = []
    for result in api.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(("/api/v1/purl", "/api/v1/production")):
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate(
                headers=callers.coordinator,
                excluded_checks=[checks.ignored_auth, checks.positive_data_acceptance],
            )

        conforms()
        checked.append(f"{operation.method.upper()} {operation.path}")
    assert len(checked) == 9, checked
