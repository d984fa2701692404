"""Signed checkpoints of the audit chain: the head's record id and hash, signed with the
installation's Ed25519 key, so that a cut tail or a rebuilt chain is found later.

The private key lives in a file beside the default store (RAMSTEIN_AUDIT_KEY names
another): whoever can rewrite the database but not read that file cannot forge one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from platformdirs import user_data_dir
from sqlalchemy import select
from sqlalchemy.orm import Session

from ramstein.domain.audit import AuditRecord
from ramstein.domain.errors import InputError
from ramstein.store.models import AuditCheckpointRow

FORMAT = "ramstein.audit-checkpoint/1"


def key_path() -> Path:
    """Where the installation's signing key is kept."""
    named = os.environ.get("RAMSTEIN_AUDIT_KEY")
    return Path(named) if named else Path(user_data_dir("ramstein")) / "audit-ed25519.pem"


def signing_key() -> Ed25519PrivateKey:
    """The installation's key, made (readable by its owner only) on first use."""
    path = key_path()
    if path.exists():
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise InputError("key", f"{path} is not an Ed25519 private key")
        return loaded
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return key


def _public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def _message(record_id: int, hash_: str, at: str) -> bytes:
    return json.dumps([FORMAT, record_id, hash_, at]).encode()


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at a moment, signed."""

    record_id: int
    hash: str
    at: str
    public_key: str
    signature: str

    def document(self) -> dict[str, Any]:
        """The checkpoint as `ramstein.audit-checkpoint/1`."""
        return {
            "format": FORMAT,
            "record_id": self.record_id,
            "hash": self.hash,
            "at": self.at,
            "public_key": self.public_key,
            "signature": self.signature,
        }


def take(session: Session, chain: list[AuditRecord]) -> Checkpoint:
    """Sign the chain's head and keep the checkpoint in the store."""
    if not chain:
        raise InputError("audit", "the chain is empty: nothing to checkpoint")
    head = chain[-1]
    key = signing_key()
    at = datetime.now(UTC).replace(microsecond=0).isoformat()
    signature = key.sign(_message(head.id, head.hash, at)).hex()
    point = Checkpoint(head.id, head.hash, at, _public_hex(key.public_key()), signature)
    session.add(
        AuditCheckpointRow(
            at=datetime.fromisoformat(at),
            record_id=point.record_id,
            hash=point.hash,
            public_key=point.public_key,
            signature=point.signature,
        )
    )
    return point


def latest(session: Session) -> Checkpoint | None:
    """The last checkpoint kept in the store, if any."""
    row = session.scalar(select(AuditCheckpointRow).order_by(AuditCheckpointRow.id.desc()))
    if row is None:
        return None
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return Checkpoint(row.record_id, row.hash, at.isoformat(), row.public_key, row.signature)


def parse(text: str) -> Checkpoint:
    """A checkpoint document; a damaged one is bad input."""
    try:
        doc = json.loads(text)
        if doc.get("format") != FORMAT:
            raise InputError("checkpoint", f"is not {FORMAT}")
        return Checkpoint(
            int(doc["record_id"]),
            str(doc["hash"]),
            str(doc["at"]),
            str(doc["public_key"]),
            str(doc["signature"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError("checkpoint", f"not a checkpoint document: {exc}") from None


def problem(point: Checkpoint, chain: list[AuditRecord]) -> str | None:
    """Why the chain does not continue the checkpoint (None if it does).

    The signature must be the installation's; the record it names must still be in the
    chain with the same hash: a cut tail loses it, a rebuilt chain changes its hash.
    """
    trusted = _public_hex(signing_key().public_key())
    if point.public_key != trusted:
        return "checkpoint: signed with another key than this installation's"
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(point.public_key)).verify(
            bytes.fromhex(point.signature), _message(point.record_id, point.hash, point.at)
        )
    except (InvalidSignature, ValueError):
        return "checkpoint: the signature does not match its contents"
    found = next((r for r in chain if r.id == point.record_id), None)
    if found is None:
        return (
            f"audit record {point.record_id} of the checkpoint of {point.at} is missing: "
            "the chain's tail was cut"
        )
    if found.hash != point.hash:
        return (
            f"audit record {point.record_id} differs from the checkpoint of {point.at}: "
            "the chain was rebuilt"
        )
    return None
