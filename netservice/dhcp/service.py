"""The network host's reconciler for DHCP topologies.

``reconcile()`` (start-up, every resync) claims unowned networks, frees
fixed IPs held past ``fixed_ip_disassociate_timeout``, and converges every
network this host serves: its link, dnsmasq with the allocated hosts, SNAT,
and the floating IPs; whatever the kernel holds that the database no longer
wants (a deleted network's dnsmasq and chain, a stale floating IP) goes.  It
reads the kernel, not its own memory, so a daemon killed half-way converges
on restart with nothing duplicated.

Each network converges or fails on its own: a network whose link cannot be
made (its ``bridge_interface`` does not exist, say) is reported through
``netservice.core.network_status`` (one log line per change, and ERROR in
the API) and retried on every pass, while the others converge.  What
concerns the whole host (the firewall's base table, a missing program, the
database) still fails the pass, and the runner logs that once.

``reconcile_network(id)`` (a change notification) is O(1) in the size of
the network: it reads only the rows changed since the last pass (with a few
seconds' margin for clock skew and late commits) and applies the difference
to what it applied before.  A network it has not seen, or whose settings
changed, is converged whole, once.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import logging
import threading
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import exc as sa_exc

from netservice.core.net_service import NetService
from netservice.core.network_status import NetworkStatuses, StatusReporter
from netservice.dhcp.dataplane import HostDataPlane
from netservice.dhcp.parts import CreatedBridge, L2Segment, NetworkExtra
from netservice.dhcp.state import (
    FloatingRow,
    HostRow,
    NetworkSpec,
    StateReader,
    network_id_of,
    network_key,
)
from netservice.linux.dnsmasq import DhcpHost, DhcpNetwork
from netservice.linux.exceptions import BinaryNotFound, KernelFeatureMissing

LOG = logging.getLogger(__name__)

# Rows stamped up to this long before the last pass's newest row are read
# again: a writer's clock may lag, or its transaction may commit late.
# Re-reading is harmless, because applying a row twice changes nothing.
MARGIN = datetime.timedelta(seconds=5)

# Failures that concern every network of the host (a missing program, a
# kernel without 802.1q, the database): they fail the whole pass, logged
# once by the runner, rather than marking each network ERROR.
HOST_WIDE = (BinaryNotFound, KernelFeatureMissing, sa_exc.SQLAlchemyError)


@dataclasses.dataclass
class Applied:
    """What this process last applied for one network."""

    spec: NetworkSpec
    hosts: dict[str, HostRow]
    watermark: datetime.datetime | None


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def _newest(
    current: datetime.datetime | None, stamps: Iterable[datetime.datetime]
) -> datetime.datetime | None:
    return max([current, *stamps], key=lambda s: s or datetime.datetime.min)


class DhcpNetService(NetService):
    """Reconciles one plugin's networks on this host.  Thread-safe."""

    def __init__(
        self,
        reader: StateReader,
        dataplane: Callable[[], HostDataPlane],
        *,
        sweep: Callable[[], int] | None = None,
        status: StatusReporter | None = None,
        l2: L2Segment | None = None,
        extras: Sequence[NetworkExtra] = (),
    ) -> None:
        """``dataplane`` builds the drivers on first use (so loading needs no root).

        ``sweep`` frees fixed IPs held past the timeout; called on each full pass.
        ``status`` reports each network's outcome; by default into the core's
        ``network_statuses`` table of the reader's database.  ``l2`` makes each
        network's bridge (default: ``CreatedBridge``, FlatDHCP's); ``extras``
        add what the topology needs on top, in order (VLAN: isolation, VPN).
        """
        self.reader = reader
        self.l2: L2Segment = l2 or CreatedBridge()
        self.extras: tuple[NetworkExtra, ...] = tuple(extras)
        self.status = status or StatusReporter(
            NetworkStatuses(reader.db, reader.service), reader.host, LOG
        )
        self._make_dataplane = dataplane
        self._dp: HostDataPlane | None = None
        self._sweep = sweep
        self._lock = threading.Lock()
        self._applied: dict[int, Applied] = {}
        self._floating: dict[str, str] = {}
        self._floating_mark: datetime.datetime | None = None

    @property
    def dp(self) -> HostDataPlane:
        if self._dp is None:
            self._dp = self._make_dataplane()
        return self._dp

    # --- the parts ---------------------------------------------------------------------

    def ensure_link(self, spec: NetworkSpec) -> None:
        """Make the network's bridge with the L2 part, with the DHCP address first on it.

        FlatDHCP's ``CreatedBridge`` enslaves ``bridge_interface``; VLAN's
        ``Segmentation`` puts the bridge over a VLAN or VXLAN device.
        """
        self.l2.ensure(
            self.dp.links,
            vlan=spec.vlan,
            bridge=spec.bridge,
            interface=spec.bridge_interface,
            gateway_address=spec.dhcp_address,
        )

    # --- NetService -------------------------------------------------------------------

    def reconcile(self) -> None:
        with self._lock:
            won = self.reader.claim_unowned()
            if won:
                LOG.info("host %s claimed networks %s", self.reader.host, won)
            if self._sweep is not None:
                freed = self._sweep()
                if freed:
                    LOG.info("freed %d fixed IPs held past the disassociate timeout", freed)
            specs = self.reader.networks()
            firewall = self.dp.firewall
            firewall.ensure_base()
            for spec in specs:
                self._attempt(spec, self._converge)
            wanted = {spec.key for spec in specs}
            present = set(self.dp.dhcp.network_ids()) | firewall.network_ids()
            # Only this plugin's keys: another plugin on this host has its own.
            present = {k for k in present if network_id_of(k, self.reader.service) is not None}
            present |= {network_key(self.reader.service, i) for i in self._applied}
            for key in sorted(present - wanted):
                self._remove_isolated(key)
            for extra in self.extras:
                extra.sweep(firewall, specs)
            self._converge_floating(specs)

    def stop(self) -> None:
        """Stop this plugin's dnsmasq processes; their files and the kernel state stay."""
        if self._dp is None:
            return  # never reconciled: nothing was started
        with self._lock:
            try:
                keys = self._dp.dhcp.network_ids()
            except Exception:
                LOG.exception(
                    "net-service %s: cannot list its dnsmasq processes", self.reader.service
                )
                return
            for key in keys:
                if network_id_of(key, self.reader.service) is None:
                    continue  # another plugin's
                try:
                    self._dp.dhcp.halt(key)
                except Exception:
                    LOG.exception(
                        "net-service %s: cannot stop dnsmasq of %s", self.reader.service, key
                    )

    def reconcile_network(self, network_id: str) -> None:
        if not network_id.isdigit():
            self.reconcile()
            return
        with self._lock:
            specs = self.reader.networks(int(network_id))
            if not specs and self.reader.claim_unowned():
                specs = self.reader.networks(int(network_id))
            if not specs:
                key = network_key(self.reader.service, int(network_id))
                if int(network_id) in self._applied or key in self.dp.dhcp.network_ids():
                    self._remove(key)
                else:
                    self.status.gone(network_id)
                return
            spec = specs[0]
            applied = self._applied.get(spec.id)
            if applied is None or applied.spec != spec or self.dp.dhcp.pid(spec.key) is None:
                self._attempt(spec, self._converge)
            else:
                self._attempt(spec, lambda _spec: self._apply_changes(applied))
            self._floating_changes()

    # --- one network, isolated from the others ------------------------------------------

    def _attempt(self, spec: NetworkSpec, work: Callable[[NetworkSpec], None]) -> bool:
        """Run ``work`` for one network; its failure is reported, not raised.

        A failed network is converged whole on its next pass.  A missing
        program or a database error concerns every network, so it fails the
        pass instead (``HOST_WIDE``; the runner logs it once).
        """
        try:
            work(spec)
        except HOST_WIDE:
            self._applied.pop(spec.id, None)
            raise
        except Exception as err:
            self._applied.pop(spec.id, None)
            self.status.failed(str(spec.id), spec.name, err, spec)
            return False
        self.status.converged(str(spec.id), spec.name, spec)
        return True

    def _remove_isolated(self, key: str) -> None:
        """``_remove`` for a full pass: a failure is logged once, and the others go on."""
        try:
            self._remove(key)
        except HOST_WIDE:
            raise
        except Exception as err:
            name = f"{self.reader.service or 'DHCP'} network {key} (no longer served here)"
            self.status.failed(key, name, err, store=False)
            return
        self.status.gone(key)  # forget a failure logged under the key

    # --- one network --------------------------------------------------------------------

    def _dhcp_network(self, spec: NetworkSpec) -> DhcpNetwork:
        return DhcpNetwork(
            spec.key,
            spec.bridge,
            spec.cidr,
            spec.dhcp_server,
            spec.dhcp_start,
            gateway=spec.gateway,
            dns=spec.dns,
            label=spec.label,
        )

    def _converge(self, spec: NetworkSpec) -> None:
        """Converge the whole network; O(its size)."""
        self.ensure_link(spec)
        # Rows are stamped by the writers' clocks; from here on only rows
        # stamped after this read (less MARGIN) are read again.
        start = _now()
        rows = self.reader.hosts(spec)
        served = {row.mac: row for row in rows if row.allocated}
        network = self._dhcp_network(spec)
        self.dp.dhcp.ensure(network, [DhcpHost(r.mac, r.hostname, r.ip) for r in served.values()])
        self.dp.firewall.ensure_network(spec.key, spec.cidr)
        for extra in self.extras:
            extra.apply(self.dp.firewall, spec)
        for row in rows:
            if not row.allocated and row.leased:
                self.dp.dhcp.release(network, row.ip, row.mac)
        self._applied[spec.id] = Applied(spec, served, _newest(start, (r.stamp for r in rows)))
        LOG.debug("network %s converged: %d hosts", spec.key, len(served))

    def _apply_changes(self, applied: Applied) -> None:
        """Apply the rows changed since the last pass; O(changes)."""
        since = applied.watermark - MARGIN if applied.watermark else None
        start = _now()
        rows = self.reader.hosts(applied.spec, since)
        network = self._dhcp_network(applied.spec)
        key = applied.spec.key
        for row in sorted(rows, key=lambda r: r.stamp):
            if row.allocated:
                if applied.hosts.get(row.mac) != row:
                    self.dp.dhcp.add_host(key, DhcpHost(row.mac, row.hostname, row.ip))
                    applied.hosts[row.mac] = row
                continue
            if applied.hosts.pop(row.mac, None) is not None:
                self.dp.dhcp.remove_host(key, row.mac)
            if row.leased:
                # force_dhcp_release: dnsmasq then calls netservice-dhcpbridge
                # del, which frees the address.
                self.dp.dhcp.release(network, row.ip, row.mac)
        applied.watermark = _newest(
            max(start, applied.watermark or start), (r.stamp for r in rows)
        )

    def _remove(self, key: str) -> None:
        LOG.info("network %s is no longer served here: stopping its DHCP and SNAT", key)
        self.dp.dhcp.stop(key)
        self.dp.firewall.remove_network(key)
        for extra in self.extras:
            extra.remove(self.dp.firewall, key)
        network_id = network_id_of(key, self.reader.service)
        if network_id is not None:
            self._applied.pop(network_id, None)
            self.status.gone(str(network_id))

    # --- floating IPs ---------------------------------------------------------------------

    def _converge_floating(self, specs: list[NetworkSpec]) -> None:
        start = _now()
        rows = self.reader.floating(specs)
        desired = {r.floating: r.fixed for r in rows if r.live and r.fixed}
        firewall = self.dp.firewall
        actual = firewall.floating_bindings()
        for floating, fixed in actual.items():
            if desired.get(floating) != fixed:
                firewall.unbind_floating_ip(floating, fixed)
        for floating, fixed in desired.items():
            if actual.get(floating) != fixed:
                firewall.bind_floating_ip(floating, fixed)
        self._floating = desired
        self._floating_mark = _newest(start, (r.stamp for r in rows))

    def _floating_changes(self) -> None:
        specs = [a.spec for a in self._applied.values()]
        since = self._floating_mark - MARGIN if self._floating_mark else None
        start = _now()
        rows = self.reader.floating(specs, since)
        # The newest row of an address wins (a deleted row and its successor).
        latest: dict[str, FloatingRow] = collections.OrderedDict()
        for row in sorted(rows, key=lambda r: r.stamp):
            latest[row.floating] = row
        firewall = self.dp.firewall
        for floating, row in latest.items():
            bound = self._floating.get(floating)
            want = row.fixed if row.live else None
            if bound == want:
                continue
            if bound is not None:
                firewall.unbind_floating_ip(floating, bound)
                del self._floating[floating]
            if want is not None:
                firewall.bind_floating_ip(floating, want)
                self._floating[floating] = want
        self._floating_mark = _newest(
            max(start, self._floating_mark or start), (r.stamp for r in rows)
        )


__all__ = ["Applied", "DhcpNetService", "HostRow"]
