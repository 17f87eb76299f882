"""The FlatDHCP network service: bridges with dnsmasq on network hosts, floating IPs.

nova-network's FlatDHCPManager as a netservice plugin, assembled from the
framework's parts (``netservice.networks.assembly``): addresses from
``netservice.ipam``, floating IPs from ``netservice.floating``, the service
layer, REST API and ``netservice-flat-dhcp-manage`` from
``netservice.networks``, and the net-service, net agent and DHCP lease
callbacks from ``netservice.dhcp``.  This package owns its tables, options,
policy rules and topology.
"""
