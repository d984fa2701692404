"""`ramstein account` and `ramstein audit`: who may use the API, and what was written."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.table import Table

from ramstein.cli.common import console, fail, input_errors, read_text, transaction
from ramstein.domain.access import Role
from ramstein.domain.audit import first_broken
from ramstein.ledger import checkpoints
from ramstein.store import accounts
from ramstein.store.audit import broken_bulk, last_baseline, records, verify_state

account_app = typer.Typer(help="API accounts and their bearer tokens.")
audit_app = typer.Typer(help="The audit chain of every write.")


@account_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="the account's name")],
    role: Annotated[Role, typer.Option(help="coordinator, nation or recipient")],
    nation: Annotated[str | None, typer.Option(help="ISO3, for a nation account")] = None,
    days: Annotated[int, typer.Option(min=1, help="days the token is valid")] = 90,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read a web-login password from stdin")
    ] = False,
) -> None:
    """Create an account; its bearer token is printed on the last line (only its hash is kept)."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with input_errors(), transaction() as session:
        token = accounts.create_account(
            session,
            name,
            role,
            nation=nation.upper() if nation else None,
            password=password,
            days=days,
        )
    console.print(
        f"Account {name} ({role.value}{' ' + nation.upper() if nation else ''}) "
        f"created; its token, valid {days} days:"
    )
    print(token)


@account_app.command("token")
def token(
    name: Annotated[str, typer.Argument(help="the account's name")],
    days: Annotated[int, typer.Option(min=1, help="days the token is valid")] = 90,
) -> None:
    """Issue a further token for an account (printed on the last line)."""
    from sqlalchemy import select

    from ramstein.store.models import AccountRow

    with input_errors(), transaction() as session:
        account = session.scalar(select(AccountRow).where(AccountRow.name == name))
        if account is None:
            fail(f"name: no account {name!r}")
        issued = accounts.issue_token(session, account, days=days)
    print(issued)


@account_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="the account's name")]) -> None:
    """Revoke every live token of an account and disable it until `account enable`."""
    with input_errors(), transaction() as session:
        count = accounts.revoke(session, name)
    console.print(f"Revoked {count} token(s) of {name}; the account is disabled.")


@account_app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="the account's name")]) -> None:
    """Disable an account: it neither signs in nor uses any of its tokens."""
    with input_errors(), transaction() as session:
        changed = accounts.set_enabled(session, name, False)
    console.print(f"{name} is disabled." if changed else f"{name} was already disabled.")


@account_app.command("enable")
def enable(name: Annotated[str, typer.Argument(help="the account's name")]) -> None:
    """Enable a disabled account again (revoked tokens stay revoked)."""
    with input_errors(), transaction() as session:
        changed = accounts.set_enabled(session, name, True)
    console.print(f"{name} is enabled." if changed else f"{name} was already enabled.")


@account_app.command("list")
def list_() -> None:
    """Every account: role, nation, password, state and live tokens."""
    with transaction() as session:
        rows = accounts.list_accounts(session)
    table = Table(title="Accounts")
    for header in ("Name", "Role", "Nation", "Password", "State", "Live tokens", "Created"):
        table.add_column(header)
    for a in rows:
        table.add_row(
            a.name,
            a.role,
            a.nation or "",
            "yes" if a.has_password else "no",
            "disabled" if a.disabled else "enabled",
            str(a.live_tokens),
            a.created_at.date().isoformat(),
        )
    console.print(table)


@audit_app.command("verify")
def verify(
    checkpoint: Annotated[
        Path | None, typer.Option(help="a checkpoint file the chain must still continue")
    ] = None,
) -> None:
    """Check the chain's links, every bulk record's rows, and the stored rows of every
    audited table against the last record of each; with --checkpoint, that the chain still
    holds the signed head. The first problem is named on one line (exit status 1)."""
    point = None
    if checkpoint is not None:
        with input_errors():
            point = checkpoints.parse(read_text(checkpoint))
    with transaction() as session:
        chain = records(session)
        broken = first_broken(chain) or broken_bulk(session, chain)
        findings = [] if broken else verify_state(session, chain)
    if broken is not None:
        _refuse(
            f"audit record {broken.id} ({broken.action} {broken.entity} "
            f"{broken.entity_id} by {broken.actor} at {broken.at.isoformat()}) breaks the chain"
        )
    if point is not None:
        # Before the rows: a cut or rebuilt chain explains any rows that no longer match.
        with input_errors():
            wrong = checkpoints.problem(point, chain)
        if wrong is not None:
            _refuse(wrong)
    if findings:
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        _refuse(f"{findings[0]}{more}")
    console.print(
        f"Audit chain holds: {len(chain)} records; every audited row matches its last record"
        + (f"; it continues the checkpoint of {point.at}." if point else ".")
    )
    baseline = last_baseline(chain)
    if baseline is not None:
        console.print(
            f"Rows older than record {baseline.id} are attested by its baseline "
            f"({baseline.entity}, {baseline.at.date().isoformat()}): the state as found at "
            "the upgrade, not its history."
        )


def _refuse(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(1)


@audit_app.command("checkpoint")
def checkpoint(
    out: Annotated[Path | None, typer.Option(help="also write the checkpoint to this file")] = None,
) -> None:
    """Sign the chain's head with this installation's Ed25519 key and keep it in the store."""
    with input_errors(), transaction() as session:
        point = checkpoints.take(session, records(session))
    text = json.dumps(point.document(), indent=1)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    console.print(f"Checkpoint of audit record {point.record_id} ({point.hash[:16]}...) signed.")
