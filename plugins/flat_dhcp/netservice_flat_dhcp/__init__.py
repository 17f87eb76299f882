"""The FlatDHCP network service: bridges with dnsmasq on network hosts, floating IPs.

nova-network's FlatDHCPManager as a netservice plugin.  Addresses come from
``netservice.ipam``, floating IPs from ``netservice.floating``, and the
service layer, REST API and ``netservice-flat-dhcp-manage`` from
``netservice.networks``; this package owns the tables, the options and the
bindings, the OS service, and (on network and compute hosts) the
net-service, the net agent and the DHCP lease callbacks.
"""
