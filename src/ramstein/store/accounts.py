"""Accounts, their bearer tokens (stored as hashes only) and web passwords (Argon2)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ramstein.domain.access import Role, Viewer
from ramstein.domain.errors import InputError
from ramstein.store.coalitions import with_coalitions
from ramstein.store.models import AccountRow, NationRow, TokenRow

TOKEN_DAYS = 90
MIN_PASSWORD = 12
_hasher = PasswordHasher()
# Verified when the name is unknown (or has no password), so that the answer costs the
# same work either way and timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("not a password anyone has: " + secrets.token_hex(16))


@cache
def common_passwords() -> frozenset[str]:
    """The packaged list of common passwords (lower case), refused for accounts."""
    text = (files("ramstein.data") / "common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_new_password(password: str, name: str) -> None:
    """Refuse a password that is short, common, or the account's own name."""
    if len(password) < MIN_PASSWORD:
        raise InputError("password", f"must have at least {MIN_PASSWORD} characters")
    lowered = password.lower()
    if lowered in common_passwords():
        raise InputError("password", "is on the list of common passwords; choose another")
    if name and name.lower() in lowered:
        raise InputError("password", "may not contain the account's name")
    if len(set(password)) < 4:
        raise InputError("password", "needs more than three different characters")


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
    if password is not None:
        check_new_password(password, name)
    account = AccountRow(
        name=name,
        role=role.value,
        nation=nation,
        password_hash=_hasher.hash(password) if password else None,
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


def _account(session: Session, name: str) -> AccountRow:
    account = session.scalar(select(AccountRow).where(AccountRow.name == name))
    if account is None:
        raise InputError("name", f"no account {name!r}")
    return account


def revoke(session: Session, name: str) -> int:
    """Revoke every live token of an account and disable it (no sign-in until enabled);
    returns how many tokens were live."""
    account = _account(session, name)
    now = datetime.now(UTC)
    live = session.scalars(
        select(TokenRow).where(TokenRow.account_id == account.id, TokenRow.revoked_at.is_(None))
    ).all()
    for t in live:
        t.revoked_at = now
    if account.disabled_at is None:
        account.disabled_at = now
    return len(live)


def set_enabled(session: Session, name: str, enabled: bool) -> bool:
    """Enable or disable an account; returns whether that changed anything. A disabled
    account neither signs in nor uses any token (tokens issued before stay unusable only
    while it is disabled: `revoke` ends them for good)."""
    account = _account(session, name)
    if enabled == (account.disabled_at is None):
        return False
    account.disabled_at = None if enabled else datetime.now(UTC)
    return True


@dataclass(frozen=True)
class AccountSummary:
    """An account as `ramstein account list` shows it."""

    name: str
    role: str
    nation: str | None
    has_password: bool
    disabled: bool
    live_tokens: int
    created_at: datetime


def list_accounts(session: Session) -> list[AccountSummary]:
    """Every account, by name, with how many live tokens it has."""
    now = datetime.now(UTC)
    live: dict[int, int] = {}
    for t in session.scalars(select(TokenRow).where(TokenRow.revoked_at.is_(None))):
        if _aware(t.expires_at) > now:
            live[t.account_id] = live.get(t.account_id, 0) + 1
    return [
        AccountSummary(
            a.name,
            a.role,
            a.nation,
            a.password_hash is not None,
            a.disabled_at is not None,
            live.get(a.id, 0),
            a.created_at,
        )
        for a in session.scalars(select(AccountRow).order_by(AccountRow.name))
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def viewer_for_token(session: Session, token: str) -> Viewer | None:
    """The viewer a live token speaks for, or None for an unknown, expired or revoked one."""
    row = session.scalar(select(TokenRow).where(TokenRow.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= datetime.now(UTC):
        return None
    account = session.get(AccountRow, row.account_id)
    if account is None or account.disabled_at is not None:
        return None
    return _viewer(session, account)


def _viewer(session: Session, account: AccountRow) -> Viewer:
    """An account's viewer, with the coalitions its nation leads (nation accounts only)."""
    return with_coalitions(session, Viewer(Role(account.role), account.nation, account.name))


def check_password(session: Session, name: str, password: str) -> Viewer | None:
    """The account's viewer if it is enabled and the password matches its Argon2 hash.

    An unknown name, an account without a password and a disabled account cost the same
    Argon2 verification as a real one (against a dummy hash), and all answer None.
    """
    account = session.scalar(select(AccountRow).where(AccountRow.name == name))
    stored = account.password_hash if account and account.disabled_at is None else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None or stored is None:
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
