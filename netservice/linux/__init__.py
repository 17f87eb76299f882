"""The Linux data plane: the only package that touches the kernel.

- ``links``: bridges, VLANs, VXLANs, veth pairs, addresses (netlink, pyroute2);
- ``dnsmasq``: one DHCP server per network;
- ``firewall`` and ``nftables``: NAT, floating IPs, metadata and anti-spoofing
  in one nftables table owned by netservice;
- ``standin``: namespaces that stand in for instances in tests and the demo;
- ``factory``: builds each driver (real or dry-run) from the ``[linux]`` options.

Importing this package does no work: drivers are built by the caller.
"""
