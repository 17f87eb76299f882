"""The demo's story: FlatDHCP, VLAN (vxlan), Flat and l2 projects, in sandbox namespaces.

``Demo`` tells the story step by step; each step returns what it saw, so
``make demo`` (demo/run.py) prints it and the functional test asserts it.  Run as
root.  Everything lives in namespaces named ``<prefix>-*`` and a temporary
directory, and ``close()`` removes them all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from demo.instances import Instances, StandIns
from demo.instances import addresses as nic_addresses
from netservice.core.programs import script
from netservice.linux.links import Links
from netservice.linux.netlink import PyRoute2Backend
from netservice.linux.netns import HOST_NETNS, HOST_NETNS_NAME
from netservice.linux.testing import Namespaces, PollTimeout, pings, poll
from netservice.testing.config import write_config

Say = Callable[[str], None]


def _run(*argv: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}")
    return done.stdout


class Demo:
    """The sandbox, the running API, and what the story created."""

    def __init__(
        self, say: Say = print, prefix: str = "nsdemo", compute: Instances | None = None
    ) -> None:
        self.say = say
        self.compute = compute or StandIns()  # what an instance is: demo/instances.py
        self.netns = Namespaces(prefix)
        # The API names the namespace it runs in (netservice-host) for dnsmasq's
        # lease script; a name the demo made, the demo removes.
        self.host_named_before = os.path.exists(HOST_NETNS)
        self.workdir = tempfile.mkdtemp(prefix="netservice-demo-")
        os.chmod(self.workdir, 0o755)  # dnsmasq runs as nobody
        self.api: subprocess.Popen[str] | None = None
        self.url = ""
        self.config = ""
        self.instances: list[tuple[str, str]] = []

    # --- 1. the sandbox and the service --------------------------------------------------

    def sandbox(self) -> dict[str, str]:
        """A host namespace (network and compute host), an outside one, an underlay peer."""
        self.host, self.ext, self.peer = self.netns("host"), self.netns("ext"), self.netns("peer")
        links = Links(PyRoute2Backend(self.host), PyRoute2Backend)
        try:
            links.ensure_veth("pub0", "ext0", peer_namespace=self.ext)
            links.ensure_address("pub0", "192.168.250.2/24")
            links.ensure_veth("ul0", "ul1", peer_namespace=self.peer)
            links.ensure_address("ul0", "192.168.251.1/24")
        finally:
            links.close()
        ext = Links(PyRoute2Backend(self.ext), PyRoute2Backend)
        try:
            ext.ensure_address("ext0", "192.168.250.1/24")
        finally:
            ext.close()
        self.config = write_config(
            os.path.join(self.workdir, "etc"),
            ["flat", "flat_dhcp", "vlan", "l2"],
            default="vlan",
            extra={
                "DEFAULT": {
                    "host": "demo-host",
                    "resync_interval": 1,
                    "state_path": os.path.join(self.workdir, "state"),
                },
                "flat": {"flat_injected": "true"},
                "compute": self.compute.start(self.host, self.workdir, self.say),
                # One process that also runs the net-services, as `make run` does.
                "api": {"embedded_net_services": "true"},
                "linux": {
                    "namespace": self.host,
                    "public_interface": "pub0",
                    "routing_source_ip": "192.168.250.2",
                    "send_arp_for_ha_count": 1,
                },
                "vlan": {
                    "segmentation": "vxlan",
                    "vxlan_local": "192.168.251.1",
                    "vxlan_underlay": "ul0",
                    "vxlan_remotes": "192.168.251.2",
                },
            },
        )
        self.say(f"sandbox: {self.host} (network and compute host), {self.ext} (outside)")
        return {"host": self.host, "ext": self.ext}

    def start_api(self) -> str:
        """netservice-api on the embedded default; its log goes to <workdir>/api.log."""
        self.log = os.path.join(self.workdir, "api.log")
        with open(self.log, "w", encoding="utf-8") as log:
            self.api = subprocess.Popen(
                [script("netservice-api"), "--config-file", self.config],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

        def listening() -> str | None:
            if self.api is not None and self.api.poll() is not None:
                raise RuntimeError(f"netservice-api exited during start-up; see {self.log}")
            with open(self.log, encoding="utf-8") as handle:
                found = re.search(r"listening on (http://\S+)", handle.read())
            return found.group(1) if found else None

        self.url = poll(listening, timeout=30, interval=0.1)
        self.say(
            f"netservice-api on {self.url}: SQLite, flat, flat_dhcp, vlan, l2; net-services inside"
        )
        return self.url

    # --- 2. networks ----------------------------------------------------------------------

    def networks(self) -> dict[str, list[str]]:
        conf = ["--config-file", self.config]
        # Each project's service first: a plugin only gives a project networks
        # when it serves that project.
        services = (
            ("proj-a", "flat_dhcp"),
            ("proj-b", "vlan"),
            ("proj-c", "flat"),
            ("proj-d", "l2"),
        )
        for project, service in services:
            _run(script("netservice-manage"), *conf, "project", "network_set", project, service)
        fd = [script("netservice-flat-dhcp-manage"), *conf]
        _run(
            *fd,
            "network",
            "create",
            "--label",
            "a1",
            "--fixed_range_v4",
            "10.70.0.0/24",
            "--bridge",
            "br170",
            "--project_id",
            "proj-a",
        )
        _run(
            *fd,
            "network",
            "create",
            "--label",
            "a2",
            "--fixed_range_v4",
            "10.71.0.0/24",
            "--bridge",
            "br171",
            "--project_id",
            "proj-a",
        )
        _run(*fd, "floating", "create", "--ip_range", "192.168.250.64/28")
        _run(
            script("netservice-vlan-manage"),
            *conf,
            "network",
            "create",
            "--label",
            "b",
            "--fixed_range_v4",
            "10.80.0.0/24",
            "--vlan",
            "1080",
            "--project_id",
            "proj-b",
        )
        # Flat: the operator makes the bridge; addresses are injected, not served.
        links = Links(PyRoute2Backend(self.host), PyRoute2Backend)
        try:
            links.ensure_bridge("br190")
        finally:
            links.close()
        _run(
            script("netservice-flat-manage"),
            *conf,
            "network",
            "create",
            "--label",
            "c",
            "--fixed_range_v4",
            "10.90.0.0/24",
            "--bridge",
            "br190",
            "--project_id",
            "proj-c",
        )
        # l2: a pure segment, no addresses; the net-service makes the bridge.
        l2 = [script("netservice-l2-manage"), *conf, "network", "create", "--label", "d"]
        _run(*l2, "--bridge", "l2d", "--project", "proj-d")
        self.say("proj-a -> flat_dhcp: 10.70.0.0/24 (br170) and 10.71.0.0/24 (br171)")
        self.say("proj-b -> vlan (vxlan, VNI 1080): 10.80.0.0/24 (br1080)")
        self.say("proj-c -> flat: 10.90.0.0/24 (br190, the operator's; addresses injected)")
        self.say("proj-d -> l2: segment d (bridge l2d), no IP allocation, no DHCP")
        return {
            "flat_dhcp": self._labels("flat_dhcp", "proj-a"),
            "vlan": self._labels("vlan", "proj-b"),
            "flat": self._labels("flat", "proj-c"),
            "l2": self._labels("l2", "proj-d"),
        }

    def _rest(self, project: str, method: str, path: str, body: Any = None) -> Any:
        req = urllib.request.Request(
            f"{self.url}/v1.0{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"X-Project-Id": project, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=15) as reply:
            data = reply.read()
        return json.loads(data) if data else None

    def _labels(self, service: str, project: str) -> list[str]:
        return sorted(
            n["label"] for n in self._rest(project, "GET", f"/{service}/networks")["networks"]
        )

    # --- 3. instances ---------------------------------------------------------------------

    def boot(self, project: str, instance: str, vnics: list[str] | None = None) -> list[str]:
        """netservice-compute boot, then what it printed and the console said."""
        return self._show(instance, self._boot(project, instance, vnics))

    def boot_all(self, boots: dict[str, tuple[str, list[str] | None]]) -> dict[str, list[str]]:
        """``boot`` each ``{instance: (project, vnics)}`` at once; shown in order."""
        with ThreadPoolExecutor(max_workers=len(boots)) as pool:
            started = {
                instance: pool.submit(self._boot, project, instance, vnics)
                for instance, (project, vnics) in boots.items()
            }
            done = {instance: future.result() for instance, future in started.items()}
        return {instance: self._show(instance, lines) for instance, lines in done.items()}

    def _show(self, instance: str, lines: list[str]) -> list[str]:
        nics = [line for line in lines if " console: " not in line]
        for line in nics:
            self.say(f"  {line}")
        for line in self.compute.console(self.ns(instance)):
            self.say(f"  {instance} console: {line}")
        return nic_addresses(nics)

    def _boot(self, project: str, instance: str, vnics: list[str] | None) -> list[str]:
        """netservice-compute boot, repeated until the net-service has caught up."""
        name = f"{self.netns.tag}-{instance}"
        argv = [
            script("netservice-compute"),
            "--config-file",
            self.config,
            "boot",
            "--project",
            project,
            "--instance",
            name,
        ]
        argv += [a for v in vnics or [] for a in ("--vnic", v)] or ["--legacy"]

        last_error = [""]

        def attempt() -> str | None:
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=self.compute.boot_timeout + 60,
                check=False,
            )
            last_error[0] = done.stderr.strip()
            return done.stdout if done.returncode == 0 else None

        try:
            found = poll(attempt, timeout=self.compute.boot_timeout, interval=0.5)
            lines = found.strip().splitlines()
        except AssertionError:
            raise RuntimeError(f"booting {instance} failed: {last_error[0]}") from None
        self.instances.append((project, name))
        return lines

    def instances_with_dhcp(self) -> dict[str, list[str]]:
        networks = {
            n["label"]: n["id"]
            for n in self._rest("proj-a", "GET", "/flat_dhcp/networks")["networks"]
        }
        two = [
            self._rest(
                "proj-a", "POST", "/flat_dhcp/vnics", {"vnic": {"network_id": networks[label]}}
            )["vnic"]["id"]
            for label in ("a1", "a2")
        ]
        self.say(
            f"booting {self.compute.kind}s at once: a1, a2 (two NICs) for proj-a and b1, b2 "
            "for proj-b, DHCP inside each; c1 for proj-c on flat, its address injected:"
        )
        booted = self.boot_all(
            {
                "a1": ("proj-a", None),
                "a2": ("proj-a", two),
                "b1": ("proj-b", None),
                "b2": ("proj-b", None),
                "c1": ("proj-c", None),  # flat: its address injected
            }
        )
        return booted

    def l2_instances(self) -> dict[str, bool]:
        """d1, d2 on proj-d's l2 segment: no address is handed out; they reach each
        other by link-local IPv6 (stand-ins), or by addresses they set themselves."""
        self.say("booting d1, d2 for proj-d on l2 (no addresses given):")
        found = self.boot_all({"d1": ("proj-d", None), "d2": ("proj-d", None)})
        d1, d2 = found["d1"][0], found["d2"][0]
        if d1 and d2:
            targets = {"d1": f"{d2}%eth0", "d2": f"{d1}%eth0"}
            how = "link-local IPv6"
        else:  # a guest reports no link-local address: each sets one of its own
            for instance, cidr in (("d1", "169.254.10.1/16"), ("d2", "169.254.10.2/16")):
                self.compute.assign(self.ns(instance), cidr)
            targets = {"d1": "169.254.10.2", "d2": "169.254.10.1"}
            how = "addresses they set themselves, 169.254.10.1 and .2"
        checks = {
            "d1 -> d2": self._reaches("d1", targets["d1"]),
            "d2 -> d1": self._reaches("d2", targets["d2"]),
        }
        for pair, answered in checks.items():
            self.say(f"  ping {pair} ({how}): {'answered' if answered else 'no answer'}")
        return checks

    def _reaches(self, instance: str, address: str, timeout: float = 15.0) -> bool:
        """Pings from ``instance`` until one is answered (link-local addresses wait
        for duplicate address detection), or False after ``timeout``."""
        try:
            return bool(poll(lambda: self.compute.pings(self.ns(instance), address), timeout))
        except PollTimeout:
            return False

    def routing_fault(self) -> str:
        """Asking flat for a VLAN project's VNIC: refused, naming both services."""
        vnic = self._rest("proj-b", "POST", "/vlan/vnics", {"vnic": {}})["vnic"]["id"]
        try:
            self._rest("proj-b", "GET", f"/flat/vnics/{vnic}")
        except urllib.error.HTTPError as err:
            (body,) = json.loads(err.read()).values()
            self.say(
                f"GET /v1.0/flat/vnics/<proj-b's VNIC> as proj-b: {err.code} {body['message']}"
            )
            return str(body["message"])
        raise RuntimeError("flat answered for a vlan project's VNIC")

    def ns(self, instance: str) -> str:
        return f"{self.netns.tag}-{instance}"

    # --- 4. a floating IP, and isolation ----------------------------------------------------

    def floating_ip(self, fixed: str) -> tuple[str, bool, bool]:
        ip = self._rest("proj-a", "POST", "/flat_dhcp/floating_ips", {"floating_ip": {}})[
            "floating_ip"
        ]["ip"]
        self._rest(
            "proj-a",
            "POST",
            f"/flat_dhcp/floating_ips/{ip}/action",
            {"associate": {"fixed_address": fixed}},
        )
        reached = bool(poll(lambda: pings(self.ext, ip), timeout=20, interval=0.2))
        answer = "answered" if reached else "no answer"
        self.say(f"floating IP {ip} -> {fixed}: ping from {self.ext}: {answer}")
        self._rest(
            "proj-a", "POST", f"/flat_dhcp/floating_ips/{ip}/action", {"disassociate": None}
        )
        gone = bool(poll(lambda: not pings(self.ext, ip), timeout=20, interval=0.2))
        self.say(f"disassociated: ping {'no longer answered' if gone else 'still answered'}")
        return ip, reached, gone

    def isolation(self, addresses: dict[str, list[str]]) -> dict[str, bool]:
        checks = {
            "a1 -> a2": self.compute.pings(self.ns("a1"), addresses["a2"][0]),
            "b1 -> b2": self.compute.pings(self.ns("b1"), addresses["b2"][0]),
            "a1 -> b1": self.compute.pings(self.ns("a1"), addresses["b1"][0]),
            "b1 -> a1": self.compute.pings(self.ns("b1"), addresses["a1"][0]),
            "c1 -> b1": self.compute.pings(self.ns("c1"), addresses["b1"][0]),
        }
        for pair, answered in checks.items():
            self.say(f"  ping {pair}: {'answered' if answered else 'no answer'}")
        return checks

    # --- 5. clean up ---------------------------------------------------------------------------

    def close(self) -> None:
        terminating = [  # all at once, as they were booted
            subprocess.Popen(
                [
                    script("netservice-compute"),
                    "--config-file",
                    self.config,
                    "terminate",
                    "--project",
                    project,
                    "--instance",
                    name,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for project, name in reversed(self.instances)
        ]
        for proc in terminating:
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
        self.instances.clear()
        self.compute.close()  # libvirtd, for real guests
        if self.api is not None:
            self.api.send_signal(signal.SIGTERM)
            self.api.wait(timeout=15)
            self.api = None
        self.netns.close()  # and every process inside: dnsmasq, stand-ins
        if not self.host_named_before and os.path.exists(HOST_NETNS):
            subprocess.run(["ip", "netns", "delete", HOST_NETNS_NAME], check=False)
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.say("cleaned up: namespaces, processes and files are gone")


def dry_run(say: Say = print) -> None:
    """Without root: what the network host would do for one FlatDHCP network, printed."""
    from netservice.core import bootstrap
    from netservice.testing.config import make_conf

    workdir = tempfile.mkdtemp(prefix="netservice-demo-")
    try:
        config = write_config(
            os.path.join(workdir, "etc"),
            ["flat_dhcp", "l2"],
            default="flat_dhcp",
            extra={"linux": {"dry_run": "true", "namespace": "nsdemo-host"}},
        )
        _run(
            script("netservice-flat-dhcp-manage"),
            "--config-file",
            config,
            "network",
            "create",
            "--label",
            "demo",
            "--fixed_range_v4",
            "10.70.0.0/24",
            "--bridge",
            "br170",
        )
        l2 = [script("netservice-l2-manage"), "--config-file", config, "network", "create"]
        _run(*l2, "--label", "demo-l2", "--bridge", "l2demo")
        manager = bootstrap.open_services(make_conf(config))
        say("the network host's first pass over one FlatDHCP network would do this:")
        manager.get("flat_dhcp").get_net_service().reconcile()
        say("and over one l2 network (bridge l2demo; no addresses, no DHCP):")
        manager.get("l2").get_net_service().reconcile()
        manager.database.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
