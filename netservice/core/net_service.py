"""The net-service: a plugin's reconciler on the network host.

A plugin that runs DHCP, NAT or bridges returns a ``NetService`` from
``get_net_service()``.  The core runs it with ``NetServiceRunner``: a
thread that reconciles one network when a change notification names it,
everything when one does not, and everything again every
``resync_interval`` seconds, so a lost notification only costs latency.
The same runner serves ``netservice-network`` and the embedded default,
where it runs inside the API process.
"""

from __future__ import annotations

import abc
import logging
import queue
import threading
import time

from netservice.core.exceptions import NetserviceError
from netservice.core.network_status import describe
from netservice.core.notify import Change, ChangeNotifier

LOG = logging.getLogger(__name__)


class NetService(abc.ABC):
    """Makes this host's kernel match the database for the networks it owns."""

    @abc.abstractmethod
    def reconcile(self) -> None:
        """Converge every network this host owns, and remove what it no longer owns.

        Called at start-up and every resync interval.  Idempotent: a second
        call in a row changes nothing.  Must survive being killed half-way:
        the next call converges from whatever state the kernel is in.
        Raises on failure; the runner logs and retries at the next wake-up.
        A failure of one network should not raise: converge the others,
        and tell operators through ``netservice.core.network_status``.
        """

    def reconcile_network(self, network_id: str) -> None:
        """Converge one network; its cost must not grow with other networks.

        Called when a change notification names ``network_id``.  The default
        reconciles everything, which is correct but not O(1).
        """
        self.reconcile()

    def stop(self) -> None:
        """Called once when the runner stops (the daemon is shutting down).

        Stops the processes the net-service started (dnsmasq), so that none
        outlives the daemon; kernel state (bridges, addresses, nftables
        rules) stays, and the next start converges from there.  Must not
        raise: log what could not be stopped.
        """
        return


class NetServiceRunner:
    """Runs one plugin's NetService in a thread, woken by its notifications."""

    def __init__(
        self,
        name: str,
        service: NetService,
        notifier: ChangeNotifier,
        *,
        resync_interval: float,
    ) -> None:
        self.name = name
        self.service = service
        self.resync_interval = resync_interval
        self._changes: queue.SimpleQueue[Change] = notifier.subscribe(name)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.passes = 0
        self.failures = 0
        self._failing: dict[str, str] = {}

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.run, name=f"net-service-{self.name}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._changes.put(Change(self.name))  # wake the thread
        if self._thread is not None:
            self._thread.join(timeout)
        self.service.stop()

    def run(self) -> None:
        """Reconcile now, then on every change and every resync interval."""
        self._pass(None)
        next_resync = time.monotonic() + self.resync_interval
        while not self._stopping.is_set():
            try:
                change = self._changes.get(timeout=max(0.0, next_resync - time.monotonic()))
            except queue.Empty:
                change = None
            if self._stopping.is_set():
                break
            if change is None:
                self._pass(None)
                next_resync = time.monotonic() + self.resync_interval
                continue
            targets = self._drain(change)
            if None in targets:
                self._pass(None)
            else:
                for network_id in sorted(t for t in targets if t is not None):
                    self._pass(network_id)

    def _drain(self, first: Change) -> set[str | None]:
        """Coalesce a burst of changes into one pass per network."""
        targets = {first.network_id}
        while True:
            try:
                targets.add(self._changes.get_nowait().network_id)
            except queue.Empty:
                return targets

    def _pass(self, network_id: str | None) -> None:
        target = network_id or "all networks"
        try:
            if network_id is None:
                self.service.reconcile()
            else:
                self.service.reconcile_network(network_id)
            self.passes += 1
        except Exception as err:
            self.failures += 1
            self._failed(target, err)
            return
        if self._failing.pop(target, None) is not None:
            LOG.info("net-service %s: reconcile of %s works again", self.name, target)
        if network_id is None:
            self._failing.clear()

    def _failed(self, target: str, err: Exception) -> None:
        """Log a failed pass once per change, not on every resync.

        A domain error (a missing tool, an unreachable database) is one line
        that says what to fix; anything else is a bug, logged with its
        traceback the first time.
        """
        text = describe(err)
        if self._failing.get(target) == text:
            LOG.debug("net-service %s: reconcile of %s still fails: %s", self.name, target, text)
            return
        self._failing[target] = text
        LOG.error(
            "net-service %s: reconcile of %s failed: %s; retrying at the next change or resync",
            self.name, target, text,
            exc_info=None if isinstance(err, NetserviceError) else err,
        )  # fmt: skip
