"""Errors raised by the data plane.

Each one subclasses the project's domain tree (``netservice.core.exceptions``)
so the WSGI fault map and the daemons handle them like any other domain error.
"""

from __future__ import annotations

from netservice.core import exceptions

# Where each binary the data plane runs comes from on Debian/Ubuntu, so a
# missing one is reported with the package that fixes it.
PACKAGES: dict[str, str] = {
    "dnsmasq": "dnsmasq-base",
    "nft": "nftables",
    "udhcpc": "udhcpc",
    "dhcp_release": "dnsmasq-utils",
    "conntrack": "conntrack",
    "arping": "arping",
    "ip": "iproute2",
    "sysctl": "procps",
    "libvirtd": "libvirt-daemon",
    "virsh": "libvirt-clients",
    "virt-xml-validate": "libvirt-clients",
    "xmllint": "libxml2-utils",
    "qemu-system-x86_64": "qemu-system-x86",
    "busybox": "busybox-static",
    "vmlinuz": "linux-image-amd64",
}


class KernelFeatureMissing(exceptions.ServiceUnavailable):
    """The running kernel refused an operation it does not support."""

    msg_fmt = "%(reason)s"


class NoVlanSupport(KernelFeatureMissing):
    msg_fmt = "no 802.1q support in this kernel (creating %(ifname)s failed: %(error)s)"


class BinaryNotFound(exceptions.ConfigurationError):
    """A program the data plane runs is not installed."""

    msg_fmt = (
        "%(binary)s not found (looked in PATH and %(searched)s): "
        "install the Debian package '%(package)s'"
    )

    def __init__(self, binary: str, searched: str = "") -> None:
        super().__init__(
            binary=binary, package=PACKAGES.get(binary, binary), searched=searched or "PATH"
        )


class CommandFailed(exceptions.NetserviceError):
    """A program exited non-zero; the message carries its stderr."""

    msg_fmt = "%(cmd)s exited with status %(status)s: %(stderr)s"


class NftBatchFailed(CommandFailed):
    """nft rejected a batch; being atomic, it changed nothing."""

    msg_fmt = "nft rejected the batch, nothing was changed: %(stderr)s"


class LinkError(exceptions.NetserviceError):
    """The kernel refused a netlink request."""

    msg_fmt = "netlink %(op)s on %(ifname)s failed: %(error)s"


class LinkNotFound(exceptions.NotFound):
    msg_fmt = "network interface %(ifname)s not found%(where)s"


class DhcpError(exceptions.ServiceUnavailable):
    msg_fmt = "dnsmasq for network %(network_id)s: %(reason)s"
