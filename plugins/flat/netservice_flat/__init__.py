"""The Flat network service: operator-made bridges, no DHCP, file injection.

nova-network's FlatManager as a netservice plugin.  Addresses come from
``netservice.ipam``; this package owns the tables, the REST API, the
``netservice-flat-manage`` tool, the OS service and the net agent.
"""
