"""The l2 network service: networks that are pure L2 segments.

A network is a bridge, a VLAN or a VXLAN VNI, claimed in the core registry;
there is no IP allocation and no DHCP.  VNICs get a MAC and plug into the
segment's bridge; guests address themselves (link-local IPv6 or their own).
This is the template ``docs/writing-a-plugin.md`` walks through.
"""
