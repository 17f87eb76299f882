"""``make demo``: the whole story in sandbox namespaces, as root.

Starts netservice-api on its embedded default, creates a FlatDHCP, a VLAN
(vxlan), a Flat and an l2 network for four projects, boots instances (one
with two NICs), shows the addresses they got by DHCP, shows the l2 pair
reaching each other by link-local IPv6 alone, gives one a floating IP and
pings it from outside, shows that the projects cannot reach
each other, and cleans everything up.  With ``--real`` the instances are
QEMU guests through a private libvirtd (demo/instances.py), and each
guest's console lines are shown.  Without root it says what it needs
and shows the dry-run of the network host instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def _step(number: int, total: int, text: str) -> None:
    print(f"\n[{number}/{total}] {text}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """``--real``: libvirt guests instead of stand-ins (``make demo REAL=1``)."""
    from demo import story as demo
    from demo.instances import choose

    args = list(sys.argv[1:] if argv is None else argv)
    if args not in ([], ["--real"]):
        print("usage: demo/run.py [--real]", file=sys.stderr)
        return 2

    if os.geteuid() != 0:
        print(
            "netservice-demo needs root: it creates network namespaces, bridges, VXLAN "
            "devices, nftables rules and dnsmasq processes (all inside sandbox namespaces, "
            "removed at the end). Run: sudo make demo\n\nMeanwhile, the dry run:",
            flush=True,
        )
        demo.dry_run()
        return 0
    story = demo.Demo(
        say=lambda line: print(f"    {line}", flush=True), compute=choose("--real" in args)
    )
    try:
        _step(1, 6, "Sandbox namespaces, and the service on its embedded default")
        story.sandbox()
        story.start_api()
        _step(2, 6, "Networks: FlatDHCP proj-a, VLAN (vxlan) proj-b, Flat proj-c, l2 proj-d")
        story.networks()
        _step(3, 6, "Instances, through the calls compute makes; addresses by DHCP")
        addresses = story.instances_with_dhcp()
        l2 = story.l2_instances()
        _step(4, 6, "A floating IP for a1, pinged from outside")
        story.floating_ip(addresses["a1"][0])
        _step(5, 6, "Isolation: each project reaches its own instances, not another's")
        story.routing_fault()
        checks = story.isolation(addresses)
        ok = checks["a1 -> a2"] and checks["b1 -> b2"] and all(l2.values())
        ok = ok and not any(checks[pair] for pair in ("a1 -> b1", "b1 -> a1", "c1 -> b1"))
        print(f"    {'isolated as expected' if ok else 'NOT ISOLATED AS EXPECTED'}")
    except Exception as err:  # the demo reports any failure and still cleans up
        print(f"\nnetservice-demo: error: {err}", file=sys.stderr)
        return 1
    finally:
        _step(6, 6, "Clean up")
        story.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main())
