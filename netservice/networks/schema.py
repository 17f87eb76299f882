"""``Schema``: which model classes a plugin's networks service works on."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class Schema:
    """A plugin's model classes.

    ``network`` is built on ``netservice.ipam.models.NetworkMixin``,
    ``fixed_ip`` on ``FixedIpMixin``, ``vnic`` on
    ``netservice.networks.models.EthernetCardMixin`` and ``floating_ip``, for
    the topologies that have them, on ``netservice.floating.models``'s mixin.
    They are typed ``Any`` because each plugin declares its own classes.
    """

    network: Any
    fixed_ip: Any
    vnic: Any
    floating_ip: Any = None
