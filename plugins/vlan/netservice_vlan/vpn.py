"""The projects' VPNs (nova's cloudpipe): where each is reached, and ``vpn change``.

Every VLAN network reserves ``vpn_private_address`` (its subnet's third
address, or the one after the gateway with ``--allowed_start``) for the
project's VPN instance, and has a public port,
``vpn_public_port`` (``vpn_start`` + i at creation).  The network host
forwards udp ``<public address>:<port>`` to ``<vpn_private_address>:1194``.
The public address is the network's ``vpn_public_address`` once ``vpn
change`` set one, else ``[vlan] vpn_ip``.

A project's VPN is that of its first network.  ``vpn change`` moves it to
another address and port, refusing one that another project's (or an
unassigned) network already forwards: one address and port can lead to one
VPN only.
"""

from __future__ import annotations

import dataclasses
import logging

import sqlalchemy as sa
from netservice.core import exceptions, validation
from netservice.core.db.retry import retry_on_deadlock
from netservice.ipam.values import ip_address, positive_int
from netservice.networks.claims import vpn_claims
from netservice.networks.domain import Network

from netservice_vlan.exceptions import ProjectHasNoNetwork, VpnPortInUse
from netservice_vlan.networks import VlanNetworks

LOG = logging.getLogger(__name__)

MAX_PORT = 65535


@dataclasses.dataclass(frozen=True)
class Vpn:
    """One project's VPN: the public end and the VPN instance's address."""

    project_id: str
    network_id: str
    """The uuid of the project's network whose VPN this is."""
    public_address: str | None
    public_port: int | None
    private_address: str | None


class ProjectVpns:
    """Reads and changes the VPN of the projects of one VLAN service."""

    def __init__(self, networks: VlanNetworks, vpn_ip: str | None) -> None:
        self.networks = networks
        self.vpn_ip = vpn_ip or None

    def _view(self, network: Network) -> Vpn:
        assert network.project_id is not None  # a VPN is a project's network's
        return Vpn(
            project_id=network.project_id,
            network_id=network.uuid,
            public_address=network.vpn_public_address or self.vpn_ip,
            public_port=network.vpn_public_port,
            private_address=network.vpn_private_address,
        )

    def get(self, project_id: str) -> Vpn:
        """The project's VPN.  Raises ProjectHasNoNetwork (404).  Read-only."""
        project_id = validation.project_id(project_id)
        owned = self.networks.project_networks(project_id)
        if not owned:
            raise ProjectHasNoNetwork(project_id=project_id)
        return self._view(owned[0])

    def list(self) -> list[Vpn]:
        """Every project's VPN, by project."""
        net = self.networks.schema.network
        query = (
            sa.select(net)
            .where(net.deleted == 0, net.project_id.is_not(None))
            .order_by(net.project_id, net.id)
        )
        first: dict[str | None, Network] = {}
        for network in self.networks.read_models(query):
            first.setdefault(network.project_id, network)
        return [self._view(network) for network in first.values()]

    @retry_on_deadlock
    def change(self, project_id: str, address: str, port: int | str) -> Vpn:
        """``vpn change --project --ip --port``: move the project's VPN.

        Raises InvalidInput (a malformed address or port), ProjectHasNoNetwork
        (404), WrongNetworkService (409) when another service serves the
        project, or VpnPortInUse (409) when another project's or an unassigned
        network already has that address and port.  Idempotent.
        """
        project_id = validation.project_id(project_id, "project")
        address = ip_address(address, "ip")
        if ":" in address:
            raise exceptions.InvalidInput(field="ip", reason=f"{address} is not IPv4")
        number = positive_int(port, "port")
        if number > MAX_PORT:
            raise exceptions.InvalidInput(field="port", reason=f"must be 1..{MAX_PORT}")
        net = self.networks.schema.network
        # The address a network without its own is reached at.
        public = sa.func.coalesce(net.vpn_public_address, self.vpn_ip or "")
        with self.networks.writes.session() as write:
            conn = write.conn
            self.networks.claim_project(conn, project_id, self.networks.topology.name)
            self.networks.lock_networks(conn)
            mine = conn.execute(
                sa.select(net.id, net.uuid)
                .where(net.deleted == 0, net.project_id == project_id)
                .order_by(net.id)
                .limit(1)
            ).first()
            if mine is None:
                raise ProjectHasNoNetwork(project_id=project_id)
            taken = conn.execute(
                sa.select(net.uuid, net.project_id).where(
                    net.deleted == 0,
                    net.id != mine.id,
                    net.vpn_public_port == number,
                    public == address,
                )
            ).first()
            if taken is not None:
                owner = f"project {taken.project_id}" if taken.project_id else "no project"
                raise VpnPortInUse(
                    address=address, port=number, owner=f"network {taken.uuid} ({owner})"
                )
            conn.execute(
                sa.update(net)
                .where(net.id == mine.id)
                .values(vpn_public_address=address, vpn_public_port=number)
            )
            # The endpoint moves in the registry too: refused (ClaimConflict)
            # when another plugin's floating IP or range holds the address.
            self.networks.release(conn, mine.id, ("vpn",))
            row = conn.execute(sa.select(net).where(net.id == mine.id)).one()
            self.networks.claim(conn, vpn_claims(self.networks.topology, row))
            write.changed(mine.id)
        LOG.info("VPN of project %s is now %s:%s", project_id, address, number)
        return self.get(project_id)
