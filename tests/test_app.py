"""`ramstein serve` runs the composed app: the JSON API with the dashboard's pages on it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from uvicorn.importer import import_from_string

from ramstein.cli import serve

SERVED_APP = "ramstein.app:from_settings"


def test_serve_names_a_factory_that_builds_the_api_and_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `serve` names the factory to uvicorn rather than importing it (docs/architecture.md).
    assert f'"{SERVED_APP}"' in inspect.getsource(serve)
    monkeypatch.setenv("RAMSTEIN_DATABASE_URL", f"sqlite:///{tmp_path / 'served.db'}")
    factory = import_from_string(SERVED_APP)
    app = factory()
    assert isinstance(app, FastAPI)
    with TestClient(app) as client:
        assert client.get("/api/v1/openapi.json").status_code == 200
        page = client.get("/signin")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert (tmp_path / "served.db").exists()
