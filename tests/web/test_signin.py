"""Sign-in that resists guessing: throttling, equal work for unknown names, password rules,
disabled and revoked accounts (issue 17)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ramstein.app import create_app
from ramstein.cli import app as cli_app
from ramstein.domain.access import Role
from ramstein.domain.errors import InputError
from ramstein.store.accounts import check_password, create_account
from ramstein.store.db import Store
from ramstein.web.throttle import Throttle
from tests.conftest import Cli, Washington, assert_bad_input
from tests.web.forms import post_form

PASSWORD = "Kestrel-ledger-9041"


@pytest.fixture
def store_with_account(sqlite_cli: Cli, washington: Washington) -> tuple[Cli, str]:
    washington(sqlite_cli)
    store = Store(sqlite_cli.url)
    with store.transaction() as session:
        token = create_account(session, "coord", Role.COORDINATOR, password=PASSWORD)
    store.close()
    return sqlite_cli, token


@pytest.fixture
def client(store_with_account: tuple[Cli, str]) -> Iterator[TestClient]:
    with TestClient(create_app(store_with_account[0].url)) as c:
        yield c


def _sign_in(client: TestClient, name: str, password: str) -> int:
    response = post_form(
        client, "/signin", {"name": name, "password": password}, follow_redirects=False
    )
    return int(response.status_code)


def test_five_failures_then_429_with_retry_after_even_for_the_right_password(
    client: TestClient,
) -> None:
    assert [_sign_in(client, "coord", f"wrong-guess-{k:04d}") for k in range(5)] == [401] * 5
    blocked = post_form(client, "/signin", {"name": "coord", "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1
    assert "too many failed sign-ins" in blocked.text
    time.sleep(int(blocked.headers["Retry-After"]) + 0.1)
    assert _sign_in(client, "coord", PASSWORD) == 303


def test_failures_from_one_address_throttle_every_name(client: TestClient) -> None:
    codes = [_sign_in(client, f"nobody-{k}", "wrong-guess-0000") for k in range(6)]
    assert codes == [401] * 5 + [429]


def test_the_wait_doubles_after_the_fifth_failure_and_is_forgotten_later() -> None:
    now = [1000.0]
    throttle = Throttle(clock=lambda: now[0])
    keys = ["account:coord", "address:10.0.0.1"]
    waits = []
    for _ in range(8):
        waits.append(throttle.wait(keys))
        throttle.failed(keys)
    waits.append(throttle.wait(keys))
    assert waits == [0, 0, 0, 0, 0, 1, 2, 4, 8]
    throttle.succeeded("account:coord")
    assert throttle.wait(["account:coord"]) == 0
    assert throttle.wait(["address:10.0.0.1"]) == 8  # the address keeps its failures
    now[0] += 3601
    assert throttle.wait(keys) == 0


def test_unknown_names_cost_the_same_argon2_work(
    store_with_account: tuple[Cli, str],
) -> None:
    store = Store(store_with_account[0].url)

    def seconds(name: str) -> float:
        best = float("inf")
        for _ in range(3):
            with store.transaction(write=False) as session:
                start = time.perf_counter()
                assert check_password(session, name, "wrong-guess-0000") is None
                best = min(best, time.perf_counter() - start)
        return best

    known, unknown = seconds("coord"), seconds("no-such-account")
    store.close()
    # Without the dummy hash an unknown name answered ~100x faster (no Argon2 at all).
    assert unknown > 0.5 * known, (known, unknown)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw-1", "must have at least 12 characters"),
        ("Password1234", "is on the list of common passwords"),
        ("qwerty123456", "is on the list of common passwords"),
        ("my-name-is-analyst7", "may not contain the account's name"),
        ("aaaaaaaaaaaabbb", "needs more than three different characters"),
    ],
)
def test_weak_passwords_are_refused(sqlite_cli: Cli, password: str, message: str) -> None:
    store = Store(sqlite_cli.url)
    with pytest.raises(InputError, match=message), store.transaction() as session:
        create_account(session, "analyst7", Role.COORDINATOR, password=password)
    store.close()
    result = sqlite_cli.runner.invoke(
        cli_app,
        ["account", "create", "analyst7", "--role", "coordinator", "--password-stdin"],
        input=password + "\n",
        env={"RAMSTEIN_DATABASE_URL": sqlite_cli.url},
    )
    assert_bad_input(result, f"error: password: {message}")


def test_revoke_disables_sign_in_and_tokens_until_enabled(
    store_with_account: tuple[Cli, str], client: TestClient
) -> None:
    cli, token = store_with_account
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/audit", headers=bearer).status_code == 200
    assert _sign_in(client, "coord", PASSWORD) == 303
    revoked = cli("account", "revoke", "coord")
    assert revoked.exit_code == 0 and "disabled" in revoked.stdout
    assert client.get("/api/v1/audit", headers=bearer).status_code == 401
    assert "Signed in as" not in client.get("/").text  # the browser's cookie is dead too
    assert _sign_in(client, "coord", PASSWORD) == 401
    listed = cli("account", "list")
    assert listed.exit_code == 0 and "disabled" in listed.stdout
    assert cli("account", "enable", "coord").exit_code == 0
    assert _sign_in(client, "coord", PASSWORD) == 303
    # Revoked tokens stay revoked.
    assert client.get("/api/v1/audit", headers=bearer).status_code == 401


def test_a_disabled_account_uses_no_token_until_enabled(
    store_with_account: tuple[Cli, str], client: TestClient
) -> None:
    cli, token = store_with_account
    bearer = {"Authorization": f"Bearer {token}"}
    assert cli("account", "disable", "coord").exit_code == 0
    assert client.get("/api/v1/audit", headers=bearer).status_code == 401
    assert _sign_in(client, "coord", PASSWORD) == 401
    assert cli("account", "enable", "coord").exit_code == 0
    assert client.get("/api/v1/audit", headers=bearer).status_code == 200
    assert_bad_input(cli("account", "disable", "nobody"), "error: name: no account 'nobody'")
