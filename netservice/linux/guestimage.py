"""A tiny guest for real libvirt instances, built from the host's Debian packages.

The image is the installed kernel (``linux-image-amd64``) and a gzipped
initramfs holding busybox (``busybox-static``), the kernel's virtio modules
and an init that brings the NICs up (``ifup`` for an injected
``/etc/network/interfaces``, else ``udhcpc`` on every NIC), prints what it
got on the serial console (lines starting ``netservice-guest:``) and then
serves a shell on a virtio-serial port, which the host reaches through a
unix socket.  Nothing is downloaded.  Built in about a second and cached
under the state path, keyed by the kernel version and the init's text.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import logging
import os
import shutil
from pathlib import Path

from netservice.linux import cpio, exceptions, process

LOG = logging.getLogger(__name__)

# The drivers the guest needs; their dependencies come from modules.dep.
MODULES = (
    "kernel/drivers/virtio/virtio_pci.ko",
    "kernel/drivers/net/virtio_net.ko",
    "kernel/drivers/char/virtio_console.ko",
)

# The kernel command line the domain passes (``console=ttyS0``: the log file).
CMDLINE = "console=ttyS0 panic=-1 quiet loglevel=1"

INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /run /var/run /tmp /run/network /etc/network/if-pre-up.d /etc/network/if-up.d
say() { echo "netservice-guest: $*"; }
for m in $(cat /etc/modules.order); do insmod "/lib/modules/$m" || say "insmod $m failed"; done
ip link set lo up
hostname "$(sed -n 's/.*netservice.name=\([^ ]*\).*/\1/p' /proc/cmdline)"
nics=$(ls /sys/class/net | grep '^eth' | sort)
say "up $(cut -d' ' -f1 /proc/uptime)s nics=$(echo $nics)"
if [ -s /etc/network/interfaces ]; then
    say "config injected"
    sed -n 's/^ *dns-nameservers /nameserver /p' /etc/network/interfaces | tr ' ' '\n' |
        sed -n 's/^\([0-9a-f.:]*[.:][0-9a-f.:]*\)$/nameserver \1/p' > /etc/resolv.conf
    ifup -a 2>&1 | sed 's/^/netservice-guest: ifup: /'
else
    say "config dhcp"
    for n in $nics; do
        ip link set "$n" up
        udhcpc -i "$n" -n -q -t 10 -T 2 -s /etc/udhcpc.script >/dev/null 2>&1 &
    done
    wait
fi
# A v6 router advertisement (SLAAC) lands in its own time: give it a moment.
for i in 1 2; do ip -6 addr show scope global | grep -q inet6 && break; sleep 1; done
for n in $nics; do
    say "nic $n mac=$(cat /sys/class/net/$n/address)" \
        "inet=$(ip -4 -o addr show dev $n | awk '{print $4}' | tr '\n' ',')" \
        "inet6=$(ip -6 -o addr show dev $n scope global | awk '{print $4}' | tr '\n' ',')"
done
say "route $(ip route | grep '^default' | head -n1)"
say "dns $(awk '/^nameserver/ {print $2}' /etc/resolv.conf 2>/dev/null | tr '\n' ',')"
# The host's control channel: a shell on a virtio-serial port (a unix socket
# on the host).  Not a UART: virtio has flow control, so no input is lost.
# Not a tty either, so sh is not interactive: no prompt, no echo.
port=$(grep -l netservice.control /sys/class/virtio-ports/*/name | head -n1)
port=/dev/$(basename "$(dirname "$port")")
say "control $port"
say "ready $(cut -d' ' -f1 /proc/uptime)s"
while true; do sh <>"$port" >&0 2>&1; sleep 0.2; done
"""

UDHCPC_SCRIPT = r"""#!/bin/sh
# udhcpc's events: configure what the lease says (address, routes, DNS).
case "$1" in
deconfig)
    ip -4 addr flush dev "$interface"
    ip link set "$interface" up
    ;;
bound|renew)
    prefix=${mask:-$(ipcalc -p "$ip" "$subnet" | cut -d= -f2)}
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/$prefix" ${broadcast:+broadcast $broadcast} dev "$interface"
    # One default route per guest, through its first NIC (as the stand-ins do);
    # the others reach only their own subnet.
    if [ "$interface" = eth0 ]; then
        for r in $router; do ip route replace default via "$r" dev eth0; break; done
    fi
    for d in $dns; do
        grep -qx "nameserver $d" /etc/resolv.conf 2>/dev/null ||
            echo "nameserver $d" >> /etc/resolv.conf
    done
    ;;
esac
exit 0
"""


