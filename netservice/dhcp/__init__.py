"""What the DHCP topologies (FlatDHCP, VLAN) share on the network host.

``state`` reads the desired state from a plugin's tables, ``dataplane``
bundles the Linux drivers, ``service`` is the reconciler (a core
``NetService``) and ``leases`` the dnsmasq callbacks.  Each plugin binds
them to its own tables and adds its own link hook (a flat bridge, a VLAN or
VXLAN bridge).
"""
