"""Accounts, their bearer tokens (stored as hashes only) and web passwords (Argon2)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ramstein.domain.access import Role, Viewer
from ramstein.domain.errors import InputError
from ramstein.store.coalitions import with_coalitions
from ramstein.store.models import AccountRow, NationRow, TokenRow

TOKEN_DAYS = 90


def token_hash(token: str) -> str:
    """The SHA-256 under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_account(
    session: Session,
    name: str,
    role: Role,
    *,
    nation: str | None = None,
    password: str | None = None,
    days: int = TOKEN_DAYS,
) -> str:
    """Create an account and return a new bearer token for it (shown once, never stored)."""
    if role is Role.PUBLIC:
        raise InputError("role", "public is for anonymous access, not an account")
    if role is Role.NATION:
        if not nation or session.get(NationRow, nation) is None:
            raise InputError("nation", f"a nation account needs a known nation, not {nation!r}")
    elif nation:
        raise InputError("nation", f"only nation accounts speak for a nation, not {role.value}")
    if session.scalar(select(AccountRow).where(AccountRow.name == name)) is not None:
        raise InputError("name", f"account {name!r} exists")
    account = AccountRow(
        name=name,
        role=role.value,
        nation=nation,
        password_hash=PasswordHasher().hash(password) if password else None,
        created_at=datetime.now(UTC),
    )
    session.add(account)
    session.flush()
    return issue_token(session, account, days=days)


def issue_token(session: Session, account: AccountRow, *, days: int = TOKEN_DAYS) -> str:
    """A new bearer token for an account, valid for `days`."""
    token = secrets.token_urlsafe(32)
    session.add(
        TokenRow(
            account_id=account.id,
            token_hash=token_hash(token),
            expires_at=datetime.now(UTC) + timedelta(days=days),
        )
    )
    session.flush()
    return token


def revoke(session: Session, name: str) -> int:
    """Revoke every live token of an account; returns how many."""
    account = session.scalar(select(AccountRow).where(AccountRow.name == name))
    if account is None:
        raise InputError("name", f"no account {name!r}")
    now = datetime.now(UTC)
    live = session.scalars(
        select(TokenRow).where(TokenRow.account_id == account.id, TokenRow.revoked_at.is_(None))
    ).all()
    for t in live:
        t.revoked_at = now
    return len(live)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def viewer_for_token(session: Session, token: str) -> Viewer | None:
    """The viewer a live token speaks for, or None for an unknown, expired or revoked one."""
    row = session.scalar(select(TokenRow).where(TokenRow.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= datetime.now(UTC):
        return None
    account = session.get(AccountRow, row.account_id)
    assert account is not None
    return _viewer(session, account)


def _viewer(session: Session, account: AccountRow) -> Viewer:
    """An account's viewer, with the coalitions its nation leads (nation accounts only)."""
    return with_coalitions(session, Viewer(Role(account.role), account.nation, account.name))


def check_password(session: Session, name: str, password: str) -> Viewer | None:
    """The account's viewer if the password matches its Argon2 hash."""
    account = session.scalar(select(AccountRow).where(AccountRow.name == name))
    if account is None or not account.password_hash:
        return None
    try:
        PasswordHasher().verify(account.password_hash, password)
    except VerificationError:
        return None
    return _viewer(session, account)


def sign_in(session: Session, name: str, password: str, *, days: int = 1) -> str | None:
    """A new token for the account if the password matches, else None."""
    if check_password(session, name, password) is None:
        return None
    account = session.scalar(select(AccountRow).where(AccountRow.name == name))
    assert account is not None
    return issue_token(session, account, days=days)


def revoke_token(session: Session, token: str) -> None:
    """Revoke one token (signing out one browser), if it exists."""
    row = session.scalar(select(TokenRow).where(TokenRow.token_hash == token_hash(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)


def offices(session: Session) -> dict[str, tuple[Role, str | None]]:
    """Each account's role and nation by name: what anonymous readers are shown instead."""
    return {row.name: (Role(row.role), row.nation) for row in session.scalars(select(AccountRow))}
