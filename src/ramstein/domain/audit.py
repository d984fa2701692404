"""The audit chain: each record's hash covers its content and the previous record's hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    """One write: who, when, what, the row's digest before and after, and the chain hashes."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before_digest: str
    after_digest: str
    prev_hash: str
    hash: str


def digest(values: dict[str, Any] | None) -> str:
    """SHA-256 of a row's values as canonical JSON ('' for no row)."""
    if values is None:
        return ""
    canonical = json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def chain_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before_digest: str,
    after_digest: str,
) -> str:
    """The hash of a record, covering the previous record's hash."""
    # Times are hashed at second precision in UTC, as every database keeps them.
    moment = at.replace(tzinfo=None, microsecond=0).isoformat()
    body = json.dumps(
        [prev_hash, moment, actor, action, entity, entity_id, before_digest, after_digest]
    )
    return hashlib.sha256(body.encode()).hexdigest()


def first_broken(records: list[AuditRecord]) -> AuditRecord | None:
    """The first record whose hash or link to its predecessor does not hold, if any."""
    previous = GENESIS
    for r in records:
        expected = chain_hash(
            previous,
            r.at,
            r.actor,
            r.action,
            r.entity,
            r.entity_id,
            r.before_digest,
            r.after_digest,
        )
        if r.prev_hash != previous or r.hash != expected:
            return r
        previous = r.hash
    return None