@dataclasses.dataclass(frozen=True)
class GuestImage:
    kernel: Path
    initrd: Path
    cmdline: str = CMDLINE


def kernel_version(boot: Path = Path("/boot"), modules: Path = Path("/lib/modules")) -> str:
    """The newest installed kernel with its modules; raises BinaryNotFound when none is."""
    versions = sorted(
        p.name.removeprefix("vmlinuz-")
        for p in boot.glob("vmlinuz-*")
        if (modules / p.name.removeprefix("vmlinuz-") / MODULES[-1]).exists()
    )
    if not versions:
        raise exceptions.BinaryNotFound("vmlinuz", searched=str(boot))
    return versions[-1]


def load_order(modules_dep: str, wanted: tuple[str, ...] = MODULES) -> list[str]:
    """``wanted`` and their dependencies, each after what it needs.  Pure.

    modules.dep lists a module's dependencies with the one to load first last.
    """
    deps = {}
    for line in modules_dep.splitlines():
        name, _, rest = line.partition(":")
        deps[name.strip()] = rest.split()
    order: list[str] = []
    for module in wanted:
        for item in [*reversed(deps.get(module, [])), module]:
            if item not in order:
                order.append(item)
    return order


def _entries(busybox: Path, modules: Path, order: list[str]) -> list[cpio.Entry]:
    entries = [cpio.directory(d) for d in ("bin", "dev", "etc", "etc/network", "lib")]
    entries += [cpio.directory(d) for d in ("proc", "sys", "run", "tmp", "var", "lib/modules")]
    entries.append(cpio.file("bin/busybox", busybox.read_bytes(), 0o755))
    entries.append(cpio.symlink("bin/sh", "busybox"))
    entries.append(cpio.file("init", INIT.encode(), 0o755))
    entries.append(cpio.file("etc/udhcpc.script", UDHCPC_SCRIPT.encode(), 0o755))
    names = []
    for module in order:
        name = os.path.basename(module)
        entries.append(cpio.file(f"lib/modules/{name}", (modules / module).read_bytes()))
        names.append(name)
    entries.append(cpio.file("etc/modules.order", "\n".join(names).encode() + b"\n"))
    return entries


def build(state_path: str | Path, version: str | None = None) -> GuestImage:
    """The cached image under ``<state_path>/guest``, built when missing or stale.

    Raises BinaryNotFound when busybox-static or a kernel with its modules
    is not installed.  Idempotent; a rebuild replaces the files atomically.
    """
    version = version or kernel_version()
    busybox = Path(process.which("busybox"))
    modules = Path("/lib/modules") / version
    order = load_order((modules / "modules.dep").read_text())
    text = "\n".join([version, INIT, UDHCPC_SCRIPT, *order])
    key = hashlib.sha256(text.encode()).hexdigest()[:12]
    out = Path(state_path) / "guest"
    kernel, initrd = out / f"vmlinuz-{version}", out / f"initrd-{version}-{key}.gz"
    if not (kernel.exists() and initrd.exists()):
        out.mkdir(parents=True, exist_ok=True)
        data = cpio.archive(_entries(busybox, modules, order))
        tmp = out / (initrd.name + ".tmp")
        tmp.write_bytes(gzip.compress(data, compresslevel=6, mtime=0))
        tmp.replace(initrd)
        tmp = out / (kernel.name + ".tmp")
        shutil.copyfile(f"/boot/vmlinuz-{version}", tmp)
        tmp.replace(kernel)
        LOG.info("built guest image %s (%d bytes)", initrd, initrd.stat().st_size)
    return GuestImage(kernel, initrd)


def injection_archive(files: dict[str, str]) -> bytes:
    """A cpio to append to the initramfs: ``{"/etc/network/interfaces": text}``."""
    entries, seen = [], set()
    for path in sorted(files):
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent not in seen:
                seen.add(parent)
                entries.append(cpio.directory(parent))
        entries.append(cpio.file("/".join(parts), files[path].encode()))
    return cpio.archive(entries)


if __name__ == "__main__":  # ``make guest-image``
    import sys

    built = build(sys.argv[1] if len(sys.argv) > 1 else "state")
    print(f"kernel {built.kernel}\ninitrd {built.initrd} ({built.initrd.stat().st_size} bytes)")
