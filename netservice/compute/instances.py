"""The calls compute makes for an instance's network, routed by project.

``InstanceNetworks`` is what the compute API calls: it finds the project's
network service through the association table, records the instance's VNICs
in ``instance_virtual_nics`` and drives that service's net agent.  Every call
can be repeated after a crash half-way: attaching, binding and setting up
are idempotent, and the legacy path reuses the VNIC it already created.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

from netservice.core import exceptions, validation
from netservice.core.context import RequestContext
from netservice.core.db import api as db_api
from netservice.core.manager import NetworkServiceManager
from netservice.core.network_info import NetworkInfo, check_network_info
from netservice.core.plugin import NetworkServicePlugin

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class InstanceNetwork:
    """What compute gets back to define the domain."""

    vnic_ids: tuple[str, ...]
    interfaces: tuple[str, ...]
    """The libvirt ``<interface>`` of each VNIC, in the guest's NIC order."""
    injected_config: str | None
    """``/etc/network/interfaces`` to inject, or None when the NICs use DHCP."""


class VnicOfAnotherService(exceptions.WrongNetworkService):
    msg_fmt = (
        "VNIC %(vnic_id)s belongs to network service '%(requested)s', but project "
        "%(project_id)s is served by '%(expected)s'"
    )


class InstanceNetworks:
    """The instance life cycle across every loaded network service."""

    def __init__(self, manager: NetworkServiceManager) -> None:
        self.manager = manager

    def _project(self, context: RequestContext) -> tuple[str, NetworkServicePlugin]:
        if not context.project_id:
            raise exceptions.InvalidInput(
                field="project_id", reason="the context names no project"
            )
        name, _ = self.manager.service_name_for_project(context.project_id)
        return name, self.manager.get(name)

    def create_instance_network(
        self, context: RequestContext, instance_id: str, vnic_ids: Sequence[str]
    ) -> InstanceNetwork:
        """Attach, bind and set up ``vnic_ids`` for the instance, in that order.

        Raises InvalidInput for a missing, empty or repeating list or a bad
        id; VnicNotFound for an unknown VNIC or another project's;
        VnicOfAnotherService for a VNIC of another network service;
        VnicInUse for one attached to another instance.  Nothing is recorded
        unless every VNIC passes those checks.  Idempotent.
        """
        validation.identifier(instance_id, "instance_id")
        if isinstance(vnic_ids, str) or not isinstance(vnic_ids, Sequence) or not vnic_ids:
            raise exceptions.InvalidInput(
                field="vnic_ids", reason="must be a non-empty list of VNIC ids"
            )
        ids = [validation.identifier(v, "vnic_ids") for v in vnic_ids]
        repeated = sorted({v for v in ids if ids.count(v) > 1})
        if repeated:
            raise exceptions.InvalidInput(
                field="vnic_ids", reason=f"{repeated[0]} is listed twice"
            )
        name, plugin = self._project(context)
        for vnic_id in ids:
            self._check_vnic(context, name, plugin, vnic_id)
        db_api.attach_vnics(self.manager.database, instance_id, context.project_id, ids)
        return self._wire(context, instance_id, ids, plugin)

    def create_instance_network_legacy(
        self, context: RequestContext, instance_id: str
    ) -> InstanceNetwork:
        """The OpenStack and EC2 APIs' path: one new VNIC from ``get_default_vnic_id``.

        The VNIC is recorded before it is bound, so a retry after a crash
        reuses it rather than creating another.
        """
        validation.identifier(instance_id, "instance_id")
        name, plugin = self._project(context)
        rows = db_api.list_instance_vnics(self.manager.database, instance_id)
        if rows:
            self._owned(context, rows[0].project_id, instance_id)
            ids = [row.virtual_nic_id for row in rows]
        else:
            vnic_id = plugin.get_os_service().get_default_vnic_id(context)
            db_api.attach_vnics(self.manager.database, instance_id, context.project_id, [vnic_id])
            ids = [vnic_id]
            LOG.info("instance %s: new VNIC %s on %s", instance_id, vnic_id, name)
        return self._wire(context, instance_id, ids, plugin)

    create_instance_network_ec2 = create_instance_network_legacy

    def destroy_instance_network(self, context: RequestContext, instance_id: str) -> int:
        """Tear the instance's networking down and forget its VNICs; returns how many.

        Idempotent: an unknown instance, or one destroyed before (or half-way
        through a crash), succeeds.
        """
        validation.identifier(instance_id, "instance_id")
        rows = db_api.list_instance_vnics(self.manager.database, instance_id)
        if not rows:
            return 0
        self._owned(context, rows[0].project_id, instance_id)
        plugin = self.manager.for_project(rows[0].project_id or "")
        plugin.get_net_agent().teardown_compute_network(
            context, [row.virtual_nic_id for row in rows]
        )
        return db_api.detach_vnics(self.manager.database, instance_id)

    def get_instance_network_info(
        self, context: RequestContext, instance_id: str
    ) -> list[NetworkInfo]:
        """``get_network_info`` of each of the instance's VNICs, in order."""
        validation.identifier(instance_id, "instance_id")
        rows = db_api.list_instance_vnics(self.manager.database, instance_id)
        if not rows:
            raise exceptions.InstanceNotFound(instance_id=instance_id)
        self._owned(context, rows[0].project_id, instance_id)
        name, plugin = self._project_of(rows[0].project_id)
        agent = plugin.get_net_agent()
        return [
            check_network_info(name, agent.get_network_info(context, row.virtual_nic_id))
            for row in rows
        ]

    # --- helpers --------------------------------------------------------------------

    def _project_of(self, project_id: str | None) -> tuple[str, NetworkServicePlugin]:
        name, _ = self.manager.service_name_for_project(project_id or "")
        return name, self.manager.get(name)

    @staticmethod
    def _owned(context: RequestContext, owner: str | None, instance_id: str) -> None:
        if not context.is_admin and owner != context.project_id:
            raise exceptions.InstanceNotFound(instance_id=instance_id)

    def _check_vnic(
        self, context: RequestContext, name: str, plugin: NetworkServicePlugin, vnic_id: str
    ) -> None:
        try:
            plugin.get_net_agent().get_network_info(context, vnic_id)
            return
        except exceptions.VnicNotFound:
            owner = self._other_service(context, vnic_id, name)
            if owner is None:
                raise
        raise VnicOfAnotherService(
            vnic_id=vnic_id, project_id=context.project_id, expected=name, requested=owner
        )

    def _other_service(self, context: RequestContext, vnic_id: str, skip: str) -> str | None:
        """The loaded service where the caller can see ``vnic_id``, if any.

        Asked with the caller's own context, so another project's VNIC stays
        invisible (VnicNotFound) wherever it is.
        """
        for other, plugin in self.manager:
            if other == skip:
                continue
            try:
                plugin.get_net_agent().get_network_info(context, vnic_id)
            except exceptions.NotFound:
                continue
            return other
        return None

    def _wire(
        self,
        context: RequestContext,
        instance_id: str,
        ids: list[str],
        plugin: NetworkServicePlugin,
    ) -> InstanceNetwork:
        agent = plugin.get_net_agent()
        agent.bind_vnics_to_ports(context, ids)
        agent.setup_compute_network(context, ids)
        interfaces = tuple(agent.get_interface_xml(context, v) for v in ids)
        injected = None
        if any(agent.requires_file_injection(context, v) for v in ids):
            injected = agent.get_injected_network_config(context, ids)
        LOG.info("instance %s: %d NIC(s) set up", instance_id, len(ids))
        return InstanceNetwork(tuple(ids), interfaces, injected)
