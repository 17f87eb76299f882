"""The registry against the plugins' own tables: drift, and backfilling what is missing.

A deployment that ran a version without the registry has networks and
floating IPs that claim nothing.  ``backfill`` (``netservice-manage db
sync``) claims for them, stopping at the first collision with a
ClaimConflict that names both owners; ``drift`` (``registry check``) lists
every difference either way.

Claims compare by what they hold, not by row: a plugin's floating IPs
compare as the set of addresses, since a range created in two steps is held
as other CIDRs than the same addresses read back in one run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import netaddr
import sqlalchemy as sa

from netservice.core.db.models import RegistryAddress
from netservice.core.registry import serialise
from netservice.core.registry.claims import AddressClaim, Claim, owner_text
from netservice.core.registry.registry import Registry

Key = tuple[object, ...]


def _key(claim: Claim) -> Key:
    if isinstance(claim, AddressClaim):
        return ("address", claim.kind, claim.owner, claim.network_id, claim.cidr,
                claim.protocol, claim.port)  # fmt: skip
    return ("l2", claim.kind, claim.owner, claim.network_id, claim.scope, claim.name)


def _split(claims: Iterable[Claim]) -> tuple[dict[Key, Claim], dict[str, netaddr.IPSet]]:
    """Claims by key, floating ones apart as each owner's set of addresses."""
    keyed: dict[Key, Claim] = {}
    floating: dict[str, netaddr.IPSet] = {}
    for claim in claims:
        if isinstance(claim, AddressClaim) and claim.kind == "floating":
            floating.setdefault(claim.owner, netaddr.IPSet()).add(claim.cidr)
        else:
            keyed[_key(claim)] = claim
    return keyed, floating


def _floating_text(addresses: netaddr.IPSet) -> str:
    return ", ".join(str(r) for r in addresses.iter_ipranges())


def drift(held: Sequence[Claim], wanted: Mapping[str, Sequence[Claim]]) -> list[str]:
    """One line per difference between the registry (``held``) and each plugin's tables.

    ``wanted`` maps each loaded plugin to its ``registry_claims()``.
    """
    have, have_floating = _split(held)
    want, want_floating = _split(c for claims in wanted.values() for c in claims)
    lines = [
        f"missing from the registry: {claim.describe()}"
        for key, claim in want.items()
        if key not in have
    ]
    for key, claim in have.items():
        if key in want:
            continue
        if claim.owner in wanted:
            lines.append(f"held in the registry but not in {claim.owner}'s tables: "
                         f"{claim.describe()}")  # fmt: skip
        else:
            lines.append(f"held by {claim.owner}, which is not loaded: {claim.describe()}")
    for owner in sorted(set(have_floating) | set(want_floating)):
        mine = have_floating.get(owner, netaddr.IPSet())
        theirs = want_floating.get(owner, netaddr.IPSet())
        who = owner_text("floating", owner, None)
        if theirs - mine:
            lines.append(f"missing from the registry: {_floating_text(theirs - mine)} of {who}")
        if mine - theirs:
            lines.append(f"held in the registry but not in {owner}'s tables: "
                         f"{_floating_text(mine - theirs)} of {who}")  # fmt: skip
    return lines


def backfill(
    registry: Registry, conn: sa.Connection, wanted: Mapping[str, Sequence[Claim]]
) -> int:
    """Claim what the plugins' tables hold and the registry does not; returns how many.

    In the caller's write transaction.  Raises ClaimConflict, naming both
    owners, at the first collision: the caller's transaction then claims
    nothing.  Never frees a claim.
    """
    serialise.lock_for_release(conn)  # MariaDB: no other registry writer meanwhile
    have, have_floating = _split(registry.held(conn))
    added = 0
    for owner in sorted(wanted):
        want, want_floating = _split(wanted[owner])
        missing = [claim for key, claim in want.items() if key not in have]
        addresses = want_floating.get(owner, netaddr.IPSet())
        if addresses != have_floating.get(owner, netaddr.IPSet()):
            # Claimed again as one piece per run, replacing the old pieces.
            conn.execute(
                sa.delete(RegistryAddress).where(
                    RegistryAddress.owner == owner, RegistryAddress.kind == "floating"
                )
            )
            missing += [
                c for c in wanted[owner] if isinstance(c, AddressClaim) and c.kind == "floating"
            ]
        registry.claim(conn, missing)
        added += len(missing)
    return added
