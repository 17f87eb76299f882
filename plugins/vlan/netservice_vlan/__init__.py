"""The VLAN network service: a network per project, VLAN or VXLAN bridges, VPN.

nova-network's VlanManager as a netservice plugin.  Every network has its
own vlan id, bridge (``br<vlan>``), dnsmasq and gateway, and belongs to one
project: a project that boots its first instance without a network is given
a free one.  Between hosts the networks are kept apart by 802.1q VLANs on
``vlan_interface`` or, with ``[vlan] segmentation = vxlan``, by VXLAN tunnels
whose VNI is the vlan id.  Each network reserves an address for its
project's VPN (cloudpipe) instance, reached from outside through a DNAT of
``vpn_public_address:vpn_public_port``.

Addresses come from ``netservice.ipam``, floating IPs from
``netservice.floating``, and the service layer, REST API and manage tool
from ``netservice.networks``; this package owns the tables, the options, the
project association, the VPN, the segmentation and the bindings to the
network host's reconciler and the compute host's agent.
"""
