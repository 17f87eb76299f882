"""The deployment-wide registry: what plugins side by side could both claim.

``claims`` builds the values, ``registry`` claims and releases them in the
caller's transaction, ``serialise`` says how that is exact on each engine,
and ``drift`` compares the registry with what the plugins' tables hold
(``netservice-manage registry check`` and ``db sync``'s backfill).
"""

from netservice.core.registry.claims import AddressClaim, Claim, L2Claim
from netservice.core.registry.registry import Entry, Registry

__all__ = ["AddressClaim", "Claim", "Entry", "L2Claim", "Registry"]
