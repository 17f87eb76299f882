"""The Flat network service: operator-made bridges, no DHCP, file injection.

nova-network's FlatManager as a netservice plugin.  Addresses come from
``netservice.ipam``, the service layer, OS service, REST API and
``netservice-flat-manage`` from ``netservice.networks``; this package owns
its tables, options, policy rules, topology and the net agent.
"""
