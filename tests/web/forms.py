"""Posting the dashboard's forms as a browser on the app's own origin does."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

TOKEN = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
TOKEN_BYTES = re.compile(rb'name="csrf" value="[0-9a-f]{64}"')
ORIGIN = "http://testserver"


def csrf_token(client: TestClient) -> str:
    """The form token this client's browser would find in any form."""
    found = TOKEN.search(client.get("/signin").text)
    assert found is not None
    return found.group(1)


def post_form(client: TestClient, path: str, data: dict[str, str], **kwargs: Any) -> Any:
    """POST a form with its token, from the app's own origin."""
    return client.post(
        path,
        data={**data, "csrf": csrf_token(client)},
        headers={"Origin": ORIGIN},
        **kwargs,
    )


def without_token(page: bytes) -> bytes:
    """A page with its form token blanked: the token is new on each answer, by design."""
    return TOKEN_BYTES.sub(b'name="csrf" value=""', page)
